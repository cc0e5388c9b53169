"""A day of BI traffic, compressed: connection after connection opened and closed, each doing
what a report refresh does (driver information, the catalog, a block-fetched scan, parameterized
lookups), with a scan cancelled from another thread, a query running into its timeout, and the
errors users make. Made with ctypes so that the whole process can run under valgrind.

    soak.py MANAGER CONNECTION_STRING SLOW_CONNECTION_STRING ROUNDS

MANAGER: unixODBC's libodbc.so.2 (or the driver itself). SLOW_CONNECTION_STRING reaches a
sandbox slow enough that a one-second query timeout fires. Prints the process's resident memory
as it goes and, at the end, the statements made, the outcomes by SQLSTATE and "soak finished".
Fails on a return code the call cannot give or a query timeout that did not fire.
"""

import collections
import ctypes
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from odbc_binding import (DBC, ENV, ERROR, H, LEN, NO_DATA, NTS, P, S, STMT, SUCCESS,  # noqa: E402
                            WITH_INFO, load)

ROW_ARRAY_SIZE, ROWS_FETCHED, QUERY_TIMEOUT = 27, 26, 0
ROWS, WIDTH = 100, 256

lib = load(sys.argv[1])
connection_string, slow_connection_string = sys.argv[2].encode(), sys.argv[3].encode()
rounds = int(sys.argv[4])
outcomes = collections.Counter()
statements = 0


def state(kind, handle):
    buf, msg = ctypes.create_string_buffer(6), ctypes.create_string_buffer(1024)
    native, length = ctypes.c_int(), S()
    lib.SQLGetDiagRec(kind, handle, 1, buf, ctypes.byref(native), msg, 1024, ctypes.byref(length))
    return buf.value.decode(), msg.value.decode(errors="replace")


def checked(rc, kind, handle, what, allowed=()):
    """The outcome of a call, counted; an error other than the `allowed` SQLSTATEs (and the
    network's, which the faults cause) fails the soak."""
    if rc in (SUCCESS, NO_DATA):
        outcomes["ok"] += 1
        return rc
    code, message = state(kind, handle)
    outcomes[code or str(rc)] += 1
    if rc == WITH_INFO:
        return rc
    if rc == ERROR and (code in allowed or code in ("08S01", "HY000", "HYT00")):
        return rc
    raise SystemExit(f"{what}: return code {rc}, {code} {message}")


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Connection:
    def __init__(self, env, text, allowed=()):
        self.dbc = H()
        lib.SQLAllocHandle(DBC, env, ctypes.byref(self.dbc))
        self.rc = checked(lib.SQLDriverConnect(self.dbc, None, text, len(text), None, 0, None, 0),
                          DBC, self.dbc, "connect", allowed)

    def statement(self):
        stmt = H()
        lib.SQLAllocHandle(STMT, self.dbc, ctypes.byref(stmt))
        return stmt

    def close(self):
        if self.rc in (SUCCESS, WITH_INFO):
            lib.SQLDisconnect(self.dbc)
        lib.SQLFreeHandle(DBC, self.dbc)


def fetch_all(stmt, what, allowed=("HY008",)):
    """Every row, in blocks of ROWS with every column bound as text."""
    global statements
    statements += 1
    count = S()
    lib.SQLNumResultCols(stmt, ctypes.byref(count))
    buffers = []
    for col in range(1, count.value + 1):
        data = ctypes.create_string_buffer(WIDTH * ROWS)
        ind = (LEN * ROWS)()
        lib.SQLBindCol(stmt, col, 1, data, WIDTH, ind)
        buffers.append((data, ind))
    fetched = ctypes.c_size_t()
    lib.SQLSetStmtAttr(stmt, ROW_ARRAY_SIZE, P(ROWS), 0)
    lib.SQLSetStmtAttr(stmt, ROWS_FETCHED, ctypes.byref(fetched), 0)
    rows = 0
    while True:
        rc = checked(lib.SQLFetch(stmt), STMT, stmt, what, allowed)
        if rc in (NO_DATA, ERROR):
            break
        rows += fetched.value
    lib.SQLFreeStmt(stmt, 0)   # close
    lib.SQLFreeStmt(stmt, 2)   # unbind
    lib.SQLSetStmtAttr(stmt, ROWS_FETCHED, None, 0)
    return rows


def query(stmt, sql, allowed=()):
    text = sql.encode()
    rc = checked(lib.SQLExecDirect(stmt, text, len(text)), STMT, stmt, sql, allowed)
    if rc in (SUCCESS, WITH_INFO):
        return fetch_all(stmt, sql)
    lib.SQLFreeStmt(stmt, 0)
    return None


def refresh(env, round_no):
    """What a report refresh asks of one connection."""
    global statements
    conn = Connection(env, connection_string)
    if conn.rc not in (SUCCESS, WITH_INFO):
        conn.close()
        return
    info = ctypes.create_string_buffer(256)
    for kind in (17, 18, 6, 7, 29, 13):
        checked(lib.SQLGetInfo(conn.dbc, kind, info, 256, None), DBC, conn.dbc, "SQLGetInfo")
    stmt = conn.statement()
    checked(lib.SQLTables(stmt, None, 0, None, 0, b"%", NTS, b"TABLE", NTS), STMT, stmt, "SQLTables")
    fetch_all(stmt, "SQLTables")
    checked(lib.SQLColumns(stmt, None, 0, None, 0, b"Deals", NTS, None, 0), STMT, stmt, "SQLColumns")
    fetch_all(stmt, "SQLColumns")
    query(stmt, "SELECT * FROM Deals")
    query(stmt, "SELECT StageId, COUNT(*), SUM(Value) FROM Deals GROUP BY StageId")
    # lookups with a parameter, prepared once
    sql = b"SELECT Id, Title, Value FROM Deals WHERE Id = ?"
    checked(lib.SQLPrepare(stmt, sql, len(sql)), STMT, stmt, "SQLPrepare")
    key = ctypes.c_long()
    lib.SQLBindParameter(stmt, 1, 1, -25, -5, 0, 0, ctypes.byref(key), 0, None)
    for k in range(1, 6):
        key.value = round_no * 5 + k
        if checked(lib.SQLExecute(stmt), STMT, stmt, "SQLExecute") in (SUCCESS, WITH_INFO):
            fetch_all(stmt, "lookup")
    lib.SQLFreeStmt(stmt, 3)   # reset the parameters
    # the mistakes users make
    if round_no % 3 == 0:
        query(stmt, "SELECT * FROM NoSuchTable", ("42S02",))
        query(stmt, "SELEC 1", ("42000",))
    cancel(conn)
    lib.SQLFreeHandle(STMT, stmt)
    conn.close()
    if round_no % 5 == 0:
        bad = connection_string.replace(b"APIToken=", b"APIToken=wrong-")
        Connection(env, bad, ("28000", "08001")).close()
        timeout(env)


def cancel(conn):
    """A scan cancelled from another thread while the application fetches."""
    global statements
    stmt = conn.statement()
    sql = b"SELECT * FROM Deals"
    if checked(lib.SQLExecDirect(stmt, sql, len(sql)), STMT, stmt, "scan to cancel") == ERROR:
        lib.SQLFreeHandle(STMT, stmt)
        return
    canceller = threading.Timer(0.02, lambda: lib.SQLCancel(stmt))
    canceller.start()
    # a cancel that lands between calls closes the cursor (unixODBC): the fetch after it is out
    # of sequence (HY010); one that lands during a fetch cancels it (HY008)
    fetch_all(stmt, "cancelled scan", ("HY008", "HY010"))
    canceller.join()
    lib.SQLFreeHandle(STMT, stmt)


def timeout(env):
    """A query on a slow sandbox with a one-second timeout: it must end with HYT00."""
    global statements
    conn = Connection(env, slow_connection_string)
    if conn.rc not in (SUCCESS, WITH_INFO):
        conn.close()
        return
    stmt = conn.statement()
    lib.SQLSetStmtAttr(stmt, QUERY_TIMEOUT, P(1), 0)
    sql = b"SELECT * FROM Persons"
    started = time.time()
    rc = lib.SQLExecDirect(stmt, sql, len(sql))
    if rc in (SUCCESS, WITH_INFO):
        rc = lib.SQLFetch(stmt)
    statements += 1
    code, message = state(STMT, stmt) if rc == ERROR else ("", "")
    if code != "HYT00":
        raise SystemExit(f"the query timeout did not fire: {rc} {code} {message} "
                         f"after {time.time() - started:.1f} s")
    outcomes["HYT00"] += 1
    lib.SQLFreeHandle(STMT, stmt)
    conn.close()


env = H()
lib.SQLAllocHandle(ENV, None, ctypes.byref(env))
lib.SQLSetEnvAttr(env, 200, P(3), 0)
samples = []
started = time.time()
for r in range(rounds):
    refresh(env, r)
    samples.append(rss_mib())
    if r % max(1, rounds // 10) == 0 or r == rounds - 1:
        print(f"round {r + 1}/{rounds}: {statements} statements, resident {samples[-1]:.1f} MiB, "
              f"{time.time() - started:.0f} s", flush=True)
lib.SQLFreeHandle(ENV, env)
quarter = max(1, rounds // 4)
print(f"resident memory: {samples[quarter - 1]:.1f} MiB after round {quarter}, "
      f"{samples[-1]:.1f} MiB after round {rounds}, peak {max(samples):.1f} MiB")
print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
print(f"soak finished: {rounds} connections' refreshes, {statements} statements in "
      f"{time.time() - started:.0f} s")
