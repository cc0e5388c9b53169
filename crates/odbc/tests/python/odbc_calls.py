"""ODBC calls made one by one through unixODBC's driver manager (libodbc.so.2) with ctypes, so
a check script can repeat the exact call sequence of a BI tool: ANSI and wide (UTF-16, SQLWCHAR
is 2 bytes under unixODBC) entry points, ODBC 2 functions, block fetch with bound columns,
SQLGetData, statement attributes and diagnostics. Also: the sandbox's request counter and a
small check runner that reports every step and ends with "all checks passed" only when each
step passed.

Used by powerbi_sequence.py, tableau_sequence.py and excel_sequence.py."""

import ctypes
import json
import sys
import traceback
import urllib.request
from ctypes import (POINTER, byref, c_char_p, c_int16, c_int32, c_int64, c_uint16, c_uint32,
                    c_uint64, c_void_p, create_string_buffer)

# --- constants (sql.h / sqlext.h / sqlucode.h) --------------------------------------------

SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA, SQL_ERROR, SQL_INVALID_HANDLE = 0, 1, 100, -1, -2
SQL_STILL_EXECUTING, SQL_NEED_DATA = 2, 99
SQL_HANDLE_ENV, SQL_HANDLE_DBC, SQL_HANDLE_STMT = 1, 2, 3
SQL_NTS = -3
SQL_NULL_DATA = -1
SQL_NO_TOTAL = -4

SQL_ATTR_ODBC_VERSION, SQL_ATTR_CONNECTION_POOLING = 200, 201
SQL_OV_ODBC2, SQL_OV_ODBC3, SQL_OV_ODBC3_80 = 2, 3, 380
SQL_CP_OFF, SQL_CP_ONE_PER_HENV = 0, 2
SQL_ATTR_LOGIN_TIMEOUT, SQL_ATTR_AUTOCOMMIT, SQL_ATTR_TXN_ISOLATION = 103, 102, 108
SQL_ATTR_CONNECTION_TIMEOUT = 113
SQL_ATTR_ACCESS_MODE, SQL_MODE_READ_ONLY = 101, 1
SQL_AUTOCOMMIT_ON, SQL_AUTOCOMMIT_OFF = 1, 0
SQL_DRIVER_NOPROMPT, SQL_DRIVER_COMPLETE = 0, 1

SQL_ATTR_QUERY_TIMEOUT = 0
SQL_ATTR_MAX_ROWS = 1
SQL_ATTR_MAX_LENGTH = 3
SQL_ATTR_ROW_BIND_TYPE = 5
SQL_BIND_BY_COLUMN = 0
SQL_ATTR_CURSOR_TYPE = 6
SQL_CURSOR_FORWARD_ONLY, SQL_CURSOR_STATIC = 0, 3
SQL_ATTR_CONCURRENCY = 7
SQL_CONCUR_READ_ONLY = 1
SQL_ROWSET_SIZE = 9  # ODBC 2
SQL_ATTR_ROW_NUMBER = 14
SQL_ATTR_ROW_STATUS_PTR = 25
SQL_ATTR_ROWS_FETCHED_PTR = 26
SQL_ATTR_ROW_ARRAY_SIZE = 27
SQL_ATTR_CURSOR_SCROLLABLE = -1
SQL_ATTR_METADATA_ID = 10014

SQL_FETCH_NEXT, SQL_FETCH_FIRST, SQL_FETCH_LAST, SQL_FETCH_PRIOR = 1, 2, 3, 4
SQL_FETCH_ABSOLUTE, SQL_FETCH_RELATIVE = 5, 6

SQL_CLOSE, SQL_DROP, SQL_UNBIND, SQL_RESET_PARAMS = 0, 1, 2, 3
SQL_COMMIT, SQL_ROLLBACK = 0, 1

# C types
SQL_C_CHAR, SQL_C_WCHAR, SQL_C_SLONG, SQL_C_SBIGINT, SQL_C_DOUBLE = 1, -8, -16, -25, 8
SQL_C_BIT, SQL_C_DEFAULT = -7, 99
SQL_C_TYPE_TIMESTAMP = 93
# SQL types
SQL_CHAR, SQL_VARCHAR, SQL_LONGVARCHAR = 1, 12, -1
SQL_WCHAR, SQL_WVARCHAR, SQL_WLONGVARCHAR = -8, -9, -10
SQL_INTEGER, SQL_BIGINT, SQL_DOUBLE, SQL_BIT = 4, -5, 8, -7
SQL_TYPE_DATE, SQL_TYPE_TIME, SQL_TYPE_TIMESTAMP = 91, 92, 93
SQL_DATETIME = 9
SQL_ALL_TYPES = 0
SQL_PARAM_INPUT = 1

# SEARCHABLE column of SQLGetTypeInfo
SQL_PRED_NONE, SQL_PRED_CHAR, SQL_PRED_BASIC, SQL_SEARCHABLE = 0, 1, 2, 3

# SQLColAttribute field identifiers
SQL_DESC_COUNT = 1001
SQL_DESC_TYPE = 1002
SQL_DESC_LENGTH = 1003
SQL_DESC_PRECISION = 1005
SQL_DESC_SCALE = 1006
SQL_DESC_NULLABLE = 1008
SQL_DESC_NAME = 1011
SQL_DESC_AUTO_UNIQUE_VALUE = 11
SQL_DESC_CASE_SENSITIVE = 12
SQL_DESC_CATALOG_NAME = 17
SQL_DESC_CONCISE_TYPE = 2
SQL_DESC_DISPLAY_SIZE = 6
SQL_DESC_LABEL = 18
SQL_DESC_SCHEMA_NAME = 16
SQL_DESC_SEARCHABLE = 13
SQL_DESC_TABLE_NAME = 15
SQL_DESC_TYPE_NAME = 14
SQL_DESC_UNSIGNED = 8
SQL_DESC_UPDATABLE = 10
SQL_DESC_OCTET_LENGTH = 1013
SQL_DESC_BASE_COLUMN_NAME = 22
SQL_DESC_BASE_TABLE_NAME = 23
SQL_DESC_LITERAL_PREFIX = 27
SQL_DESC_LOCAL_TYPE_NAME = 29
SQL_DESC_NUM_PREC_RADIX = 32
# ODBC 2 SQLColAttributes identifiers
SQL_COLUMN_COUNT, SQL_COLUMN_NAME, SQL_COLUMN_TYPE, SQL_COLUMN_LENGTH = 0, 1, 2, 3
SQL_COLUMN_PRECISION, SQL_COLUMN_SCALE, SQL_COLUMN_DISPLAY_SIZE = 4, 5, 6
SQL_COLUMN_NULLABLE, SQL_COLUMN_TYPE_NAME, SQL_COLUMN_LABEL = 7, 14, 18

SQL_API_ODBC3_ALL_FUNCTIONS = 999
SQL_API_ODBC3_ALL_FUNCTIONS_SIZE = 250

# SQLGetInfo types, with the C type each answers in: 's' text, 'h' SQLUSMALLINT, 'i' SQLUINTEGER
INFO = {
    0: ("SQL_MAX_DRIVER_CONNECTIONS", "h"),
    1: ("SQL_MAX_CONCURRENT_ACTIVITIES", "h"),
    2: ("SQL_DATA_SOURCE_NAME", "s"),
    6: ("SQL_DRIVER_NAME", "s"),
    7: ("SQL_DRIVER_VER", "s"),
    8: ("SQL_FETCH_DIRECTION", "i"),
    10: ("SQL_ODBC_VER", "s"),
    11: ("SQL_ROW_UPDATES", "s"),
    13: ("SQL_SERVER_NAME", "s"),
    14: ("SQL_SEARCH_PATTERN_ESCAPE", "s"),
    16: ("SQL_DATABASE_NAME", "s"),
    17: ("SQL_DBMS_NAME", "s"),
    18: ("SQL_DBMS_VER", "s"),
    19: ("SQL_ACCESSIBLE_TABLES", "s"),
    20: ("SQL_ACCESSIBLE_PROCEDURES", "s"),
    21: ("SQL_PROCEDURES", "s"),
    22: ("SQL_CONCAT_NULL_BEHAVIOR", "h"),
    23: ("SQL_CURSOR_COMMIT_BEHAVIOR", "h"),
    24: ("SQL_CURSOR_ROLLBACK_BEHAVIOR", "h"),
    25: ("SQL_DATA_SOURCE_READ_ONLY", "s"),
    26: ("SQL_DEFAULT_TXN_ISOLATION", "i"),
    27: ("SQL_EXPRESSIONS_IN_ORDERBY", "s"),
    28: ("SQL_IDENTIFIER_CASE", "h"),
    29: ("SQL_IDENTIFIER_QUOTE_CHAR", "s"),
    30: ("SQL_MAX_COLUMN_NAME_LEN", "h"),
    31: ("SQL_MAX_CURSOR_NAME_LEN", "h"),
    32: ("SQL_MAX_SCHEMA_NAME_LEN", "h"),
    34: ("SQL_MAX_CATALOG_NAME_LEN", "h"),
    35: ("SQL_MAX_TABLE_NAME_LEN", "h"),
    36: ("SQL_MULT_RESULT_SETS", "s"),
    37: ("SQL_MULTIPLE_ACTIVE_TXN", "s"),
    38: ("SQL_OUTER_JOINS", "s"),
    39: ("SQL_SCHEMA_TERM", "s"),
    40: ("SQL_PROCEDURE_TERM", "s"),
    41: ("SQL_CATALOG_NAME_SEPARATOR", "s"),
    42: ("SQL_CATALOG_TERM", "s"),
    43: ("SQL_SCROLL_CONCURRENCY", "i"),
    44: ("SQL_SCROLL_OPTIONS", "i"),
    45: ("SQL_TABLE_TERM", "s"),
    46: ("SQL_TXN_CAPABLE", "h"),
    47: ("SQL_USER_NAME", "s"),
    48: ("SQL_CONVERT_FUNCTIONS", "i"),
    49: ("SQL_NUMERIC_FUNCTIONS", "i"),
    50: ("SQL_STRING_FUNCTIONS", "i"),
    51: ("SQL_SYSTEM_FUNCTIONS", "i"),
    52: ("SQL_TIMEDATE_FUNCTIONS", "i"),
    53: ("SQL_CONVERT_BIGINT", "i"),
    54: ("SQL_CONVERT_BINARY", "i"),
    55: ("SQL_CONVERT_BIT", "i"),
    56: ("SQL_CONVERT_CHAR", "i"),
    57: ("SQL_CONVERT_DATE", "i"),
    58: ("SQL_CONVERT_DECIMAL", "i"),
    59: ("SQL_CONVERT_DOUBLE", "i"),
    60: ("SQL_CONVERT_FLOAT", "i"),
    61: ("SQL_CONVERT_INTEGER", "i"),
    62: ("SQL_CONVERT_LONGVARCHAR", "i"),
    63: ("SQL_CONVERT_NUMERIC", "i"),
    64: ("SQL_CONVERT_REAL", "i"),
    65: ("SQL_CONVERT_SMALLINT", "i"),
    66: ("SQL_CONVERT_TIME", "i"),
    67: ("SQL_CONVERT_TIMESTAMP", "i"),
    68: ("SQL_CONVERT_TINYINT", "i"),
    69: ("SQL_CONVERT_VARBINARY", "i"),
    70: ("SQL_CONVERT_VARCHAR", "i"),
    71: ("SQL_CONVERT_LONGVARBINARY", "i"),
    72: ("SQL_TXN_ISOLATION_OPTION", "i"),
    73: ("SQL_INTEGRITY", "s"),
    74: ("SQL_CORRELATION_NAME", "h"),
    75: ("SQL_NON_NULLABLE_COLUMNS", "h"),
    77: ("SQL_DRIVER_ODBC_VER", "s"),
    78: ("SQL_LOCK_TYPES", "i"),
    79: ("SQL_POS_OPERATIONS", "i"),
    80: ("SQL_POSITIONED_STATEMENTS", "i"),
    81: ("SQL_GETDATA_EXTENSIONS", "i"),
    82: ("SQL_BOOKMARK_PERSISTENCE", "i"),
    83: ("SQL_STATIC_SENSITIVITY", "i"),
    84: ("SQL_FILE_USAGE", "h"),
    85: ("SQL_NULL_COLLATION", "h"),
    86: ("SQL_ALTER_TABLE", "i"),
    87: ("SQL_COLUMN_ALIAS", "s"),
    88: ("SQL_GROUP_BY", "h"),
    89: ("SQL_KEYWORDS", "s"),
    90: ("SQL_ORDER_BY_COLUMNS_IN_SELECT", "s"),
    91: ("SQL_SCHEMA_USAGE", "i"),
    92: ("SQL_CATALOG_USAGE", "i"),
    93: ("SQL_QUOTED_IDENTIFIER_CASE", "h"),
    94: ("SQL_SPECIAL_CHARACTERS", "s"),
    95: ("SQL_SUBQUERIES", "i"),
    96: ("SQL_UNION", "i"),
    97: ("SQL_MAX_COLUMNS_IN_GROUP_BY", "h"),
    98: ("SQL_MAX_COLUMNS_IN_INDEX", "h"),
    99: ("SQL_MAX_COLUMNS_IN_ORDER_BY", "h"),
    100: ("SQL_MAX_COLUMNS_IN_SELECT", "h"),
    101: ("SQL_MAX_COLUMNS_IN_TABLE", "h"),
    104: ("SQL_MAX_ROW_SIZE", "i"),
    105: ("SQL_MAX_STATEMENT_LEN", "i"),
    106: ("SQL_MAX_TABLES_IN_SELECT", "h"),
    107: ("SQL_MAX_USER_NAME_LEN", "h"),
    108: ("SQL_MAX_CHAR_LITERAL_LEN", "i"),
    109: ("SQL_TIMEDATE_ADD_INTERVALS", "i"),
    110: ("SQL_TIMEDATE_DIFF_INTERVALS", "i"),
    111: ("SQL_NEED_LONG_DATA_LEN", "s"),
    113: ("SQL_LIKE_ESCAPE_CLAUSE", "s"),
    114: ("SQL_CATALOG_LOCATION", "h"),
    115: ("SQL_OJ_CAPABILITIES", "i"),
    118: ("SQL_SQL_CONFORMANCE", "i"),
    119: ("SQL_DATETIME_LITERALS", "i"),
    122: ("SQL_CONVERT_WCHAR", "i"),
    124: ("SQL_CONVERT_INTERVAL_DAY_TIME", "i"),
    125: ("SQL_CONVERT_WLONGVARCHAR", "i"),
    126: ("SQL_CONVERT_WVARCHAR", "i"),
    146: ("SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1", "i"),
    147: ("SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2", "i"),
    152: ("SQL_ODBC_INTERFACE_CONFORMANCE", "i"),
    155: ("SQL_SQL92_DATETIME_FUNCTIONS", "i"),
    159: ("SQL_SQL92_NUMERIC_VALUE_FUNCTIONS", "i"),
    160: ("SQL_SQL92_PREDICATES", "i"),
    161: ("SQL_SQL92_RELATIONAL_JOIN_OPERATORS", "i"),
    164: ("SQL_SQL92_STRING_FUNCTIONS", "i"),
    165: ("SQL_SQL92_VALUE_EXPRESSIONS", "i"),
    167: ("SQL_STATIC_CURSOR_ATTRIBUTES1", "i"),
    168: ("SQL_STATIC_CURSOR_ATTRIBUTES2", "i"),
    169: ("SQL_AGGREGATE_FUNCTIONS", "i"),
    173: ("SQL_CONVERT_GUID", "i"),
    180: ("SQL_RETURN_ESCAPE_CLAUSE", "i"),
    10003: ("SQL_CATALOG_NAME", "s"),
    10005: ("SQL_MAX_IDENTIFIER_LEN", "h"),
}
INFO_CODE = {name: code for code, (name, _) in INFO.items()}

# --- the library ----------------------------------------------------------------------------

SQLHANDLE = c_void_p
SQLLEN = c_int64  # unixODBC on 64-bit: SQLLEN is 64 bits
SQLULEN = c_uint64

lib = ctypes.CDLL("libodbc.so.2")

_sigs = {
    "SQLAllocHandle": [c_int16, SQLHANDLE, POINTER(SQLHANDLE)],
    "SQLFreeHandle": [c_int16, SQLHANDLE],
    "SQLAllocEnv": [POINTER(SQLHANDLE)],
    "SQLAllocConnect": [SQLHANDLE, POINTER(SQLHANDLE)],
    "SQLAllocStmt": [SQLHANDLE, POINTER(SQLHANDLE)],
    "SQLFreeEnv": [SQLHANDLE],
    "SQLFreeConnect": [SQLHANDLE],
    "SQLFreeStmt": [SQLHANDLE, c_uint16],
    "SQLSetEnvAttr": [SQLHANDLE, c_int32, c_void_p, c_int32],
    "SQLSetConnectAttr": [SQLHANDLE, c_int32, c_void_p, c_int32],
    "SQLSetConnectAttrW": [SQLHANDLE, c_int32, c_void_p, c_int32],
    "SQLSetConnectOption": [SQLHANDLE, c_uint16, SQLULEN],
    "SQLDriverConnect": [SQLHANDLE, c_void_p, c_char_p, c_int16, c_char_p, c_int16, POINTER(c_int16), c_uint16],
    "SQLDriverConnectW": [SQLHANDLE, c_void_p, c_char_p, c_int16, c_char_p, c_int16, POINTER(c_int16), c_uint16],
    "SQLDisconnect": [SQLHANDLE],
    "SQLGetInfo": [SQLHANDLE, c_uint16, c_void_p, c_int16, POINTER(c_int16)],
    "SQLGetInfoW": [SQLHANDLE, c_uint16, c_void_p, c_int16, POINTER(c_int16)],
    "SQLGetFunctions": [SQLHANDLE, c_uint16, POINTER(c_uint16)],
    "SQLGetTypeInfo": [SQLHANDLE, c_int16],
    "SQLGetTypeInfoW": [SQLHANDLE, c_int16],
    "SQLTables": [SQLHANDLE] + [c_char_p, c_int16] * 4,
    "SQLTablesW": [SQLHANDLE] + [c_char_p, c_int16] * 4,
    "SQLColumns": [SQLHANDLE] + [c_char_p, c_int16] * 4,
    "SQLColumnsW": [SQLHANDLE] + [c_char_p, c_int16] * 4,
    "SQLPrimaryKeysW": [SQLHANDLE] + [c_char_p, c_int16] * 3,
    "SQLForeignKeysW": [SQLHANDLE] + [c_char_p, c_int16] * 6,
    "SQLStatisticsW": [SQLHANDLE] + [c_char_p, c_int16] * 3 + [c_uint16, c_uint16],
    "SQLPrepare": [SQLHANDLE, c_char_p, c_int32],
    "SQLPrepareW": [SQLHANDLE, c_char_p, c_int32],
    "SQLExecute": [SQLHANDLE],
    "SQLExecDirect": [SQLHANDLE, c_char_p, c_int32],
    "SQLExecDirectW": [SQLHANDLE, c_char_p, c_int32],
    "SQLNumResultCols": [SQLHANDLE, POINTER(c_int16)],
    "SQLDescribeCol": [SQLHANDLE, c_uint16, c_char_p, c_int16, POINTER(c_int16), POINTER(c_int16),
                       POINTER(SQLULEN), POINTER(c_int16), POINTER(c_int16)],
    "SQLDescribeColW": [SQLHANDLE, c_uint16, c_char_p, c_int16, POINTER(c_int16), POINTER(c_int16),
                        POINTER(SQLULEN), POINTER(c_int16), POINTER(c_int16)],
    "SQLColAttribute": [SQLHANDLE, c_uint16, c_uint16, c_void_p, c_int16, POINTER(c_int16), POINTER(SQLLEN)],
    "SQLColAttributeW": [SQLHANDLE, c_uint16, c_uint16, c_void_p, c_int16, POINTER(c_int16), POINTER(SQLLEN)],
    "SQLColAttributes": [SQLHANDLE, c_uint16, c_uint16, c_void_p, c_int16, POINTER(c_int16), POINTER(SQLLEN)],
    "SQLBindCol": [SQLHANDLE, c_uint16, c_int16, c_void_p, SQLLEN, c_void_p],
    "SQLBindParameter": [SQLHANDLE, c_uint16, c_int16, c_int16, c_int16, SQLULEN, c_int16, c_void_p,
                         SQLLEN, c_void_p],
    "SQLFetch": [SQLHANDLE],
    "SQLFetchScroll": [SQLHANDLE, c_int16, SQLLEN],
    "SQLExtendedFetch": [SQLHANDLE, c_uint16, SQLLEN, POINTER(SQLULEN), POINTER(c_uint16)],
    "SQLGetData": [SQLHANDLE, c_uint16, c_int16, c_void_p, SQLLEN, POINTER(SQLLEN)],
    "SQLSetStmtAttr": [SQLHANDLE, c_int32, c_void_p, c_int32],
    "SQLSetStmtAttrW": [SQLHANDLE, c_int32, c_void_p, c_int32],
    "SQLGetStmtAttr": [SQLHANDLE, c_int32, c_void_p, c_int32, POINTER(c_int32)],
    "SQLSetStmtOption": [SQLHANDLE, c_uint16, SQLULEN],
    "SQLRowCount": [SQLHANDLE, POINTER(SQLLEN)],
    "SQLMoreResults": [SQLHANDLE],
    "SQLCloseCursor": [SQLHANDLE],
    "SQLCancel": [SQLHANDLE],
    "SQLGetDiagRec": [c_int16, SQLHANDLE, c_int16, c_char_p, POINTER(c_int32), c_char_p, c_int16, POINTER(c_int16)],
    "SQLGetDiagRecW": [c_int16, SQLHANDLE, c_int16, c_char_p, POINTER(c_int32), c_char_p, c_int16, POINTER(c_int16)],
    "SQLError": [SQLHANDLE, SQLHANDLE, SQLHANDLE, c_char_p, POINTER(c_int32), c_char_p, c_int16, POINTER(c_int16)],
    "SQLErrorW": [SQLHANDLE, SQLHANDLE, SQLHANDLE, c_char_p, POINTER(c_int32), c_char_p, c_int16, POINTER(c_int16)],
    "SQLEndTran": [c_int16, SQLHANDLE, c_int16],
    "SQLTransact": [SQLHANDLE, SQLHANDLE, c_uint16],
    "SQLNativeSqlW": [SQLHANDLE, c_char_p, c_int32, c_char_p, c_int32, POINTER(c_int32)],
}
for _name, _args in _sigs.items():
    _f = getattr(lib, _name)
    _f.argtypes = _args
    _f.restype = c_int16


def wide(s):
    """A Python string as NUL-terminated SQLWCHAR (UTF-16LE) bytes; None stays NULL."""
    return None if s is None else s.encode("utf-16-le") + b"\0\0"


def narrow(s):
    return None if s is None else s.encode("utf-8") + b"\0"


def from_wide(buf, nbytes=None):
    raw = buf.raw if nbytes is None else buf.raw[:nbytes]
    text = raw.decode("utf-16-le", errors="replace")
    return text.split("\0", 1)[0] if nbytes is None else text


def from_narrow(buf):
    return buf.value.decode("utf-8", errors="replace")


# --- diagnostics --------------------------------------------------------------------------

class OdbcError(Exception):
    """A call answered SQL_ERROR (or something unexpected): the function, its return code and
    the diagnostic records (SQLSTATE, native error, message) read with SQLGetDiagRecW."""

    def __init__(self, function, rc, records):
        self.function, self.rc, self.records = function, rc, records
        self.state = records[0][0] if records else None
        text = "; ".join(f"[{s}] ({n}) {m}" for s, n, m in records) or "no diagnostic record"
        super().__init__(f"{function} returned {rc}: {text}")


def diag_records(handle_type, handle, ansi=False):
    out = []
    for i in range(1, 20):
        native = c_int32()
        length = c_int16()
        if ansi:
            state, msg = create_string_buffer(6), create_string_buffer(2048)
            rc = lib.SQLGetDiagRec(handle_type, handle, i, state, byref(native), msg, 2048, byref(length))
        else:
            state, msg = create_string_buffer(12), create_string_buffer(4096)
            rc = lib.SQLGetDiagRecW(handle_type, handle, i, state, byref(native), msg, 2048, byref(length))
        if rc not in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO):
            break
        if ansi:
            out.append((from_narrow(state), native.value, from_narrow(msg)))
        else:
            out.append((from_wide(state), native.value, from_wide(msg)))
    return out


def sql_error(henv, hdbc, hstmt, wide_version=False):
    """The ODBC 2 SQLError: every pending record of the innermost handle given, oldest first."""
    out = []
    for _ in range(20):
        native = c_int32()
        length = c_int16()
        if wide_version:
            state, msg = create_string_buffer(12), create_string_buffer(4096)
            rc = lib.SQLErrorW(henv, hdbc, hstmt, state, byref(native), msg, 2048, byref(length))
        else:
            state, msg = create_string_buffer(6), create_string_buffer(2048)
            rc = lib.SQLError(henv, hdbc, hstmt, state, byref(native), msg, 2048, byref(length))
        if rc == SQL_NO_DATA:
            break
        if rc not in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO):
            raise OdbcError("SQLError", rc, [])
        if wide_version:
            out.append((from_wide(state), native.value, from_wide(msg)))
        else:
            out.append((from_narrow(state), native.value, from_narrow(msg)))
    return out


def check(rc, function, handle_type, handle, allowed=(SQL_SUCCESS, SQL_SUCCESS_WITH_INFO)):
    """Answers rc when it is one of `allowed`; raises OdbcError with the diagnostics otherwise."""
    if rc in allowed:
        return rc
    records = diag_records(handle_type, handle) if handle and rc != SQL_INVALID_HANDLE else []
    raise OdbcError(function, rc, records)


def valid_sqlstate(state):
    """A SQLSTATE a tool can act on: five characters of digits/capitals, not success/warning."""
    return (isinstance(state, str) and len(state) == 5 and state.isalnum() and state == state.upper()
            and state[:2] not in ("00", "01"))


# --- handles --------------------------------------------------------------------------------

class Env:
    def __init__(self, odbc_version=SQL_OV_ODBC3, pooling=None, odbc2_alloc=False):
        self.h = SQLHANDLE()
        if odbc2_alloc:
            check(lib.SQLAllocEnv(byref(self.h)), "SQLAllocEnv", 0, None)
        else:
            check(lib.SQLAllocHandle(SQL_HANDLE_ENV, None, byref(self.h)), "SQLAllocHandle(ENV)", 0, None)
        if pooling is not None:
            check(lib.SQLSetEnvAttr(self.h, SQL_ATTR_CONNECTION_POOLING, c_void_p(pooling), -6),
                  "SQLSetEnvAttr(CONNECTION_POOLING)", SQL_HANDLE_ENV, self.h)
        check(lib.SQLSetEnvAttr(self.h, SQL_ATTR_ODBC_VERSION, c_void_p(odbc_version), -6),
              "SQLSetEnvAttr(ODBC_VERSION)", SQL_HANDLE_ENV, self.h)

    def free(self):
        lib.SQLFreeHandle(SQL_HANDLE_ENV, self.h)


class Conn:
    def __init__(self, env, odbc2_alloc=False):
        self.env = env
        self.h = SQLHANDLE()
        if odbc2_alloc:
            check(lib.SQLAllocConnect(env.h, byref(self.h)), "SQLAllocConnect", SQL_HANDLE_ENV, env.h)
        else:
            check(lib.SQLAllocHandle(SQL_HANDLE_DBC, env.h, byref(self.h)), "SQLAllocHandle(DBC)",
                  SQL_HANDLE_ENV, env.h)

    def set_attr(self, attr, value, ansi=False):
        f = lib.SQLSetConnectAttr if ansi else lib.SQLSetConnectAttrW
        return check(f(self.h, attr, c_void_p(value), -6), f"SQLSetConnectAttr({attr})", SQL_HANDLE_DBC, self.h)

    def connect(self, conn_str, ansi=False, completion=SQL_DRIVER_NOPROMPT):
        """SQLDriverConnect(W); answers the completed connection string."""
        out_len = c_int16()
        if ansi:
            out = create_string_buffer(2048)
            rc = lib.SQLDriverConnect(self.h, None, narrow(conn_str), SQL_NTS, out, 2048, byref(out_len), completion)
            check(rc, "SQLDriverConnect", SQL_HANDLE_DBC, self.h)
            return from_narrow(out)
        out = create_string_buffer(4096)
        rc = lib.SQLDriverConnectW(self.h, None, wide(conn_str), SQL_NTS, out, 2048, byref(out_len), completion)
        check(rc, "SQLDriverConnectW", SQL_HANDLE_DBC, self.h)
        return from_wide(out)

    def info(self, code, ansi=False):
        """SQLGetInfo(W) typed by INFO: text, or an unsigned 16/32-bit integer."""
        kind = INFO[code][1] if code in INFO else "i"
        name = INFO[code][0] if code in INFO else str(code)
        f = lib.SQLGetInfo if ansi else lib.SQLGetInfoW
        fname = f"SQLGetInfo{'' if ansi else 'W'}({name})"
        length = c_int16()
        if kind == "s":
            buf = create_string_buffer(2048)
            check(f(self.h, code, buf, 1024 if ansi else 2048, byref(length)), fname, SQL_HANDLE_DBC, self.h)
            return from_narrow(buf) if ansi else from_wide(buf, length.value)
        val = c_uint16() if kind == "h" else c_uint32()
        check(f(self.h, code, byref(val), ctypes.sizeof(val), byref(length)), fname, SQL_HANDLE_DBC, self.h)
        return val.value


    def infos(self, codes, ansi=False):
        """Every info type of `codes`: the answers by code, and a line for each one refused."""
        values, failed = {}, []
        for code in codes:
            try:
                values[code] = self.info(code, ansi)
            except OdbcError as e:
                failed.append(f"{INFO[code][0]} ({code}): [{e.state}]")
        return values, failed
    def functions(self):
        """SQLGetFunctions(SQL_API_ODBC3_ALL_FUNCTIONS): the set of supported function ids."""
        arr = (c_uint16 * SQL_API_ODBC3_ALL_FUNCTIONS_SIZE)()
        check(lib.SQLGetFunctions(self.h, SQL_API_ODBC3_ALL_FUNCTIONS, arr), "SQLGetFunctions",
              SQL_HANDLE_DBC, self.h)
        return {i for i in range(SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * 16) if arr[i >> 4] & (1 << (i & 15))}

    def function(self, fid):
        v = c_uint16()
        check(lib.SQLGetFunctions(self.h, fid, byref(v)), f"SQLGetFunctions({fid})", SQL_HANDLE_DBC, self.h)
        return bool(v.value)

    def stmt(self, odbc2_alloc=False):
        return Stmt(self, odbc2_alloc)

    def end_tran(self, completion=SQL_COMMIT):
        return check(lib.SQLEndTran(SQL_HANDLE_DBC, self.h, completion), "SQLEndTran", SQL_HANDLE_DBC, self.h)

    def transact(self, completion=SQL_COMMIT):
        """ODBC 2 SQLTransact on this connection."""
        return check(lib.SQLTransact(None, self.h, completion), "SQLTransact", SQL_HANDLE_DBC, self.h)

    def disconnect(self):
        check(lib.SQLDisconnect(self.h), "SQLDisconnect", SQL_HANDLE_DBC, self.h)

    def free(self):
        lib.SQLFreeHandle(SQL_HANDLE_DBC, self.h)


class Stmt:
    def __init__(self, conn, odbc2_alloc=False):
        self.conn = conn
        self.h = SQLHANDLE()
        if odbc2_alloc:
            check(lib.SQLAllocStmt(conn.h, byref(self.h)), "SQLAllocStmt", SQL_HANDLE_DBC, conn.h)
        else:
            check(lib.SQLAllocHandle(SQL_HANDLE_STMT, conn.h, byref(self.h)), "SQLAllocHandle(STMT)",
                  SQL_HANDLE_DBC, conn.h)
        self._keep = []  # buffers bound to the handle stay alive as long as it

    def _check(self, rc, fname, allowed=(SQL_SUCCESS, SQL_SUCCESS_WITH_INFO)):
        return check(rc, fname, SQL_HANDLE_STMT, self.h, allowed)

    def diag(self):
        return diag_records(SQL_HANDLE_STMT, self.h)

    # attributes
    def set_attr(self, attr, value, ansi=False):
        f = lib.SQLSetStmtAttr if ansi else lib.SQLSetStmtAttrW
        return self._check(f(self.h, attr, c_void_p(value), 0), f"SQLSetStmtAttr({attr})")

    def set_attr_ptr(self, attr, ptr):
        self._keep.append(ptr)
        return self._check(lib.SQLSetStmtAttr(self.h, attr, ctypes.cast(ptr, c_void_p), 0),
                           f"SQLSetStmtAttr({attr})")

    def get_attr(self, attr):
        v = c_uint64()
        self._check(lib.SQLGetStmtAttr(self.h, attr, byref(v), 8, None), f"SQLGetStmtAttr({attr})")
        return v.value

    def set_option(self, option, value):
        """ODBC 2 SQLSetStmtOption."""
        return self._check(lib.SQLSetStmtOption(self.h, option, value), f"SQLSetStmtOption({option})")

    # catalog functions; None passes NULL, strings are passed as given (patterns included)
    def _args(self, values, ansi):
        out = []
        for v in values:
            if v is None:
                out += [None, 0]
            else:
                out += [narrow(v) if ansi else wide(v), SQL_NTS]
        return out

    def tables(self, catalog=None, schema=None, table=None, types=None, ansi=False):
        f = lib.SQLTables if ansi else lib.SQLTablesW
        return self._check(f(self.h, *self._args([catalog, schema, table, types], ansi)), f.__name__)

    def columns(self, catalog=None, schema=None, table=None, column=None, ansi=False):
        f = lib.SQLColumns if ansi else lib.SQLColumnsW
        return self._check(f(self.h, *self._args([catalog, schema, table, column], ansi)), f.__name__)

    def primary_keys(self, catalog, schema, table):
        return self._check(lib.SQLPrimaryKeysW(self.h, *self._args([catalog, schema, table], False)),
                           "SQLPrimaryKeysW")

    def foreign_keys(self, pk, fk):
        return self._check(lib.SQLForeignKeysW(self.h, *self._args(list(pk) + list(fk), False)),
                           "SQLForeignKeysW")

    def statistics(self, catalog, schema, table, unique=1, reserved=0):
        return self._check(lib.SQLStatisticsW(self.h, *self._args([catalog, schema, table], False),
                                              unique, reserved), "SQLStatisticsW")

    def type_info(self, data_type=SQL_ALL_TYPES, ansi=False):
        f = lib.SQLGetTypeInfo if ansi else lib.SQLGetTypeInfoW
        return self._check(f(self.h, data_type), f.__name__)

    # statements
    def prepare(self, sql, ansi=False):
        if ansi:
            return self._check(lib.SQLPrepare(self.h, narrow(sql), SQL_NTS), "SQLPrepare")
        return self._check(lib.SQLPrepareW(self.h, wide(sql), SQL_NTS), "SQLPrepareW")

    def execute(self, allowed=(SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA)):
        return self._check(lib.SQLExecute(self.h), "SQLExecute", allowed)

    def exec_direct(self, sql, ansi=False, allowed=(SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA)):
        if ansi:
            return self._check(lib.SQLExecDirect(self.h, narrow(sql), SQL_NTS), "SQLExecDirect", allowed)
        return self._check(lib.SQLExecDirectW(self.h, wide(sql), SQL_NTS), "SQLExecDirectW", allowed)

    def try_exec_direct(self, sql, ansi=False):
        """Runs sql; answers (rc, diagnostic records) without raising on SQL_ERROR."""
        if ansi:
            rc = lib.SQLExecDirect(self.h, narrow(sql), SQL_NTS)
        else:
            rc = lib.SQLExecDirectW(self.h, wide(sql), SQL_NTS)
        recs = self.diag() if rc in (SQL_ERROR, SQL_SUCCESS_WITH_INFO) else []
        return rc, recs

    def bind_param(self, number, value):
        """SQLBindParameter for an input int, float or str (as SQL_C_WCHAR)."""
        ind = SQLLEN()
        if isinstance(value, bool) or isinstance(value, int):
            buf, ctype, stype, size = c_int64(int(value)), SQL_C_SBIGINT, SQL_BIGINT, 19
            ind.value = 0
        elif isinstance(value, float):
            buf, ctype, stype, size = ctypes.c_double(value), SQL_C_DOUBLE, SQL_DOUBLE, 15
            ind.value = 0
        else:
            data = wide(value)
            buf, ctype, stype, size = create_string_buffer(data, len(data)), SQL_C_WCHAR, SQL_WVARCHAR, max(len(value), 1)
            ind.value = len(data) - 2
        self._keep += [buf, ind]
        return self._check(lib.SQLBindParameter(self.h, number, SQL_PARAM_INPUT, ctype, stype, size, 0,
                                                ctypes.cast(ctypes.pointer(buf), c_void_p), ctypes.sizeof(buf),
                                                ctypes.cast(ctypes.pointer(ind), c_void_p)),
                           "SQLBindParameter")

    def num_cols(self):
        n = c_int16()
        self._check(lib.SQLNumResultCols(self.h, byref(n)), "SQLNumResultCols")
        return n.value

    def describe(self, col, ansi=False):
        """SQLDescribeCol(W): (name, sql type, column size, decimal digits, nullable)."""
        name_len, dtype, dec, nullable = c_int16(), c_int16(), c_int16(), c_int16()
        size = SQLULEN()
        if ansi:
            name = create_string_buffer(512)
            self._check(lib.SQLDescribeCol(self.h, col, name, 512, byref(name_len), byref(dtype), byref(size),
                                           byref(dec), byref(nullable)), "SQLDescribeCol")
            n = from_narrow(name)
        else:
            name = create_string_buffer(1024)
            self._check(lib.SQLDescribeColW(self.h, col, name, 512, byref(name_len), byref(dtype), byref(size),
                                            byref(dec), byref(nullable)), "SQLDescribeColW")
            n = from_wide(name)
        return n, dtype.value, size.value, dec.value, nullable.value

    def col_attr(self, col, field, text=False, ansi=False, odbc2=False):
        """SQLColAttribute(W) (or the ODBC 2 SQLColAttributes): a text or a numeric attribute."""
        num = SQLLEN()
        length = c_int16()
        buf = create_string_buffer(1024)
        if odbc2:
            f, fname = lib.SQLColAttributes, "SQLColAttributes"
        elif ansi:
            f, fname = lib.SQLColAttribute, "SQLColAttribute"
        else:
            f, fname = lib.SQLColAttributeW, "SQLColAttributeW"
        self._check(f(self.h, col, field, buf if text else None, 1024 if text else 0, byref(length), byref(num)),
                    f"{fname}({field})")
        if text:
            return from_narrow(buf) if (ansi or odbc2) else from_wide(buf, length.value)
        return num.value

    def row_count(self):
        n = SQLLEN()
        self._check(lib.SQLRowCount(self.h, byref(n)), "SQLRowCount")
        return n.value

    def fetch(self):
        """SQLFetch: True for a row (or rowset), False at the end."""
        rc = self._check(lib.SQLFetch(self.h), "SQLFetch", (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA))
        return rc != SQL_NO_DATA

    def fetch_scroll(self, orientation=SQL_FETCH_NEXT, offset=0):
        rc = self._check(lib.SQLFetchScroll(self.h, orientation, offset), "SQLFetchScroll",
                         (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA))
        return rc != SQL_NO_DATA

    def get_data(self, col, ctype=SQL_C_WCHAR, chunk=4096):
        """SQLGetData in pieces as text (wide or narrow), an int, a float or None for NULL."""
        ind = SQLLEN()
        if ctype in (SQL_C_SBIGINT, SQL_C_SLONG, SQL_C_BIT):
            v = c_int64()
            self._check(lib.SQLGetData(self.h, col, SQL_C_SBIGINT if ctype != SQL_C_BIT else SQL_C_BIT, byref(v), 8,
                                       byref(ind)), "SQLGetData")
            return None if ind.value == SQL_NULL_DATA else (v.value & 0xFF if ctype == SQL_C_BIT else v.value)
        if ctype == SQL_C_DOUBLE:
            v = ctypes.c_double()
            self._check(lib.SQLGetData(self.h, col, SQL_C_DOUBLE, byref(v), 8, byref(ind)), "SQLGetData")
            return None if ind.value == SQL_NULL_DATA else v.value
        unit = 2 if ctype == SQL_C_WCHAR else 1
        parts = b""
        while True:
            buf = create_string_buffer(chunk)
            rc = self._check(lib.SQLGetData(self.h, col, ctype, buf, chunk, byref(ind)), "SQLGetData",
                             (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA))
            if rc == SQL_NO_DATA:
                break
            if ind.value == SQL_NULL_DATA:
                return None
            if rc == SQL_SUCCESS_WITH_INFO and (ind.value == SQL_NO_TOTAL or ind.value >= chunk - unit):
                parts += buf.raw[:chunk - unit]
                continue
            parts += buf.raw[:ind.value]
            break
        return parts.decode("utf-16-le" if unit == 2 else "utf-8", errors="replace")

    def rows(self, ctype=SQL_C_WCHAR, limit=None):
        """Every remaining row, read with SQLFetch and SQLGetData (as text)."""
        n = self.num_cols()
        out = []
        while (limit is None or len(out) < limit) and self.fetch():
            out.append([self.get_data(i, ctype) for i in range(1, n + 1)])
        return out

    def bind_block(self, specs, array_size):
        """Binds columns column-wise for block fetch: specs is [(column, 'int'|'float'|'text', width)].
        Sets SQL_ATTR_ROW_ARRAY_SIZE, SQL_ATTR_ROWS_FETCHED_PTR and SQL_ATTR_ROW_STATUS_PTR.
        Answers a BlockFetch that reads the rowsets."""
        return BlockFetch(self, specs, array_size)

    def close_cursor(self):
        return self._check(lib.SQLCloseCursor(self.h), "SQLCloseCursor")

    def free_stmt(self, option=SQL_CLOSE):
        return self._check(lib.SQLFreeStmt(self.h, option), f"SQLFreeStmt({option})")

    def cancel(self):
        return self._check(lib.SQLCancel(self.h), "SQLCancel")

    def free(self):
        lib.SQLFreeHandle(SQL_HANDLE_STMT, self.h)


class BlockFetch:
    def __init__(self, stmt, specs, array_size):
        self.stmt, self.specs, self.n = stmt, specs, array_size
        self.fetched = SQLULEN()
        self.status = (c_uint16 * array_size)()
        stmt.set_attr(SQL_ATTR_ROW_BIND_TYPE, SQL_BIND_BY_COLUMN)
        stmt.set_attr(SQL_ATTR_ROW_ARRAY_SIZE, array_size)
        stmt.set_attr_ptr(SQL_ATTR_ROWS_FETCHED_PTR, ctypes.pointer(self.fetched))
        stmt.set_attr_ptr(SQL_ATTR_ROW_STATUS_PTR, self.status)
        self.cols = []
        for col, kind, width in specs:
            ind = (SQLLEN * array_size)()
            if kind == "int":
                data, ctype, size = (c_int64 * array_size)(), SQL_C_SBIGINT, 8
            elif kind == "float":
                data, ctype, size = (ctypes.c_double * array_size)(), SQL_C_DOUBLE, 8
            else:
                size = (width + 1) * 2
                data, ctype = create_string_buffer(size * array_size), SQL_C_WCHAR
            stmt._keep += [data, ind]
            stmt._check(lib.SQLBindCol(stmt.h, col, ctype, ctypes.cast(data, c_void_p), size,
                                       ctypes.cast(ind, c_void_p)), "SQLBindCol")
            self.cols.append((kind, data, ind, size))

    def rowset(self, scroll=False, orientation=SQL_FETCH_NEXT, offset=0):
        """One rowset (list of rows), or None at the end."""
        more = self.stmt.fetch_scroll(orientation, offset) if scroll else self.stmt.fetch()
        if not more:
            return None
        out = []
        for r in range(self.fetched.value):
            row = []
            for kind, data, ind, size in self.cols:
                if ind[r] == SQL_NULL_DATA:
                    row.append(None)
                elif kind in ("int", "float"):
                    row.append(data[r])
                else:
                    raw = data.raw[r * size:(r + 1) * size]
                    row.append(raw[:min(ind[r], size - 2)].decode("utf-16-le", errors="replace"))
            out.append(row)
        return out


# --- the sandbox's request counter ----------------------------------------------------------

class Sandbox:
    """GET {base}/_sandbox/stats answers {"requests": n, "by_route": {"GET /api/v2/deals": n, ...}};
    DELETE resets it."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def stats(self):
        with urllib.request.urlopen(f"{self.base}/_sandbox/stats") as r:
            return json.load(r)

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(f"{self.base}/_sandbox/stats", method="DELETE")).read()

    @staticmethod
    def is_metadata(route):
        # field definitions (dealFields, personFields, ...) describe columns; everything else reads rows
        return "Fields" in route.split("?")[0]

    def data_requests(self):
        """Requests since the last reset that read rows (everything but field definitions)."""
        return {k: n for k, n in self.stats()["by_route"].items() if not self.is_metadata(k)}

    def data_count(self):
        return sum(self.data_requests().values())


# --- the check runner -----------------------------------------------------------------------

class Checks:
    """Runs named steps in order, records each one's outcome, keeps going after a failure (so one
    run reports every step) and ends with "all checks passed" only when all passed."""

    def __init__(self, title):
        self.title = title
        self.results = []

    def step(self, name, fn, *args):
        try:
            value = fn(*args)
        except AssertionError as e:
            self.results.append((name, False, f"assertion failed: {e}"))
            print(f"FAIL {name}: {e}", flush=True)
            return None
        except OdbcError as e:
            self.results.append((name, False, str(e)))
            print(f"FAIL {name}: {e}", flush=True)
            return None
        except Exception as e:  # a crash in the binding or script is a failure too
            self.results.append((name, False, f"{type(e).__name__}: {e}"))
            print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
            traceback.print_exc()
            return None
        self.results.append((name, True, ""))
        print(f"ok   {name}", flush=True)
        return value

    def finish(self):
        failed = [r for r in self.results if not r[1]]
        print(f"{self.title}: {len(self.results) - len(failed)} of {len(self.results)} steps passed")
        if failed:
            print("failed steps:")
            for name, _, msg in failed:
                print(f"  - {name}: {msg}")
            sys.exit(1)
        print("all checks passed")


def conn_string(arg):
    """A DSN name or a connection string, as the scripts take either."""
    return arg if "=" in arg else f"DSN={arg}"


def escape_pattern(name, escape="\\"):
    """A name as a catalog-function pattern: `_` and `%` (and the escape) escaped, as Power BI does."""
    return "".join(escape + c if c in ("_", "%", escape) else c for c in name)
