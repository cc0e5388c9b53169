"""Tableau's ODBC call sequence (the "Other Databases (ODBC)" connector, class genericodbc, as
Tableau Desktop and Tableau Server make it), through unixODBC against the sandbox: capability
reads, the probes Tableau sends on connect, catalog enumeration, the metadata reads of a table
(each of which must cost no data request), then the queries of a worksheet.

Sources:
- Tableau connector SDK, docs/metadata-enumeration.md (tableau/connector-plugin-sdk): the
  metadata scenarios in order: "select *" through SQLPrepare only (not executed), "select *"
  with WHERE 1=0, "select *" with TOP 0 / LIMIT 0, SQLColumns, and a full "select *".
- Tableau help, "Tableau Capability Customizations Reference" (odbc_capabilities.htm) and the
  SDK's docs/capabilities.md: for capabilities a .tdc does not set, Tableau issues SQL to find
  out (temporary tables, SELECT INTO, TOP/LIMIT, subqueries), and it reads results with bulk
  fetch (CAP_ODBC_FORCE_SINGLE_ROW_BINDING turns that off) and commits explicitly unless
  CAP_ODBC_TRANSACTIONS_SUPPRESS_EXPLICIT_COMMIT.
- Tableau help, "ODBC/SQL Customizations Reference" (odbc_sql.htm): the SQLGetInfo values Tableau
  reads (SQL_SQL_CONFORMANCE, SQL_AGGREGATE_FUNCTIONS, SQL_SQL92_*, SQL_CONVERT_*, ...).
- tableau/connector-plugin-sdk issues #1185 and #1252: the temporary-table probes and
  "SELECT TOP n ... INTO" statements Tableau generates.

Usage: tableau_sequence.py <DSN or connection string> <sandbox base URL>"""

import sys

from odbc_calls import *

target, base = conn_string(sys.argv[1]), sys.argv[2]
sandbox = Sandbox(base)
checks = Checks("Tableau sequence")
state = {}

# What Tableau reads with SQLGetInfoW when it opens a generic ODBC connection: the identity used
# to match a .tdc (SQL_DBMS_NAME, SQL_DRIVER_NAME), then the values of odbc_sql.htm.
TABLEAU_INFO = [
    6, 7, 17, 18, 77, 10, 29, 41, 42, 39, 45, 14, 28, 93, 46, 23, 24, 26, 72, 81, 44, 43, 1, 30,
    32, 34, 35, 10005, 152, 118, 92, 91, 169, 49, 50, 52, 109, 110, 119, 51, 165, 155, 115, 161,
    159, 164, 160, 48, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,
    122, 125, 126, 87, 88, 90, 95, 96, 38, 74,
]

TABLE = '"Pipedrive"."Deals"'


def connect():
    # Tableau: ODBC 3 environment, SQLDriverConnectW with SQL_DRIVER_COMPLETE (no window on
    # Linux/Server, so the driver must not prompt when the string is complete).
    env = Env(SQL_OV_ODBC3)
    conn = Conn(env)
    conn.connect(target, completion=SQL_DRIVER_COMPLETE)
    state["env"], state["conn"] = env, conn


def connect_errors():
    # Tableau maps connection failures by SQLSTATE (connector SDK docs/drivers.md): 28000 for
    # refused credentials, 08001 when the server cannot be reached.
    def failing(conn_str):
        env = Env(SQL_OV_ODBC3)
        conn = Conn(env)
        try:
            conn.connect(conn_str, completion=SQL_DRIVER_COMPLETE)
        except OdbcError as e:
            return e.state
        finally:
            conn.free()
            env.free()
        return None

    bad_token = failing(f"{target};APIToken=wrong-token-for-tableau")
    assert bad_token == "28000", f"a refused API token answers {bad_token}, Tableau expects 28000"
    unreachable = failing(f"{target};BaseURL=http://127.0.0.1:9")
    assert unreachable == "08001", f"an unreachable server answers {unreachable}, Tableau expects 08001"


def info_values():
    values, failed = state["conn"].infos(TABLEAU_INFO)
    state["info"] = values
    assert not failed, "SQLGetInfoW does not answer: " + ", ".join(failed)


def identity():
    # A .tdc applies when its <vendor name> is SQL_DBMS_NAME and its <driver name> the driver's
    # name (packaging/tableau/pipedrive.tdc relies on these).
    conn = state["conn"]
    assert conn.info(17) == "Pipedrive", conn.info(17)
    assert conn.info(6) == "libpipedrive_odbc.so", conn.info(6)
    assert conn.info(29) == '"', conn.info(29)


def functions():
    have = state["conn"].functions()
    need = {"SQLBindCol": 4, "SQLCancel": 5, "SQLColAttribute": 6, "SQLDescribeCol": 8,
            "SQLExecute": 12, "SQLFetch": 13, "SQLNumResultCols": 18, "SQLPrepare": 19,
            "SQLColumns": 40, "SQLGetData": 43, "SQLGetInfo": 45, "SQLTables": 54,
            "SQLForeignKeys": 60, "SQLPrimaryKeys": 65, "SQLEndTran": 1005, "SQLSetStmtAttr": 1020}
    missing = [n for n, fid in need.items() if fid not in have]
    assert not missing, f"SQLGetFunctions does not list {missing}"


def probe(sql):
    """Runs a capability probe. Answers (return code, SQLSTATE or None, message)."""
    s = state["conn"].stmt()
    rc, recs = s.try_exec_direct(sql)
    if rc in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO) and s.num_cols() > 0:
        s.rows()
    s.free()
    if rc == SQL_ERROR:
        return rc, recs[0][0] if recs else None, recs[0][2] if recs else ""
    return rc, None, ""


# A refused feature answers HYC00 (optional feature not implemented), 0A000 (feature not
# supported) or 42000 (syntax error or access violation); a missing table 42S02; an unknown
# function 42000. HY000 (general error) tells Tableau nothing.
REFUSED = ("HYC00", "0A000", "42000")
FAILING_PROBES = [
    ('CREATE LOCAL TEMPORARY TABLE "#Tableau_0_Connect" ("COL" INTEGER) ON COMMIT PRESERVE ROWS', REFUSED),
    ('CREATE TEMPORARY TABLE "#Tableau_0_Connect" ("COL" INTEGER)', REFUSED),
    ('INSERT INTO "#Tableau_0_Connect" ("COL") VALUES (1)', ("42S02",)),
    (f'SELECT "Deals"."Id" AS "COL" INTO "#Tableau_1_Connect" FROM {TABLE} "Deals" WHERE 1=0', REFUSED),
    (f'SELECT TOP 1 "Deals"."Id" AS "COL" INTO "#Tableau_2_Connect" FROM {TABLE} "Deals"', REFUSED),
    ('DROP TABLE "#Tableau_0_Connect"', ("42S02",) + REFUSED),
    ('SELECT "COL" FROM "#Tableau_0_Connect"', ("42S02",)),
    ('SELECT NO_SUCH_FUNCTION_TABLEAU(1) AS "COL"', ("42000",)),
]
SUCCEEDING_PROBES = [
    'SELECT 1 AS "COL"',
    'SELECT CURRENT_TIMESTAMP AS "COL"',
    'SELECT * FROM (SELECT 1 AS "COL") "t"',
    f'SELECT "t"."Id" FROM (SELECT "Deals"."Id" AS "Id" FROM {TABLE} "Deals" WHERE 1=0) "t"',
    f'SELECT TOP 1 * FROM (SELECT "Deals"."Id" AS "Id" FROM {TABLE} "Deals" WHERE 1=0) "t"',
    'SELECT {fn UCASE(\'a\')} AS "COL", {fn LENGTH(\'abc\')} AS "LEN", {fn CONVERT(1, SQL_VARCHAR)} AS "CV"',
]


def connect_probes():
    # On connect, for capabilities no .tdc declares, Tableau tries temp tables
    # (CAP_CREATE_TEMP_TABLES, CAP_SELECT_INTO, CAP_SELECT_TOP_INTO), subqueries and functions.
    # A read-only driver answers errors, each with a specific SQLSTATE, before reading anything
    # and without losing the connection; the probes that are plain queries succeed.
    problems = []
    for sql, states in FAILING_PROBES:
        sandbox.reset()
        rc, sqlstate, msg = probe(sql)
        data = sandbox.data_requests()
        if rc != SQL_ERROR:
            problems.append(f"{sql!r} was accepted (return code {rc})")
        elif not valid_sqlstate(sqlstate) or sqlstate not in states:
            problems.append(f"{sql!r}: SQLSTATE {sqlstate} ({msg!r}), expected one of {states}")
        if data:
            problems.append(f"{sql!r} read rows before failing: {data}")
    for sql in SUCCEEDING_PROBES:
        sandbox.reset()
        rc, sqlstate, msg = probe(sql)
        if rc not in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO):
            problems.append(f"{sql!r} failed: [{sqlstate}] {msg}")
        if sandbox.data_requests():
            problems.append(f"{sql!r} read rows: {sandbox.data_requests()}")
    if probe('SELECT 1 AS "COL"')[0] != SQL_SUCCESS:
        problems.append("the connection is unusable after the probes")
    assert not problems, "; ".join(problems)


def catalogs():
    # Connection dialog with CAP_FAST_METADATA (default yes): enumerate everything at once.
    s = state["conn"].stmt()
    s.tables("%", "", "", "")
    cats = [r[0] for r in s.rows()]
    s.free()
    s = state["conn"].stmt()
    s.tables("", "%", "", "")
    schemas = [r[1] for r in s.rows()]
    s.free()
    s = state["conn"].stmt()
    s.tables("Pipedrive", "Pipedrive", "%", "'TABLE','VIEW'")
    tables = [r[2] for r in s.rows()]
    s.free()
    assert cats == ["Pipedrive"], cats
    assert schemas == ["Pipedrive"], schemas
    assert "Deals" in tables and len(tables) >= 30, tables


def prepared_metadata():
    # Metadata scenario 1: SQLPrepare of SELECT * only, never executed; the columns are read
    # with SQLNumResultCols, SQLDescribeColW and SQLColAttributeW (SQL_DESC_TYPE_NAME unless
    # CAP_ODBC_METADATA_SKIP_DESC_TYPE_NAME). Zero data requests.
    sandbox.reset()
    s = state["conn"].stmt()
    s.prepare(f"SELECT * FROM {TABLE}")
    n = s.num_cols()
    cols = []
    for i in range(1, n + 1):
        name, dtype, size, dec, nullable = s.describe(i)
        type_name = s.col_attr(i, SQL_DESC_TYPE_NAME, text=True)
        octets = s.col_attr(i, SQL_DESC_OCTET_LENGTH)
        s.col_attr(i, SQL_DESC_UNSIGNED)
        s.col_attr(i, SQL_DESC_NULLABLE)
        s.col_attr(i, SQL_DESC_BASE_COLUMN_NAME, text=True)
        assert type_name, f"column {name}: empty SQL_DESC_TYPE_NAME"
        if dtype in (SQL_WVARCHAR, SQL_WLONGVARCHAR, SQL_VARCHAR, SQL_LONGVARCHAR):
            assert size > 0 and octets > 0, f"column {name}: size {size}, octets {octets}"
        cols.append(name)
    s.free()
    state["columns"] = cols
    assert n > 20 and "Id" in cols and "Lead Source" in cols, cols
    data = sandbox.data_requests()
    assert not data, f"preparing SELECT * read rows: {data}"


def where_false_metadata():
    # Scenario 2 (CAP_QUERY_WHERE_FALSE_METADATA): executed with WHERE 1=0. Zero data requests.
    sandbox.reset()
    s = state["conn"].stmt()
    s.exec_direct(f"SELECT * FROM {TABLE} WHERE 1=0")
    n = s.num_cols()
    names = [s.describe(i)[0] for i in range(1, n + 1)]
    rows = s.rows()
    s.free()
    assert rows == [], rows[:1]
    assert names == state.get("columns", names), "WHERE 1=0 describes other columns than the prepared SELECT *"
    data = sandbox.data_requests()
    assert not data, f"WHERE 1=0 read rows: {data}"


def top0_metadata():
    # Scenario 3 (CAP_QUERY_TOP_0_METADATA): TOP 0 and LIMIT 0. Zero data requests each.
    for sql in (f"SELECT TOP 0 * FROM {TABLE}", f"SELECT * FROM {TABLE} LIMIT 0"):
        sandbox.reset()
        s = state["conn"].stmt()
        s.exec_direct(sql)
        n = s.num_cols()
        rows = s.rows()
        s.free()
        assert n == len(state.get("columns", [None] * n)) and rows == [], (sql, n, rows[:1])
        data = sandbox.data_requests()
        assert not data, f"{sql} read rows: {data}"


def sqlcolumns_metadata():
    # Scenario 4: SQLColumnsW, and the keys (CAP_ODBC_METADATA_SUPPRESS_SQLPRIMARYKEYS_API /
    # ..._SQLFOREIGNKEYS_API unset). Zero data requests.
    sandbox.reset()
    s = state["conn"].stmt()
    s.columns("Pipedrive", "Pipedrive", "Deals", "%")
    names = [r[3] for r in s.rows()]
    s.free()
    assert names == state.get("columns", names), "SQLColumns and SELECT * list different columns"
    s = state["conn"].stmt()
    s.primary_keys("Pipedrive", "Pipedrive", "Deals")
    assert [r[3] for r in s.rows()] == ["Id"]
    s.free()
    s = state["conn"].stmt()
    s.foreign_keys((None, None, None), ("Pipedrive", "Pipedrive", "Deals"))
    s.rows()
    s.free()
    data = sandbox.data_requests()
    assert not data, f"catalog functions read rows: {data}"


def bulk_query(sql, specs, array_size=100):
    # Tableau's native ODBC protocol: forward-only read-only cursor, column-wise binding, a
    # rowset of many rows per SQLFetch (bulk fetch), SQL_ATTR_ROWS_FETCHED_PTR.
    s = state["conn"].stmt()
    s.set_attr(SQL_ATTR_CURSOR_TYPE, SQL_CURSOR_FORWARD_ONLY)
    s.set_attr(SQL_ATTR_CONCURRENCY, SQL_CONCUR_READ_ONLY)
    s.exec_direct(sql)
    b = s.bind_block(specs, array_size)
    rows = []
    while True:
        rs = b.rowset()
        if rs is None:
            break
        rows += rs
    s.free_stmt(SQL_CLOSE)
    s.free_stmt(SQL_UNBIND)
    s.free()
    return rows


def worksheet_aggregate():
    rows = bulk_query(f'SELECT "Deals"."Status" AS "Status", SUM("Deals"."Value") AS "sum:Value:ok", '
                      f'COUNT(1) AS "cnt:Deals:ok" FROM {TABLE} "Deals" GROUP BY 1',
                      [(1, "text", 64), (2, "float", 0), (3, "int", 0)])
    assert sum(r[2] for r in rows) >= 2000 and all(r[0] for r in rows), rows


def worksheet_functions():
    # Date parts and string functions through ODBC escapes; GROUP BY by expression.
    rows = bulk_query(f'SELECT {{fn YEAR("Deals"."AddTime")}} AS "yr:AddTime:ok", COUNT(1) AS "cnt" '
                      f'FROM {TABLE} "Deals" GROUP BY {{fn YEAR("Deals"."AddTime")}}',
                      [(1, "int", 0), (2, "int", 0)])
    assert rows and sum(r[1] for r in rows) >= 2000, rows
    rows = bulk_query(f'SELECT {{fn UCASE("Deals"."Status")}} AS "s", {{fn LEFT("Deals"."Title", 4)}} AS "t" '
                      f'FROM {TABLE} "Deals" WHERE "Deals"."Id" = 1', [(1, "text", 64), (2, "text", 64)])
    assert len(rows) == 1 and rows[0][0] == rows[0][0].upper() and len(rows[0][1]) == 4, rows


def worksheet_top_n():
    # CAP_QUERY_TOP_N: "Top N" filters and previews come as TOP; the driver must stop paging.
    sandbox.reset()
    rows = bulk_query(f'SELECT TOP 10 "Deals"."Id" AS "Id", "Deals"."Title" AS "Title" FROM {TABLE} "Deals"',
                      [(1, "int", 0), (2, "text", 255)], array_size=4)
    assert len(rows) == 10, len(rows)
    assert sandbox.data_count() == 1, sandbox.data_requests()


def full_read():
    # The extract / data pane: the whole table, bulk-fetched.
    rows = bulk_query(f"SELECT * FROM {TABLE}", [(1, "int", 0), (2, "text", 255)], array_size=500)
    assert len(rows) >= 2000 and len({r[0] for r in rows}) == len(rows), len(rows)


def commit():
    # Tableau commits explicitly after its statements (CAP_ODBC_TRANSACTIONS_SUPPRESS_EXPLICIT_COMMIT
    # unset); a driver without transactions must still accept SQLEndTran(SQL_COMMIT).
    state["conn"].end_tran(SQL_COMMIT)


def cancel_and_close():
    # Leaving a sheet mid-read: SQLCancel on an open cursor, then SQLFreeStmt(SQL_CLOSE).
    s = state["conn"].stmt()
    s.exec_direct(f"SELECT * FROM {TABLE}")
    s.fetch()
    s.cancel()
    s.free_stmt(SQL_CLOSE)
    s.free()


def disconnect():
    state["conn"].disconnect()
    state["conn"].free()
    state["env"].free()


checks.step("connect: SQLDriverConnectW with SQL_DRIVER_COMPLETE", connect)
if "conn" not in state:
    checks.finish()
checks.step("failed connections: SQLSTATE 28000 (credentials) and 08001 (unreachable)", connect_errors)
checks.step("SQLGetInfoW: every value Tableau reads answers", info_values)
checks.step("SQLGetInfo: SQL_DBMS_NAME / SQL_DRIVER_NAME as the .tdc names them", identity)
checks.step("SQLGetFunctions(SQL_API_ODBC3_ALL_FUNCTIONS)", functions)
checks.step("connect probes: temp tables, SELECT INTO, subqueries, functions; SQLSTATEs, no data read", connect_probes)
checks.step("enumeration: SQLTablesW catalogs, schemas, tables", catalogs)
checks.step("metadata 1: SQLPrepare SELECT * without executing: no data request", prepared_metadata)
checks.step("metadata 2: SELECT * ... WHERE 1=0: no data request", where_false_metadata)
checks.step("metadata 3: TOP 0 and LIMIT 0: no data request", top0_metadata)
checks.step("metadata 4: SQLColumnsW, SQLPrimaryKeysW, SQLForeignKeysW: no data request", sqlcolumns_metadata)
checks.step("worksheet: GROUP BY 1 with SUM/COUNT, bulk fetch", worksheet_aggregate)
checks.step("worksheet: {fn YEAR}, {fn UCASE}, {fn LEFT}", worksheet_functions)
checks.step("worksheet: TOP 10 reads one page", worksheet_top_n)
checks.step("full read: SELECT * bulk-fetched", full_read)
checks.step("SQLEndTran(SQL_COMMIT)", commit)
checks.step("SQLCancel and SQLFreeStmt(SQL_CLOSE) on an open cursor", cancel_and_close)
checks.step("SQLDisconnect", disconnect)
checks.finish()
