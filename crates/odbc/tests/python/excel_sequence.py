"""Excel's ODBC call sequence through Microsoft Query (Data > Get Data > From Other Sources > From
Microsoft Query on Windows; Data > New Database Query on the Mac, through iODBC): an ANSI,
ODBC 2-style application. Made through unixODBC against the sandbox.

(Excel's Get Data > From ODBC is Power Query, the sequence of powerbi_sequence.py.)

Sources:
- opendistro-for-elasticsearch/sql issue #601 and pull request #592: Excel for Mac calls the
  ODBC 2.x SQLError to show a failed query's message, and shows nothing when the driver lacks it.
- Microsoft, ODBC Programmer's Reference, "Mapping Deprecated Functions" and "SQLSTATE Mappings":
  an ODBC 2 application (SQLAllocEnv, SQLAllocConnect, SQLAllocStmt, SQLColAttributes,
  SQLExtendedFetch with SQL_ROWSET_SIZE, SQLError, SQLTransact) gets ODBC 2 SQLSTATEs (S0002 for
  42S02) and ODBC 2 date/time type codes (SQL_TIMESTAMP = 11) from SQLColumns.
- Microsoft Query's own SQL: table aliases equal to the table name, criteria in parentheses,
  catalog functions with the table name passed as a pattern unescaped.

Usage: excel_sequence.py <DSN or connection string> <sandbox base URL>"""

import ctypes
import sys
from ctypes import byref, c_int16, c_int64, c_uint16, c_void_p, create_string_buffer

from odbc_calls import *

target, base = conn_string(sys.argv[1]), sys.argv[2]
sandbox = Sandbox(base)
checks = Checks("Excel (Microsoft Query) sequence")
state = {}

SQL_TIMESTAMP_ODBC2, SQL_DATE_ODBC2, SQL_TIME_ODBC2 = 11, 9, 10

EXCEL_INFO = [6, 7, 17, 18, 10, 77, 29, 14, 39, 42, 41, 45, 1, 30, 35, 46, 23, 8, 44, 38, 115, 27,
              74, 75, 87, 90, 92, 91, 114, 28, 19]


def connect():
    # MS Query: SQLAllocEnv (ODBC 2 behaviour), SQLAllocConnect, SQLDriverConnect (ANSI) with
    # SQL_DRIVER_COMPLETE so the driver's dialog appears only when something is missing.
    env = Env(SQL_OV_ODBC2, odbc2_alloc=True)
    conn = Conn(env, odbc2_alloc=True)
    conn.connect(target, ansi=True, completion=SQL_DRIVER_COMPLETE)
    state["env"], state["conn"] = env, conn


def info():
    # SQLGetInfo (ANSI) for the terms, quoting and limits MS Query builds its dialogs and SQL from.
    conn = state["conn"]
    failed, values = [], {}
    for code in EXCEL_INFO:
        try:
            values[code] = conn.info(code, ansi=True)
        except OdbcError as e:
            failed.append(f"{INFO[code][0]} ({code}): [{e.state}]")
    assert not failed, "SQLGetInfo does not answer: " + ", ".join(failed)
    assert values[17] == "Pipedrive" and values[29] == '"' and values[14] == "\\", values


def stmt():
    return state["conn"].stmt(odbc2_alloc=True)


def tables():
    # "Choose Columns": SQLTables with the table types MS Query shows.
    s = stmt()
    s.tables(None, None, "%", "'TABLE','VIEW','SYSTEM TABLE'", ansi=True)
    names = [r[2] for r in s.rows(SQL_C_CHAR)]
    s.free_stmt(SQL_DROP)
    assert "Deals" in names and "DealFieldOptions" in names, names


def columns_by_pattern():
    # Expanding a table: SQLColumns with the name as given (MS Query does not escape `_`), so `_`
    # matches any one character; a pattern escaped with SQL_SEARCH_PATTERN_ESCAPE stays literal.
    def cols(table, column=None, catalog=None, schema=None):
        s = stmt()
        s.columns(catalog, schema, table, column, ansi=True)
        rows = s.rows(SQL_C_CHAR)
        s.free_stmt(SQL_DROP)
        return rows

    deal_fields = cols("Deal_ields")
    assert deal_fields and {r[2] for r in deal_fields} == {"DealFields"}, {r[2] for r in deal_fields}
    assert [r[3] for r in cols("Deals", "Lead_Source")] == ["Lead Source"]
    assert cols("Deals", "Lead\\_Source") == [], "an escaped _ matched a space"
    assert cols("Deal\\_ields") == [], "an escaped _ matched a letter"
    many = {r[2] for r in cols("Deal%", "Id", "Pipedrive", "Pipedrive")}
    assert {"Deals", "DealsProducts"} <= many, many
    state["deal_columns"] = cols("Deals")


def odbc2_types():
    # Under ODBC 2 behaviour SQLColumns reports SQL_TIMESTAMP (11), SQL_DATE (9), SQL_TIME (10).
    rows = state.get("deal_columns") or []
    assert rows, "no columns (the previous step failed)"
    by_name = {r[3]: int(r[4]) for r in rows}
    assert by_name["AddTime"] == SQL_TIMESTAMP_ODBC2, by_name["AddTime"]
    assert by_name["ExpectedCloseDate"] == SQL_DATE_ODBC2, by_name["ExpectedCloseDate"]
    assert by_name["Call time"] == SQL_TIME_ODBC2, by_name["Call time"]


def query_text():
    return ('SELECT Deals.Id, Deals.Title, Deals.Status, Deals."Lead Source", Deals.AddTime '
            "FROM Pipedrive.Deals Deals WHERE (Deals.Status='won') AND (Deals.Id<300) ORDER BY Deals.Id")


def describe():
    # Returning data: SQLExecDirect, SQLNumResultCols, SQLDescribeCol and the ODBC 2
    # SQLColAttributes (display size, type name, label) to size the sheet's columns.
    s = stmt()
    s.exec_direct(query_text(), ansi=True)
    n = s.num_cols()
    assert n == 5, n
    described = [s.describe(i, ansi=True) for i in range(1, n + 1)]
    assert [d[0] for d in described] == ["Id", "Title", "Status", "Lead Source", "AddTime"], described
    assert described[4][1] == SQL_TIMESTAMP_ODBC2, f"AddTime described as type {described[4][1]} under ODBC 2"
    for i in range(1, n + 1):
        size = s.col_attr(i, SQL_COLUMN_DISPLAY_SIZE, odbc2=True)
        tname = s.col_attr(i, SQL_COLUMN_TYPE_NAME, text=True, odbc2=True)
        label = s.col_attr(i, SQL_COLUMN_LABEL, text=True, odbc2=True)
        assert size > 0 and tname and label == described[i - 1][0], (i, size, tname, label)
    assert s.col_attr(1, SQL_COLUMN_COUNT, odbc2=True) == n
    s.free_stmt(SQL_DROP)


def fetch_get_data():
    # Reading rows: SQLFetch and SQLGetData as SQL_C_CHAR.
    s = stmt()
    s.exec_direct(query_text(), ansi=True)
    rows = s.rows(SQL_C_CHAR)
    s.free_stmt(SQL_DROP)
    assert rows and all(r[2] == "won" for r in rows), rows[:3]
    assert [int(r[0]) for r in rows] == sorted(int(r[0]) for r in rows)
    state["rows"] = rows


def extended_fetch():
    # ODBC 2 block fetch: SQLSetStmtOption(SQL_ROWSET_SIZE), SQLBindCol, SQLExtendedFetch. The
    # Windows driver manager maps SQLExtendedFetch onto SQLFetchScroll for an ODBC 3 driver;
    # unixODBC passes it to the driver as is, so the driver has to export it.
    s = stmt()
    s.set_option(SQL_ROWSET_SIZE, 20)
    s.exec_direct(query_text(), ansi=True)
    ids = (c_int64 * 20)()
    ind = (SQLLEN * 20)()
    s._keep += [ids, ind]
    s._check(lib.SQLBindCol(s.h, 1, SQL_C_SBIGINT, ctypes.cast(ids, c_void_p), 8, ctypes.cast(ind, c_void_p)),
             "SQLBindCol")
    got = []
    fetched = SQLULEN()
    status = (c_uint16 * 20)()
    while True:
        rc = s._check(lib.SQLExtendedFetch(s.h, SQL_FETCH_NEXT, 0, byref(fetched), status), "SQLExtendedFetch",
                      (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA))
        if rc == SQL_NO_DATA:
            break
        assert 0 < fetched.value <= 20, fetched.value
        got += [ids[i] for i in range(fetched.value)]
    s.free_stmt(SQL_DROP)
    expected = [int(r[0]) for r in state.get("rows", [])]
    assert got == expected, (got[:5], expected[:5])


def criteria_literals():
    # MS Query criteria with ODBC escapes: {ts '...'} for dates, {fn ...} for functions.
    s = stmt()
    s.exec_direct("SELECT Deals.Id FROM Pipedrive.Deals Deals WHERE (Deals.AddTime>={ts '2000-01-01 00:00:00'}) "
                  "AND ({fn UCASE(Deals.Status)}='WON') AND (Deals.Id<50)", ansi=True)
    rows = s.rows(SQL_C_CHAR)
    s.free_stmt(SQL_DROP)
    assert rows, "no rows"


def sql_error_statement():
    # A failed query: Excel for Mac reads the message with the ODBC 2 SQLError(henv, hdbc, hstmt)
    # until SQL_NO_DATA (opendistro #601). Under ODBC 2 behaviour 42S02 reads as S0002.
    s = stmt()
    rc, _ = s.try_exec_direct("SELECT * FROM NoSuchTable", ansi=True)
    assert rc == SQL_ERROR, rc
    recs = sql_error(state["env"].h, state["conn"].h, s.h)
    assert recs, "SQLError answered no record"
    assert recs[0][0] == "S0002", recs
    assert "NoSuchTable" in recs[0][2], recs
    again = sql_error(state["env"].h, state["conn"].h, s.h)
    assert again == [], f"SQLError repeated its records: {again}"
    rc, _ = s.try_exec_direct("SELEC Id FROM Deals", ansi=True)
    assert rc == SQL_ERROR, rc
    recs = sql_error(state["env"].h, state["conn"].h, s.h, wide_version=True)
    assert recs and recs[0][0] == "37000", f"a syntax error under ODBC 2 (SQLErrorW): {recs}"
    s.free_stmt(SQL_DROP)


def sql_error_connection():
    # SQLError on the connection handle (no statement) after a failed SQLGetInfo: S1096 under
    # ODBC 2 behaviour for an unknown information type.
    conn = state["conn"]
    length = c_int16()
    buf = create_string_buffer(64)
    rc = lib.SQLGetInfo(conn.h, 9999, buf, 64, byref(length))
    assert rc == SQL_ERROR, rc
    recs = sql_error(state["env"].h, conn.h, None)
    assert recs and recs[0][0] == "S1096", recs


def transact():
    # MS Query ends with the ODBC 2 SQLTransact(SQL_COMMIT); a driver without transactions
    # accepts it.
    state["conn"].transact(SQL_COMMIT)


def disconnect():
    conn, env = state["conn"], state["env"]
    conn.disconnect()
    check(lib.SQLFreeConnect(conn.h), "SQLFreeConnect", SQL_HANDLE_DBC, conn.h)
    check(lib.SQLFreeEnv(env.h), "SQLFreeEnv", SQL_HANDLE_ENV, env.h)


checks.step("connect: SQLAllocEnv, SQLAllocConnect, SQLDriverConnect (ANSI, COMPLETE)", connect)
if "conn" not in state:
    checks.finish()
checks.step("SQLGetInfo (ANSI): terms, quoting, pattern escape", info)
checks.step("SQLTables (ANSI) with table types", tables)
checks.step("SQLColumns (ANSI) by pattern: `_` and escaped `\\_`", columns_by_pattern)
checks.step("SQLColumns under ODBC 2: SQL_TIMESTAMP/DATE/TIME codes", odbc2_types)
checks.step("SQLExecDirect, SQLDescribeCol, SQLColAttributes (ODBC 2)", describe)
checks.step("SQLFetch + SQLGetData (SQL_C_CHAR)", fetch_get_data)
checks.step("SQL_ROWSET_SIZE + SQLExtendedFetch (ODBC 2 block fetch)", extended_fetch)
checks.step("criteria with {ts} and {fn} escapes", criteria_literals)
checks.step("SQLError / SQLErrorW on a failed statement (ODBC 2 SQLSTATEs)", sql_error_statement)
checks.step("SQLError on the connection handle", sql_error_connection)
checks.step("SQLTransact(SQL_COMMIT)", transact)
checks.step("SQLDisconnect, SQLFreeConnect, SQLFreeEnv", disconnect)
checks.finish()
