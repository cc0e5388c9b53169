"""A buggy application's calls, made with ctypes so the whole process can run under valgrind:
an absurd row array size, a statement freed while another thread fetches from it, a
connection closed while two threads fetch on its statements.

    misuse_calls.py LIBRARY CONNECTION_STRING ROUNDS

LIBRARY is the driver itself (called as a driver manager would) or unixODBC's libodbc.so.2.
Prints "all checks passed" at the end; any unexpected return code fails with a message.
"""

import ctypes
import sys
import threading
import time

SUCCESS, WITH_INFO, ERROR, INVALID_HANDLE, NO_DATA = 0, 1, -1, -2, 100
ENV, DBC, STMT = 1, 2, 3
ROW_ARRAY_SIZE = 27

lib = ctypes.CDLL(sys.argv[1])
connection_string = sys.argv[2].encode()
rounds = int(sys.argv[3])

H = ctypes.c_void_p
lib.SQLAllocHandle.argtypes = [ctypes.c_short, H, ctypes.POINTER(H)]
lib.SQLFreeHandle.argtypes = [ctypes.c_short, H]
lib.SQLSetEnvAttr.argtypes = [H, ctypes.c_int, H, ctypes.c_int]
lib.SQLDriverConnect.argtypes = [H, H, ctypes.c_char_p, ctypes.c_short, H, ctypes.c_short, H, ctypes.c_ushort]
lib.SQLDisconnect.argtypes = [H]
lib.SQLExecDirect.argtypes = [H, ctypes.c_char_p, ctypes.c_int]
lib.SQLFetch.argtypes = [H]
lib.SQLSetStmtAttr.argtypes = [H, ctypes.c_int, H, ctypes.c_int]
lib.SQLGetStmtAttr.argtypes = [H, ctypes.c_int, H, ctypes.c_int, H]
lib.SQLGetDiagRec.argtypes = [ctypes.c_short, H, ctypes.c_short, ctypes.c_char_p,
                              ctypes.POINTER(ctypes.c_int), ctypes.c_char_p, ctypes.c_short,
                              ctypes.POINTER(ctypes.c_short)]


for f in ("SQLAllocHandle", "SQLFreeHandle", "SQLSetEnvAttr", "SQLDriverConnect", "SQLDisconnect",
          "SQLExecDirect", "SQLFetch", "SQLSetStmtAttr", "SQLGetStmtAttr", "SQLGetDiagRec"):
    getattr(lib, f).restype = ctypes.c_short


def state(kind, handle):
    buf, msg = ctypes.create_string_buffer(6), ctypes.create_string_buffer(512)
    native, length = ctypes.c_int(), ctypes.c_short()
    lib.SQLGetDiagRec(kind, handle, 1, buf, ctypes.byref(native), msg, 512, ctypes.byref(length))
    return buf.value.decode()


def check(got, want, what):
    if got not in want:
        sys.exit(f"{what}: {got}, expected one of {want}")


def connect():
    env, dbc = H(), H()
    check(lib.SQLAllocHandle(ENV, None, ctypes.byref(env)), [SUCCESS], "env")
    check(lib.SQLSetEnvAttr(env, 200, H(3), 0), [SUCCESS], "version")
    check(lib.SQLAllocHandle(DBC, env, ctypes.byref(dbc)), [SUCCESS], "dbc")
    rc = lib.SQLDriverConnect(dbc, None, connection_string, len(connection_string), None, 0, None, 0)
    check(rc, [SUCCESS, WITH_INFO], f"connect {state(DBC, dbc)}")
    return env, dbc


def statement(dbc, sql):
    s = H()
    check(lib.SQLAllocHandle(STMT, dbc, ctypes.byref(s)), [SUCCESS], "stmt")
    check(lib.SQLExecDirect(s, sql, len(sql)), [SUCCESS], f"execute {state(STMT, s)}")
    return s


def fetch_all(s, out, i):
    while True:
        rc = lib.SQLFetch(s)
        if rc not in (SUCCESS, WITH_INFO):
            out[i] = rc
            return


def absurd_array_size(dbc):
    s = H()
    check(lib.SQLAllocHandle(STMT, dbc, ctypes.byref(s)), [SUCCESS], "stmt")
    check(lib.SQLSetStmtAttr(s, ROW_ARRAY_SIZE, H(1 << 40), 0), [WITH_INFO], "array size")
    got = ctypes.c_size_t()
    lib.SQLGetStmtAttr(s, ROW_ARRAY_SIZE, ctypes.cast(ctypes.byref(got), H), 0, None)
    check(got.value, [1 << 20], "array size in effect")
    sql = b"SELECT Id FROM Deals"
    check(lib.SQLExecDirect(s, sql, len(sql)), [SUCCESS], "execute")
    check(lib.SQLFetch(s), [SUCCESS], "one rowset")
    check(lib.SQLFetch(s), [NO_DATA], "end")
    check(lib.SQLFreeHandle(STMT, s), [SUCCESS], "free")


def free_while_fetching(dbc, delay):
    s = statement(dbc, b"SELECT Id, Title FROM Deals")
    out = [None]
    t = threading.Thread(target=fetch_all, args=(s, out, 0))
    t.start()
    time.sleep(delay)
    rc = lib.SQLFreeHandle(STMT, s)
    t.join(600)
    check(t.is_alive(), [False], "the fetching thread hangs")
    if rc == ERROR:
        # (its HY010 is not read back: the other thread's next call clears the statement's
        # diagnostics, as every call does)
        check(out[0], [NO_DATA], "fetch after a refused free")
        check(lib.SQLFreeHandle(STMT, s), [SUCCESS], "free after the fetch")
    else:
        check(rc, [SUCCESS], "free")
        check(out[0], [NO_DATA, ERROR, INVALID_HANDLE], "fetch after the free")
    return rc


def disconnect_while_fetching(delay):
    env, dbc = connect()
    out = [None, None]
    threads = []
    for i in range(2):
        s = statement(dbc, b"SELECT Id, Title FROM Deals")
        threads.append(threading.Thread(target=fetch_all, args=(s, out, i)))
    for t in threads:
        t.start()
    time.sleep(delay)
    rc = lib.SQLDisconnect(dbc)
    for t in threads:
        t.join(600)
        check(t.is_alive(), [False], "a fetching thread hangs")
    if rc == ERROR:
        check(state(DBC, dbc), ["HY010"], "refused disconnect")
        check(lib.SQLDisconnect(dbc), [SUCCESS], "disconnect after the fetches")
    else:
        check(rc, [SUCCESS], "disconnect")
    for end in out:
        check(end, [NO_DATA, ERROR, INVALID_HANDLE], "fetch end")
    check(lib.SQLFreeHandle(DBC, dbc), [SUCCESS], "free dbc")
    check(lib.SQLFreeHandle(ENV, env), [SUCCESS], "free env")
    return rc


env, dbc = connect()
absurd_array_size(dbc)
frees = [free_while_fetching(dbc, 0.05 * r) for r in range(rounds)]
check(lib.SQLDisconnect(dbc), [SUCCESS], "disconnect")
check(lib.SQLFreeHandle(DBC, dbc), [SUCCESS], "free dbc")
check(lib.SQLFreeHandle(ENV, env), [SUCCESS], "free env")
disconnects = [disconnect_while_fetching(0.05 * r) for r in range(rounds)]
print(f"frees refused while fetching: {frees.count(ERROR)} of {rounds}; "
      f"disconnects refused: {disconnects.count(ERROR)} of {rounds}")
print("all checks passed")
