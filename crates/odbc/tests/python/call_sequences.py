"""A fuzzer of ODBC call sequences: it drives the driver through a driver manager with sequences
of calls, valid and invalid, on live, freed and null handles, with buffers of every size,
and checks that nothing crashes, hangs or writes past a buffer it was given.

    call_sequences.py fuzz MANAGER DRIVER BASE_URL TOKEN CORPUS SECONDS [ARTIFACTS]
    call_sequences.py replay MANAGER DRIVER BASE_URL TOKEN INPUT_OR_FOLDER...
    call_sequences.py minimize MANAGER DRIVER BASE_URL TOKEN CORPUS OUT_FOLDER MAX_INPUTS
    call_sequences.py run MANAGER DRIVER BASE_URL TOKEN   (the child of fuzz: inputs on stdin)

MANAGER is the driver manager's library (unixODBC's libodbc.so.2), or the driver's itself to
call it as a driver manager does; DRIVER is the driver's library, which the connection strings
name.

An input is a string of bytes; each byte is one choice (which call, on which handle slot, with
which argument), so inputs mutate like any other fuzzer's and replay exactly. The feedback is
the set of outcomes seen: (call, argument class, return code, SQLSTATE), and (call, return
code, SQLSTATE) after the one before it. An input that shows a new outcome joins the corpus;
minimize keeps the fewest inputs that show every outcome the corpus shows.

A crash or a hang of the child that runs the inputs is the input's failure: fuzz writes it to
ARTIFACTS. replay runs every input in one process and prints "all checks passed".
"""

import ctypes
import json
import os
import random
import select
import subprocess
import sys
import time

from call_choices import (C_TYPES, COL_FIELDS, COLUMNS, CONN_ATTRS, CONNECTIONS, DESC_FIELDS,
                          DIAG_FIELDS, INFO_TYPES, LENGTHS, MAX_ROWS, PATTERNS, SQL, SQL_TYPES,
                          STMT_ATTRS, STRING_LENGTHS)
from odbc_binding import (DBC, DESC, ENV, ERROR, H, I, INVALID_HANDLE, LEN, NEED_DATA, NO_DATA,
                          NTS, P, S, STMT, SUCCESS, ULEN, WITH_INFO, Buffer, load)

TRACE = os.environ.get("CALL_TRACE") == "1"   # each call's number on stderr, for a failure's replay


class Failure(Exception):
    """What the fuzzer reports: a buffer overrun, an impossible return code."""


class Choices:
    """The input's bytes as choices; past its end every choice is the first."""

    def __init__(self, data):
        self.data, self.at = data, 0

    def left(self):
        return self.at < len(self.data)

    def byte(self):
        b = self.data[self.at] if self.at < len(self.data) else 0
        self.at += 1
        return b

    def pick(self, options):
        return options[self.byte() % len(options)]

    def chance(self, one_in):
        return self.byte() % one_in == 0


class Statement:
    def __init__(self, handle):
        self.handle = handle


class Run:
    """One input's calls against the library, with the handles it made."""

    def __init__(self, lib, driver, base, token, seen):
        self.lib, self.base, self.token = lib, base, token
        self.driver = driver
        self.through_manager = os.path.realpath(driver) != os.path.realpath(lib._name)
        self.seen = seen
        self.new = 0
        self.previous = "start"
        self.envs, self.dbcs, self.stmts, self.descs = [None] * 2, [None] * 3, [None] * 6, [None] * 3
        self.freed = []         # handles freed during this run: stale from then on
        self.parent = {}        # handle -> the handle it was allocated on
        # Buffers the driver may write to (bound columns and parameters, row status and count):
        # kept until the run ends, since a binding outlives its statement in an explicit
        # descriptor that another statement takes up. Once there are any, every statement's
        # row and parameter arrays must fit them (MAX_ROWS).
        self.keep = []

    # --- outcomes -------------------------------------------------------------------------

    def state(self, kind, handle):
        if not handle:
            return ""
        buf, msg = ctypes.create_string_buffer(6), ctypes.create_string_buffer(512)
        native, length = ctypes.c_int(), S()
        self.lib.SQLGetDiagRec(kind, handle, 1, buf, ctypes.byref(native), msg, 512, ctypes.byref(length))
        return buf.value.decode("ascii", "replace")

    def outcome(self, name, variant, rc, kind=None, handle=None):
        if rc not in (SUCCESS, WITH_INFO, NEED_DATA, NO_DATA, ERROR, INVALID_HANDLE, 2):
            raise Failure(f"{name} returned {rc}")
        sqlstate = self.state(kind, handle) if rc in (ERROR, WITH_INFO) and kind else ""
        step = f"{name}/{rc}/{sqlstate}"
        for key in (f"{name}/{variant}/{rc}/{sqlstate}", f"{self.previous} > {step}"):
            if key not in self.seen:
                self.seen.add(key)
                self.new += 1
        self.previous = step
        return rc

    # --- handles --------------------------------------------------------------------------

    def handle(self, c, slots):
        """A handle for a call: mostly a live one of the slot chosen, sometimes a freed one or
        null. (Never an address that was no handle: unixODBC reads a handle's first bytes to
        check it, so such an address crashes the driver manager before the driver is called.)"""
        roll = c.byte() % 16
        # a freed handle is safe to pass to the driver (it checks every handle it gets) but not to
        # unixODBC, which reads its freed memory: the stale ones go to the driver directly only
        if roll == 0 and self.freed and not self.through_manager:
            return self.freed[c.byte() % len(self.freed)], "stale"
        if roll == 1:
            return None, "null"
        slot = slots[c.byte() % len(slots)]
        if slot is None:
            return None, "empty"
        return (slot.handle if isinstance(slot, Statement) else slot), "live"

    def stmt(self, c):
        i = c.byte() % len(self.stmts)
        return i, self.stmts[i]

    # --- calls ----------------------------------------------------------------------------

    def prelude(self):
        env, dbc, stmt = H(), H(), H()
        self.lib.SQLAllocHandle(ENV, None, ctypes.byref(env))
        self.lib.SQLSetEnvAttr(env, 200, P(3), 0)
        self.lib.SQLAllocHandle(DBC, env, ctypes.byref(dbc))
        conn = self.connection_string(0)
        rc = self.lib.SQLDriverConnect(dbc, None, conn, len(conn), None, 0, None, 0)
        if rc not in (SUCCESS, WITH_INFO):
            raise Failure(f"the prelude's connection failed: {self.state(DBC, dbc)}")
        self.lib.SQLAllocHandle(STMT, dbc, ctypes.byref(stmt))
        self.envs[0], self.dbcs[0], self.stmts[0] = env.value, dbc.value, Statement(stmt.value)
        self.parent.update({dbc.value: env.value, stmt.value: dbc.value})

    def connection_string(self, i):
        return (CONNECTIONS[i].replace("{lib}", self.driver).replace("{base}", self.base)
                .replace("{token}", self.token).encode())

    def text(self, c, value, wide=False):
        """`value` as the call's string argument and its length argument: SQL_NTS, the exact
        length or a part of it, or a negative length the standard rejects (never a length past
        the end of the text: no application passes one, and no library can guard against it)."""
        mode = c.pick(STRING_LENGTHS)
        if value is None:
            return None, mode
        if wide:
            data = value.decode("utf-8", "replace").encode("utf-16-le") + b"\0\0"
            full = len(data) // 2 - 1
        else:
            data = value + b"\0"
            full = len(value)
        length = full if mode == 200 else (min(mode, full) if mode >= 0 else mode)
        return ctypes.create_string_buffer(data, len(data)), length

    def call(self, c):
        op = c.byte() % 31
        if TRACE:
            print(f"op_{op} at byte {c.at}", file=sys.stderr, flush=True)
        getattr(self, "op_%d" % op)(c)

    def op_0(self, c):  # SQLAllocHandle
        kind = c.pick([ENV, DBC, STMT, DESC, 9])
        parents = {ENV: [None], DBC: self.envs, STMT: self.dbcs, DESC: self.dbcs, 9: self.dbcs}[kind]
        parent, how = self.handle(c, parents) if kind != ENV else (None, "none")
        out = H()
        target = None if c.chance(32) else ctypes.byref(out)
        rc = self.outcome("SQLAllocHandle", f"{kind}/{how}/{target is None}",
                          self.lib.SQLAllocHandle(kind, parent, target),
                          {DBC: ENV, STMT: DBC, DESC: DBC}.get(kind), parent)
        if rc in (SUCCESS, WITH_INFO) and out.value:
            slots = {ENV: self.envs, DBC: self.dbcs, STMT: self.stmts, DESC: self.descs}[kind]
            i = c.byte() % len(slots)
            value = Statement(out.value) if kind == STMT else out.value
            if kind == ENV:
                self.lib.SQLSetEnvAttr(out.value, 200, P(c.pick([3, 380, 2])), 0)
            self.parent[out.value] = parent
            if slots[i] is not None:   # the application lost the handle it replaces: freed here
                old = slots[i].handle if isinstance(slots[i], Statement) else slots[i]
                if kind == DBC:
                    self.lib.SQLDisconnect(old)
                if self.lib.SQLFreeHandle(kind, old) == SUCCESS:
                    self.gone(old)
            slots[i] = value

    def gone(self, h, keep_self=False):
        """`h` was freed (or only its children, on a disconnect): its statements and
        descriptors went with it."""
        for child in [k for k, v in self.parent.items() if v == h]:
            self.gone(child)
        if keep_self:
            return
        self.parent.pop(h, None)
        self.freed.append(h)
        for slots in (self.envs, self.dbcs, self.descs):
            for j, v in enumerate(slots):
                if v == h:
                    slots[j] = None
        for j, st in enumerate(self.stmts):
            if st is not None and st.handle == h:
                self.stmts[j] = None

    def op_1(self, c):  # SQLFreeHandle
        kind = c.pick([STMT, STMT, DBC, DESC, ENV])
        slots = {ENV: self.envs, DBC: self.dbcs, STMT: self.stmts, DESC: self.descs}[kind]
        i = c.byte() % len(slots)
        value = slots[i]
        h = value.handle if isinstance(value, Statement) else value
        if value is None or c.chance(8):
            h, how = self.handle(c, slots)
        else:
            how = "live"
        rc = self.outcome("SQLFreeHandle", f"{kind}/{how}", self.lib.SQLFreeHandle(kind, h), kind, h)
        if rc == SUCCESS and h in self.parent:
            self.gone(h)

    def op_2(self, c):  # SQLSetEnvAttr / SQLGetEnvAttr
        h, how = self.handle(c, self.envs)
        attr = c.pick([200, 201, 202, 10001, 999])
        if c.chance(2):
            value = c.pick([2, 3, 380, 0, 1, 7])
            rc = self.lib.SQLSetEnvAttr(h, attr, P(value), 0)
            self.outcome("SQLSetEnvAttr", f"{attr}/{value}/{how}", rc, ENV, h)
        else:
            out = Buffer(8)
            rc = self.lib.SQLGetEnvAttr(h, attr, out.raw, c.pick(LENGTHS), None)
            self.outcome("SQLGetEnvAttr", f"{attr}/{how}", rc, ENV, h)

    def op_3(self, c):  # SQLDriverConnect(W)
        h, how = self.handle(c, self.dbcs)
        i = c.byte() % len(CONNECTIONS)
        wide = c.chance(3)
        conn, length = self.text(c, self.connection_string(i), wide)
        out_len = c.pick(LENGTHS)
        out = Buffer(out_len * (2 if wide else 1))
        total = S()
        f = self.lib.SQLDriverConnectW if wide else self.lib.SQLDriverConnect
        rc = f(h, None, conn, length, out.raw, out_len, None if c.chance(4) else ctypes.byref(total),
               c.pick([0, 0, 1, 2, 3, 7]))
        self.outcome("SQLDriverConnect", f"{i}/{how}/{wide}", rc, DBC, h)

    def op_4(self, c):  # SQLDisconnect
        h, how = self.handle(c, self.dbcs)
        rc = self.outcome("SQLDisconnect", how, self.lib.SQLDisconnect(h), DBC, h)
        if rc in (SUCCESS, WITH_INFO) and h in self.parent:
            self.gone(h, keep_self=True)

    def sql_call(self, c, name):
        h, how = self.handle(c, self.stmts)
        i = c.byte() % len(SQL)
        wide = c.chance(3)
        text, length = self.text(c, SQL[i].encode(), wide)
        f = getattr(self.lib, name + ("W" if wide else ""))
        if not self.arrays_fit(h):
            return
        rc = f(h, text, length)
        self.outcome(name, f"{i}/{how}/{wide}", rc, STMT, h)
        if rc == NEED_DATA:
            self.op_18(c, h)

    def op_5(self, c):
        self.sql_call(c, "SQLExecDirect")

    def op_6(self, c):
        self.sql_call(c, "SQLPrepare")

    def op_7(self, c):  # SQLExecute
        h, how = self.handle(c, self.stmts)
        if not self.arrays_fit(h):
            return
        rc = self.outcome("SQLExecute", how, self.lib.SQLExecute(h), STMT, h)
        if rc == NEED_DATA:
            self.op_18(c, h)

    def op_8(self, c):  # SQLNumResultCols
        h, how = self.handle(c, self.stmts)
        n = S()
        self.outcome("SQLNumResultCols", how,
                     self.lib.SQLNumResultCols(h, None if c.chance(8) else ctypes.byref(n)), STMT, h)

    def op_9(self, c):  # SQLDescribeCol(W)
        h, how = self.handle(c, self.stmts)
        col, length, wide = c.pick(COLUMNS), c.pick(LENGTHS), c.chance(3)
        name = Buffer(length * (2 if wide else 1))
        outs = [S(), S(), ULEN(), S(), S()]
        ptrs = [None if c.chance(6) else ctypes.byref(o) for o in outs]
        f = self.lib.SQLDescribeColW if wide else self.lib.SQLDescribeCol
        rc = f(h, col, name.raw, length, *ptrs)
        self.outcome("SQLDescribeCol", f"{col}/{length < 0}/{how}", rc, STMT, h)

    def op_10(self, c):  # SQLColAttribute(W)
        h, how = self.handle(c, self.stmts)
        col, field, length, wide = c.pick(COLUMNS), c.pick(COL_FIELDS), c.pick(LENGTHS), c.chance(3)
        out = Buffer(length)
        used, number = S(), LEN()
        f = self.lib.SQLColAttributeW if wide else self.lib.SQLColAttribute
        rc = f(h, col, field, out.raw, length, ctypes.byref(used), ctypes.byref(number))
        self.outcome("SQLColAttribute", f"{field}/{col}/{how}", rc, STMT, h)

    def op_11(self, c):  # SQLBindCol
        i, s = self.stmt(c)
        if s is None:
            return
        col, ctype, length = c.pick(COLUMNS), c.pick(C_TYPES), c.pick(LENGTHS)
        if c.chance(5):   # unbind
            rc = self.lib.SQLBindCol(s.handle, col, ctype, None, 0, None)
            self.outcome("SQLBindCol", f"unbind/{col}", rc, STMT, s.handle)
            return
        # a fixed-size C type may be written whole whatever the length says
        size = max(length, 32)
        data = Buffer(size * MAX_ROWS)
        ind = Buffer(8 * MAX_ROWS)
        rc = self.lib.SQLBindCol(s.handle, col, ctype, data.raw, length, None if c.chance(4) else ind.raw)
        self.outcome("SQLBindCol", f"{col}/{ctype}/{length < 0}", rc, STMT, s.handle)
        self.keep += [data, ind]

    def array_size(self, h, attr):
        value = ULEN()
        rc = self.lib.SQLGetStmtAttr(h, attr, ctypes.byref(value), 0, None)
        return value.value if rc in (SUCCESS, WITH_INFO) else 1

    def arrays_fit(self, h):
        """The arrays the driver fills hold MAX_ROWS rows: an application with larger row or
        parameter arrays has larger buffers, so such a call is not made here."""
        if not self.keep or h is None:
            return True
        return self.array_size(h, 27) <= MAX_ROWS and self.array_size(h, 22) <= MAX_ROWS

    def fetch_call(self, c, name, f, *args):
        h, how = self.handle(c, self.stmts)
        if not self.arrays_fit(h):
            return
        rc = f(h, *args)
        self.outcome(name, f"{args}/{how}", rc, STMT, h)

    def op_12(self, c):
        self.fetch_call(c, "SQLFetch", self.lib.SQLFetch)

    def op_13(self, c):
        orientation = c.pick([1, 2, 3, 4, 5, 6, 8, 99])
        offset = c.pick([0, 1, -1, 5, -5, 10**6, -(10**6)])
        self.fetch_call(c, "SQLFetchScroll", self.lib.SQLFetchScroll, orientation, offset)

    def op_14(self, c):  # SQLGetData
        h, how = self.handle(c, self.stmts)
        col, ctype, length = c.pick(COLUMNS), c.pick(C_TYPES), c.pick(LENGTHS)
        out = Buffer(max(length, 32))   # fixed-size types are written whole
        ind = LEN()
        rc = self.lib.SQLGetData(h, col, ctype, out.raw, length, None if c.chance(5) else ctypes.byref(ind))
        self.outcome("SQLGetData", f"{col}/{ctype}/{length}/{how}", rc, STMT, h)

    def op_15(self, c):  # SQLSetStmtAttr
        i, s = self.stmt(c)
        h, how = (s.handle, "live") if s is not None else self.handle(c, self.stmts)
        attr, values = c.pick(STMT_ATTRS)
        value = c.pick(values)
        if attr == 10003:
            desc = self.descs[c.byte() % len(self.descs)]
            value = desc or 0
        if self.keep and attr in (27, 9, 22) and value > MAX_ROWS:
            return   # see arrays_fit
        rc = self.lib.SQLSetStmtAttr(h, attr, P(value), 0)
        self.outcome("SQLSetStmtAttr", f"{attr}/{value}/{how}", rc, STMT, h)
        if s is not None and c.chance(6):
            # the status and count pointers, into buffers for MAX_ROWS rows
            if self.array_size(s.handle, 27) <= MAX_ROWS:
                status, fetched = Buffer(2 * MAX_ROWS), Buffer(8)
                self.keep += [status, fetched]
                self.lib.SQLSetStmtAttr(s.handle, 25, status.raw, 0)
                self.lib.SQLSetStmtAttr(s.handle, 26, fetched.raw, 0)

    def op_16(self, c):  # SQLGetStmtAttr
        h, how = self.handle(c, self.stmts)
        attr = c.pick([a for a, _ in STMT_ATTRS] + [10010, 10011, 10012, 10013, 14, 25, 26])
        length = c.pick(LENGTHS)
        out = Buffer(max(length, 8))   # integer and pointer attributes are written whole
        used = I()
        rc = self.lib.SQLGetStmtAttr(h, attr, out.raw, length, ctypes.byref(used))
        self.outcome("SQLGetStmtAttr", f"{attr}/{how}", rc, STMT, h)

    def op_17(self, c):  # SQLBindParameter
        i, s = self.stmt(c)
        if s is None:
            return
        n = c.pick([1, 2, 1, 3, 0, 400])
        ctype, sqltype = c.pick(C_TYPES), c.pick(SQL_TYPES)
        values = [b"abc\0", b"12\0", b"\0", "ünï".encode() + b"\0", b"x" * 5000 + b"\0"]
        value = c.pick(values)
        data = Buffer(max(len(value), 32) * MAX_ROWS, value)
        ind = Buffer(8 * MAX_ROWS)
        kind = c.pick([NTS, 0, 3, -1, -2, -100, -105])
        # NTS, lengths, NULL_DATA, DATA_AT_EXEC, LEN_DATA_AT_EXEC(0) and (5)
        ctypes.memmove(ind.raw, kind.to_bytes(8, "little", signed=True), 8)
        rc = self.lib.SQLBindParameter(s.handle, n, c.pick([1, 1, 2, 4, 9]), ctype, sqltype,
                                       c.pick([0, 10, 255, 10**6]), c.pick([0, 2, 50]), data.raw,
                                       c.pick(LENGTHS), None if c.chance(4) else ind.raw)
        self.outcome("SQLBindParameter", f"{n}/{ctype}/{sqltype}/{kind}", rc, STMT, s.handle)
        self.keep += [data, ind]

    def op_18(self, c, h=None):  # SQLParamData / SQLPutData
        how = "given"
        if h is None:
            h, how = self.handle(c, self.stmts)
        for _ in range(4):
            token = P()
            rc = self.outcome("SQLParamData", how, self.lib.SQLParamData(h, ctypes.byref(token)), STMT, h)
            if rc != NEED_DATA:
                return
            for _ in range(c.pick([0, 1, 2])):
                piece = c.pick([b"piece", b"", "ünï".encode(), b"7"])
                length = c.pick([len(piece), NTS, -1, 0, 3])
                buf = ctypes.create_string_buffer(piece, len(piece) + 1)
                rc = self.lib.SQLPutData(h, None if c.chance(10) else buf, length)
                self.outcome("SQLPutData", f"{length}", rc, STMT, h)

    def op_19(self, c):  # catalog functions
        h, how = self.handle(c, self.stmts)
        which = c.byte() % 11
        wide = which in (0, 1) and c.chance(3)
        args = []
        for _ in range(6):
            pattern = c.pick(PATTERNS)
            args.append(self.text(c, pattern, wide))
        flat = [x for a in args for x in a]
        f = self.lib
        if which == 0:
            rc = (f.SQLTablesW if wide else f.SQLTables)(h, *flat[:8])
        elif which == 1:
            rc = (f.SQLColumnsW if wide else f.SQLColumns)(h, *flat[:8])
        elif which == 2:
            rc = f.SQLStatistics(h, *flat[:6], c.pick([0, 1, 7]), c.pick([0, 1]))
        elif which == 3:
            rc = f.SQLPrimaryKeys(h, *flat[:6])
        elif which == 4:
            rc = f.SQLForeignKeys(h, *flat[:12])
        elif which == 5:
            rc = f.SQLSpecialColumns(h, c.pick([1, 2, 9]), *flat[:6], c.pick([0, 1, 2]), c.pick([0, 1]))
        elif which == 6:
            rc = f.SQLProcedures(h, *flat[:6])
        elif which == 7:
            rc = f.SQLProcedureColumns(h, *flat[:8])
        elif which == 8:
            rc = f.SQLTablePrivileges(h, *flat[:6])
        else:
            rc = f.SQLGetTypeInfo(h, c.pick([0, 1, 12, -9, 4, 93, 999]))
        self.outcome("catalog", f"{which}/{how}/{wide}", rc, STMT, h)

    def op_20(self, c):  # SQLGetInfo(W)
        h, how = self.handle(c, self.dbcs)
        info, length, wide = c.pick(INFO_TYPES), c.pick(LENGTHS), c.chance(3)
        if self.manager_answers(info, length, wide):
            return
        out = Buffer(max(length, 8))   # numeric answers are written whole
        used = S()
        f = self.lib.SQLGetInfoW if wide else self.lib.SQLGetInfo
        rc = f(h, info, None if c.chance(10) else out.raw, length, None if c.chance(4) else ctypes.byref(used))
        self.outcome("SQLGetInfo", f"{info}/{how}", rc, DBC, h)

    def manager_answers(self, info, length, wide):
        """unixODBC (2.3.11) answers some SQLGetInfo calls itself and writes past the buffer
        length it is given there: SQL_DATA_SOURCE_NAME, SQL_ODBC_VER, SQL_DM_VER and
        SQL_XOPEN_CLI_YEAR whatever the length, and wide text answers that do not fit (it
        converts the driver's answer into the application's buffer without the limit). The
        driver answers these within the length (the direct runs check it); through unixODBC
        they are not made."""
        return self.through_manager and (info in (2, 10, 171, 10000) or (wide and 0 <= length < 256))

    def op_21(self, c):  # SQLSetConnectAttr / SQLGetConnectAttr
        h, how = self.handle(c, self.dbcs)
        attr, values = c.pick(CONN_ATTRS)
        if c.chance(2):
            if values is None:   # CURRENT_CATALOG: a string
                text, length = self.text(c, c.pick([b"Pipedrive", b"", b"other"]))
                rc = self.lib.SQLSetConnectAttr(h, attr, text, length)
            else:
                rc = self.lib.SQLSetConnectAttr(h, attr, P(c.pick(values)), 0)
            self.outcome("SQLSetConnectAttr", f"{attr}/{how}", rc, DBC, h)
        else:
            length = c.pick(LENGTHS)
            out = Buffer(max(length, 8))
            used = I()
            rc = self.lib.SQLGetConnectAttr(h, attr, out.raw, length, ctypes.byref(used))
            self.outcome("SQLGetConnectAttr", f"{attr}/{how}", rc, DBC, h)

    def op_22(self, c):  # SQLGetDiagRec(W) / SQLGetDiagField
        kind = c.pick([STMT, DBC, ENV, DESC, 7])
        slots = {ENV: self.envs, DBC: self.dbcs, STMT: self.stmts, DESC: self.descs, 7: self.stmts}[kind]
        h, how = self.handle(c, slots)
        rec, length = c.pick([1, 2, 0, -1, 50]), c.pick(LENGTHS)
        if length < 0 and self.through_manager:
            # unixODBC (2.3.11) writes its own records (its HY010, IM002...) whole into a buffer
            # given with a negative length, and then crashes; the driver answers HY090
            return
        if c.chance(2):
            wide = c.chance(2)
            state, native, used = Buffer(12), I(), S()
            msg = Buffer(length * (2 if wide else 1))
            f = self.lib.SQLGetDiagRecW if wide else self.lib.SQLGetDiagRec
            rc = f(kind, h, rec, state.raw, ctypes.byref(native), msg.raw, length, ctypes.byref(used))
            self.outcome("SQLGetDiagRec", f"{kind}/{rec}/{how}", rc)
        else:
            field = c.pick(DIAG_FIELDS)
            if self.through_manager and field in (4, 6, 8, 9, 10, 11) and length < 256:
                # unixODBC copies the text fields of its records (SQLSTATE, message, class and
                # subclass origin, connection and server name) without the buffer's length
                return
            out, used = Buffer(max(length, 8)), S()
            rc = self.lib.SQLGetDiagField(kind, h, rec, field, out.raw, length, ctypes.byref(used))
            self.outcome("SQLGetDiagField", f"{kind}/{rec}/{field}/{how}", rc)

    def op_23(self, c):  # statement odds and ends
        h, how = self.handle(c, self.stmts)
        which = c.byte() % 8
        n, count = S(), LEN()
        if which == 0:
            rc = self.lib.SQLCancel(h)
        elif which == 1:
            rc = self.lib.SQLCloseCursor(h)
        elif which == 2:
            option = c.pick([0, 2, 3, 1, 9])   # CLOSE, UNBIND, RESET_PARAMS, DROP, invalid
            rc = self.lib.SQLFreeStmt(h, option)
            if option == 1 and rc == SUCCESS and h in self.parent:
                self.gone(h)
        elif which == 3:
            rc = self.lib.SQLMoreResults(h)
        elif which == 4:
            rc = self.lib.SQLRowCount(h, None if c.chance(8) else ctypes.byref(count))
        elif which == 5:
            rc = self.lib.SQLNumParams(h, ctypes.byref(n))
        else:
            outs = [S(), ULEN(), S(), S()]
            rc = self.lib.SQLDescribeParam(h, c.pick([1, 2, 0, 99]), *[ctypes.byref(o) for o in outs])
        self.outcome("stmt", f"{which}/{how}", rc, STMT, h)

    def op_24(self, c):  # SQLEndTran
        kind = c.pick([DBC, ENV, STMT])
        h, how = self.handle(c, {DBC: self.dbcs, ENV: self.envs, STMT: self.stmts}[kind])
        self.outcome("SQLEndTran", f"{kind}/{how}", self.lib.SQLEndTran(kind, h, c.pick([0, 1, 5])), kind, h)

    def op_25(self, c):  # SQLNativeSql
        h, how = self.handle(c, self.dbcs)
        text, length = self.text(c, SQL[c.byte() % len(SQL)].encode())
        out_len = c.pick(LENGTHS)
        out, used = Buffer(out_len), I()
        rc = self.lib.SQLNativeSql(h, text, length, out.raw, out_len, ctypes.byref(used))
        self.outcome("SQLNativeSql", how, rc, DBC, h)

    def op_26(self, c):  # cursor names
        h, how = self.handle(c, self.stmts)
        if c.chance(2):
            text, length = self.text(c, c.pick([b"C1", b"", b"SQL_CUR1", b"x" * 300]))
            self.outcome("SQLSetCursorName", how, self.lib.SQLSetCursorName(h, text, length), STMT, h)
        else:
            length = c.pick(LENGTHS)
            out, used = Buffer(length), S()
            rc = self.lib.SQLGetCursorName(h, out.raw, length, ctypes.byref(used))
            self.outcome("SQLGetCursorName", how, rc, STMT, h)

    def op_27(self, c):  # descriptors of a statement
        i, s = self.stmt(c)
        if s is None:
            return
        which = c.pick([10010, 10011, 10012, 10013])
        desc = H()
        self.lib.SQLGetStmtAttr(s.handle, which, ctypes.byref(desc), 0, None)
        if desc.value:
            self.parent.setdefault(desc.value, s.handle)
            self.descs[c.byte() % len(self.descs)] = desc.value

    def op_28(self, c):  # SQLGetDescField / SQLSetDescField
        h, how = self.handle(c, self.descs)
        rec, field = c.pick([0, 1, 2, 40]), c.pick(DESC_FIELDS)
        if c.chance(3) and field in (1001, 20):   # COUNT, ARRAY_SIZE: numbers only
            value = c.pick([0, 1, 3, 40000, MAX_ROWS])
            if field == 20 and value > MAX_ROWS:
                return
            rc = self.lib.SQLSetDescField(h, rec, field, P(value), 0)
            self.outcome("SQLSetDescField", f"{field}/{value}/{how}", rc, DESC, h)
        else:
            length = c.pick(LENGTHS)
            out, used = Buffer(max(length, 8)), I()
            rc = self.lib.SQLGetDescField(h, rec, field, out.raw, length, ctypes.byref(used))
            self.outcome("SQLGetDescField", f"{field}/{rec}/{how}", rc, DESC, h)

    def op_29(self, c):  # SQLGetFunctions
        h, how = self.handle(c, self.dbcs)
        fid = c.pick([0, 999, 1, 13, 40, 72, 64, 5000])
        out = Buffer(4000 if fid == 999 else (200 if fid == 0 else 2))
        rc = self.lib.SQLGetFunctions(h, fid, out.raw)
        self.outcome("SQLGetFunctions", f"{fid}/{how}", rc, DBC, h)

    def op_30(self, c):  # SQLSetPos
        h, how = self.handle(c, self.stmts)
        if not self.arrays_fit(h):
            return
        rc = self.lib.SQLSetPos(h, c.pick([0, 1, 2, 100]), c.pick([0, 1, 2, 3, 4, 9]), c.pick([0, 1, 2]))
        self.outcome("SQLSetPos", how, rc, STMT, h)

    def finish(self):
        """Frees what the input left, as an application that exits cleanly does."""
        for s in self.stmts:
            if s is not None:
                self.lib.SQLFreeHandle(STMT, s.handle)
        for d in self.dbcs:
            if d is not None:
                self.lib.SQLDisconnect(d)
                self.lib.SQLFreeHandle(DBC, d)
        for e in self.envs:
            if e is not None:
                self.lib.SQLFreeHandle(ENV, e)


def run_input(lib, driver, base, token, data, seen):
    """One input; answers how many outcomes it showed that `seen` had not."""
    c = Choices(data)
    run = Run(lib, driver, base, token, seen)
    if c.byte() % 4 != 0:
        run.prelude()
    calls = 0
    while c.left() and calls < 200:
        run.call(c)
        calls += 1
    run.finish()
    return run.new


# --- the child: inputs in, outcomes out ------------------------------------------------------

def child(manager, driver, base, token):
    import faulthandler
    faulthandler.enable()
    lib = load(manager)
    seen = set()
    for line in sys.stdin:
        data = bytes.fromhex(line.strip())
        before = set(seen)
        try:
            run_input(lib, driver, base, token, data, seen)
            result = {"new": sorted(seen - before)}
        except Failure as e:
            result = {"failure": str(e)}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


class Child:
    def __init__(self, args, log):
        self.args, self.log = args, log
        self.start()

    def start(self):
        self.history = []   # the inputs this process ran: a failure may need them all to show
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "run", *self.args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)

    def run(self, data, timeout):
        """The input's result, or what became of the child."""
        if len(self.history) >= 1000:   # a fresh process now and then, as applications are
            self.proc.kill()
            self.proc.wait()
            self.start()
        self.history.append(data)
        try:
            self.proc.stdin.write(data.hex().encode() + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.proc.kill()
            self.proc.wait()
            self.last_history = self.history
            self.start()
            return {"failure": f"no answer in {timeout} s (a hang)"}
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            self.last_history = self.history
            self.start()
            return {"failure": f"the process ended with {code} (a crash)"}
        result = json.loads(line)
        self.last_history = self.history
        return result


def mutate(data, corpus, rng):
    data = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4])):
        kind = rng.randrange(6)
        if kind == 0 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:
            at = rng.randrange(len(data) + 1)
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.choice([1, 2, 4, 8])))
        elif kind == 2 and len(data) > 2:
            at = rng.randrange(len(data))
            del data[at:at + rng.choice([1, 2, 4, 8])]
        elif kind == 3 and data:
            a = rng.randrange(len(data))
            b = min(len(data), a + rng.choice([2, 4, 8, 16]))
            at = rng.randrange(len(data) + 1)
            data[at:at] = data[a:b]
        elif kind == 4 and corpus:
            other = rng.choice(corpus)
            cut = rng.randrange(len(data) + 1)
            data = data[:cut] + other[rng.randrange(len(other) + 1):]
        elif data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data[:400])


def fuzz(manager, driver, base, token, corpus_dir, seconds, artifacts):
    os.makedirs(corpus_dir, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    rng = random.Random()
    corpus = []
    for name in sorted(os.listdir(corpus_dir)):
        with open(os.path.join(corpus_dir, name), "rb") as f:
            corpus.append(f.read())
    seen = set()
    log = open(os.path.join(artifacts, "child.log"), "ab")
    child_proc = Child([manager, driver, base, token], log)
    executions = failures = 0
    started = time.time()
    last_report = started

    def keep(data, result):
        nonlocal failures
        if "failure" in result:
            failures += 1
            name = os.path.join(artifacts, f"failure-{int(time.time())}-{failures}")
            with open(name, "wb") as f:
                f.write(data)
            # the inputs the process ran before, in order: replayed as a folder, they give the
            # process the state it failed in
            history = child_proc.last_history
            os.makedirs(name + ".history")
            for i, earlier in enumerate(history):
                with open(os.path.join(name + ".history", "%06d" % i), "wb") as f:
                    f.write(earlier)
            print(f"FAILURE {result['failure']}: {name} (after {len(history) - 1} inputs)", flush=True)
            return
        fresh = [s for s in result["new"] if s not in seen]
        if fresh:
            seen.update(fresh)
            return True

    # the corpus first: its outcomes are the starting coverage
    for data in list(corpus):
        keep(data, child_proc.run(data, 60))
        executions += 1
    while not corpus:
        for _ in range(50):
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(8, 80)))
            if keep(data, child_proc.run(data, 60)):
                corpus.append(data)
                save(corpus_dir, data)
            executions += 1
    while time.time() - started < seconds:
        parent = rng.choice(corpus)
        data = mutate(parent, corpus, rng) if rng.random() < 0.9 else \
            bytes(rng.randrange(256) for _ in range(rng.randrange(8, 120)))
        if keep(data, child_proc.run(data, 60)):
            corpus.append(data)
            save(corpus_dir, data)
        executions += 1
        if time.time() - last_report > 60:
            last_report = time.time()
            print(f"#{executions} {int(last_report - started)} s: outcomes {len(seen)}, "
                  f"corpus {len(corpus)}, failures {failures}", flush=True)
    print(f"done: {executions} executions in {int(time.time() - started)} s, outcomes {len(seen)}, "
          f"corpus {len(corpus)}, failures {failures}", flush=True)
    child_proc.proc.kill()
    return failures


def save(folder, data):
    import hashlib
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def minimize(manager, driver, base, token, corpus_dir, out_dir, most):
    """The fewest inputs of the corpus (greedily, up to `most`) that show all its outcomes."""
    lib = load(manager)
    shown = {}
    for name in sorted(os.listdir(corpus_dir)):
        with open(os.path.join(corpus_dir, name), "rb") as f:
            data = f.read()
        seen = set()
        try:
            run_input(lib, driver, base, token, data, seen)
        except Failure:
            continue
        shown[data] = seen
    wanted = set().union(*shown.values()) if shown else set()
    total = len(wanted)
    os.makedirs(out_dir, exist_ok=True)
    kept = 0
    while wanted and kept < most:
        best = max(shown, key=lambda d: (len(shown[d] & wanted), -len(d)))
        if not shown[best] & wanted:
            break
        wanted -= shown.pop(best)
        save(out_dir, best)
        kept += 1
    print(f"{kept} inputs show {total - len(wanted)} of the corpus's {total} outcomes")


def replay(manager, driver, base, token, paths):
    lib = load(manager)
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += [os.path.join(p, n) for n in sorted(os.listdir(p))]
        else:
            files.append(p)
    seen = set()
    for name in files:
        with open(name, "rb") as f:
            data = f.read()
        try:
            run_input(lib, driver, base, token, data, seen)
        except Failure as e:
            print(f"{name}: {e}")
            sys.exit(1)
    print(f"{len(files)} sequences, {len(seen)} outcomes: all checks passed")


if __name__ == "__main__":
    mode, manager, driver, base, token = sys.argv[1:6]
    if mode == "run":
        child(manager, driver, base, token)
    elif mode == "minimize":
        minimize(manager, driver, base, token, sys.argv[6], sys.argv[7], int(sys.argv[8]))
    elif mode == "replay":
        replay(manager, driver, base, token, sys.argv[6:])
    else:
        corpus_dir, seconds = sys.argv[6], float(sys.argv[7])
        artifacts = sys.argv[8] if len(sys.argv) > 8 else "fuzz/artifacts/call_sequences"
        sys.exit(1 if fuzz(manager, driver, base, token, corpus_dir, seconds, artifacts) else 0)
