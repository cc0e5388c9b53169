"""The ODBC C API over ctypes, for the scripts that call the driver or a driver manager
directly: return codes, handle kinds, argument types, the signatures of the functions they call,
and output buffers that end at an inaccessible page."""

import ctypes

SUCCESS, WITH_INFO, NEED_DATA, NO_DATA, ERROR, INVALID_HANDLE = 0, 1, 99, 100, -1, -2
ENV, DBC, STMT, DESC = 1, 2, 3, 4
NTS = -3
CANARY = 0xA5          # what a buffer holds before the driver writes to it

H = ctypes.c_void_p
P = ctypes.c_void_p
S = ctypes.c_short
US = ctypes.c_ushort
I = ctypes.c_int
LEN = ctypes.c_ssize_t
ULEN = ctypes.c_size_t

SIGNATURES = {
    "SQLAllocHandle": [S, H, P],
    "SQLFreeHandle": [S, H],
    "SQLSetEnvAttr": [H, I, P, I],
    "SQLGetEnvAttr": [H, I, P, I, P],
    "SQLDriverConnect": [H, H, P, S, P, S, P, US],
    "SQLDriverConnectW": [H, H, P, S, P, S, P, US],
    "SQLConnect": [H, P, S, P, S, P, S],
    "SQLDisconnect": [H],
    "SQLExecDirect": [H, P, I],
    "SQLExecDirectW": [H, P, I],
    "SQLPrepare": [H, P, I],
    "SQLPrepareW": [H, P, I],
    "SQLExecute": [H],
    "SQLNumResultCols": [H, P],
    "SQLDescribeCol": [H, US, P, S, P, P, P, P, P],
    "SQLDescribeColW": [H, US, P, S, P, P, P, P, P],
    "SQLColAttribute": [H, US, US, P, S, P, P],
    "SQLColAttributeW": [H, US, US, P, S, P, P],
    "SQLBindCol": [H, US, S, P, LEN, P],
    "SQLFetch": [H],
    "SQLFetchScroll": [H, S, LEN],
    "SQLGetData": [H, US, S, P, LEN, P],
    "SQLSetStmtAttr": [H, I, P, I],
    "SQLGetStmtAttr": [H, I, P, I, P],
    "SQLBindParameter": [H, US, S, S, S, ULEN, S, P, LEN, P],
    "SQLParamData": [H, P],
    "SQLPutData": [H, P, LEN],
    "SQLNumParams": [H, P],
    "SQLDescribeParam": [H, US, P, P, P, P],
    "SQLTables": [H, P, S, P, S, P, S, P, S],
    "SQLTablesW": [H, P, S, P, S, P, S, P, S],
    "SQLColumns": [H, P, S, P, S, P, S, P, S],
    "SQLColumnsW": [H, P, S, P, S, P, S, P, S],
    "SQLStatistics": [H, P, S, P, S, P, S, US, US],
    "SQLPrimaryKeys": [H, P, S, P, S, P, S],
    "SQLForeignKeys": [H, P, S, P, S, P, S, P, S, P, S, P, S],
    "SQLSpecialColumns": [H, US, P, S, P, S, P, S, US, US],
    "SQLProcedures": [H, P, S, P, S, P, S],
    "SQLProcedureColumns": [H, P, S, P, S, P, S, P, S],
    "SQLTablePrivileges": [H, P, S, P, S, P, S],
    "SQLGetTypeInfo": [H, S],
    "SQLGetInfo": [H, US, P, S, P],
    "SQLGetInfoW": [H, US, P, S, P],
    "SQLSetConnectAttr": [H, I, P, I],
    "SQLGetConnectAttr": [H, I, P, I, P],
    "SQLGetDiagRec": [S, H, S, P, P, P, S, P],
    "SQLGetDiagRecW": [S, H, S, P, P, P, S, P],
    "SQLGetDiagField": [S, H, S, S, P, S, P],
    "SQLCancel": [H],
    "SQLCloseCursor": [H],
    "SQLFreeStmt": [H, US],
    "SQLMoreResults": [H],
    "SQLRowCount": [H, P],
    "SQLEndTran": [S, H, S],
    "SQLNativeSql": [H, P, I, P, I, P],
    "SQLSetCursorName": [H, P, S],
    "SQLGetCursorName": [H, P, S, P],
    "SQLGetDescField": [H, S, S, P, I, P],
    "SQLSetDescField": [H, S, S, P, I],
    "SQLGetFunctions": [H, US, P],
    "SQLSetPos": [H, ULEN, US, US],
}



def load(path):
    lib = ctypes.CDLL(path)
    for name, args in SIGNATURES.items():
        f = getattr(lib, name, None)
        if f is not None:
            f.argtypes = args
            f.restype = S
    return lib


LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.mmap.restype = ctypes.c_void_p
LIBC.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                      ctypes.c_long]
LIBC.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
LIBC.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
PAGE = 4096


class Buffer:
    """A buffer of `length` bytes (none if negative) that ends where an inaccessible page
    begins: a byte written past the length it was given faults at once, in the writer's own
    code (the crash, and its core, name who wrote it)."""

    def __init__(self, length, contents=b""):
        self.length = max(length, 0)
        self.size = ((self.length + PAGE - 1) // PAGE + 1) * PAGE
        self.base = LIBC.mmap(None, self.size, 3, 0x22, -1, 0)   # read/write, private anonymous
        if self.base in (None, ctypes.c_void_p(-1).value):
            raise MemoryError("mmap")
        guard = self.base + self.size - PAGE
        LIBC.mprotect(guard, PAGE, 0)
        self.raw = ctypes.c_void_p(guard - self.length)
        ctypes.memset(self.raw, CANARY, self.length)
        ctypes.memmove(self.raw, contents, min(len(contents), self.length))

    def __del__(self):
        LIBC.munmap(self.base, self.size)

    def bytes(self):
        return ctypes.string_at(self.raw, self.length)
