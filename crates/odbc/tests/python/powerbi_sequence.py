"""Power BI Desktop's ODBC call sequence (the "ODBC" connector, Power Query's Odbc.DataSource,
also used by Excel's Get Data > From ODBC), made through unixODBC against the sandbox, with what
the Mashup engine needs at each step to fold queries.

Sources for the sequence and the values that matter:
- Microsoft, "Parameters for Odbc.DataSource" / microsoft/DataConnectors docs/odbc.md:
  SqlCapabilities (FractionalSecondsScale, SupportsTop / LimitClauseKind, SupportsDerivedTable),
  the SQLGetInfo overrides (SQL_SQL_CONFORMANCE, SQL_SQL92_PREDICATES, SQL_AGGREGATE_FUNCTIONS,
  SQL_GROUP_BY), SQLGetFunctions (SQL_CONVERT_FUNCTIONS, SQL_API_SQLBINDCOL) and the note that
  SQLGetTypeInfo and SQLColumns must agree on types.
- A Power BI ODBC trace (trinodb/trino-odbc issue #11): SQLSetEnvAttr ODBC 3 and
  SQL_CP_ONE_PER_HENV, SQLGetInfoW(SQL_DRIVER_ODBC_VER), SQLGetInfoW(SQL_DRIVER_NAME), then
  SQLTablesW("%", "", "", "") to list catalogs.
- microsoft/DataConnectors issues #498 and #516: Power BI asks SQLGetInfoW for
  SQL_RETURN_ESCAPE_CLAUSE (180) among SQL_CURSOR_COMMIT_BEHAVIOR, SQL_GETDATA_EXTENSIONS, ...
  and fails the whole capability load when the driver does not know it.
- mongodb/mongo-odbc-driver pull request #142: the info types BI tools ask, and that Power BI
  calls the ANSI SQLGetInfo for some of them.

Usage: powerbi_sequence.py <DSN or connection string> <sandbox base URL>"""

import sys

from odbc_calls import *

target, base = conn_string(sys.argv[1]), sys.argv[2]
sandbox = Sandbox(base)
checks = Checks("Power BI sequence")
state = {}

# The info types the Mashup engine reads when it loads a driver's capabilities (the lists in the
# sources above, in their order).
POWERBI_INFO = [
    77, 6, 7, 17, 18, 29, 41, 42, 39, 91, 92, 114, 14, 23, 24, 81, 87, 88, 90, 94, 97, 99, 100,
    109, 110, 118, 22, 25, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65,
    66, 67, 68, 69, 70, 71, 122, 125, 126, 173, 152, 160, 161, 169, 180, 10003, 10005, 89, 28, 93,
]

SQL_SC_SQL92_FULL = 0x8
SQL_AF_ALL_BITS = 0x7F
SQL_AF_SUM = 0x10
SQL_FN_TD_TIMESTAMPDIFF = 0x4000
SQL_FN_TSI = {"FRAC_SECOND": 0x1, "SECOND": 0x2, "MINUTE": 0x4, "HOUR": 0x8, "DAY": 0x10,
              "WEEK": 0x20, "MONTH": 0x40, "QUARTER": 0x80, "YEAR": 0x100}
SQL_SP = {"EXISTS": 0x1, "ISNOTNULL": 0x2, "ISNULL": 0x4, "LIKE": 0x200, "IN": 0x400,
          "BETWEEN": 0x800, "COMPARISON": 0x1000}
SQL_FN_CVT_CAST = 0x2
SQL_CVT_DOUBLE, SQL_CVT_VARCHAR, SQL_CVT_BIGINT = 0x80, 0x100, 0x4000

TABLE = '"Pipedrive"."Pipedrive"."Deals"'


def connect():
    # Power BI: SQLAllocHandle(ENV), SQLSetEnvAttr(SQL_ATTR_ODBC_VERSION, SQL_OV_ODBC3),
    # SQLSetEnvAttr(SQL_ATTR_CONNECTION_POOLING, SQL_CP_ONE_PER_HENV) (trace in trino-odbc #11),
    # SQL_ATTR_LOGIN_TIMEOUT from the connector's ConnectionTimeout (Odbc.DataSource options),
    # then SQLDriverConnectW without prompting.
    env = Env(SQL_OV_ODBC3, pooling=SQL_CP_ONE_PER_HENV)
    conn = Conn(env)
    conn.set_attr(SQL_ATTR_LOGIN_TIMEOUT, 15)
    conn.connect(target)
    state["env"], state["conn"] = env, conn


def info_wide():
    # Power BI: SQLGetInfoW for each capability (DataConnectors #516 lists them in a Simba log);
    # an unknown type (HY096) interrupts the whole capability load (#498), so each must answer.
    values, failed = state["conn"].infos(POWERBI_INFO)
    state["info"] = values
    assert not failed, "SQLGetInfoW does not answer: " + ", ".join(failed)


def info_ansi():
    # Power BI also calls the ANSI SQLGetInfo (mongo-odbc-driver #142: "PowerBI calls SQLGetInfo
    # instead of SQLGetInfoW"); the answers must match the wide ones.
    values, failed = state["conn"].infos(POWERBI_INFO, ansi=True)
    wide = state.get("info", {})
    differ = [f"{INFO[c][0]}: W {wide[c]!r} vs A {v!r}" for c, v in values.items() if c in wide and wide[c] != v]
    assert not failed, "SQLGetInfo (ANSI) does not answer: " + ", ".join(failed)
    assert not differ, "SQLGetInfo and SQLGetInfoW differ: " + "; ".join(differ)


def info(code):
    if code not in state.get("info", {}):
        state.setdefault("info", {})[code] = state["conn"].info(code)
    return state["info"][code]


def identity_values():
    assert info(77) == "03.80", info(77)
    assert info(17) == "Pipedrive", info(17)
    assert info(6) == "libpipedrive_odbc.so", info(6)
    assert info(29) == '"', info(29)
    assert info(14) == "\\", f"SQL_SEARCH_PATTERN_ESCAPE {info(14)!r}: Power BI escapes _ and % with it"
    assert info(41) == ".", info(41)


def return_escape_clause():
    # SQL_RETURN_ESCAPE_CLAUSE (180, ODBC 3.8 / 4.0): answered with a bitmask (SQL_RC_NONE = 0
    # when the {RETURN ...} escape is not supported) instead of HY096 (DataConnectors #498/#516).
    v = state["conn"].info(180)
    assert v >= 0


def conformance_derived_tables():
    # Odbc.DataSource assumes SupportsDerivedTable only when the driver reports SQL_SC_SQL92_FULL
    # (docs/odbc.md, SqlCapabilities); derived tables are required for most folded steps and for
    # DirectQuery. The generic ODBC connector has no way to override it.
    v = info(118)
    assert v & SQL_SC_SQL92_FULL, (f"SQL_SQL_CONFORMANCE is {v}: Power BI will not fold into derived "
                                   "tables (needs SQL_SC_SQL92_FULL = 8)")


def aggregate_functions():
    # SQL_AGGREGATE_FUNCTIONS: without SUM Power BI stops folding Group By / totals.
    v = info(169)
    assert v & SQL_AF_SUM and v & SQL_AF_ALL_BITS == SQL_AF_ALL_BITS, hex(v)


def timedate_functions():
    # SQL_TIMEDATE_FUNCTIONS must include TIMESTAMPDIFF and SQL_TIMEDATE_DIFF_INTERVALS the units
    # Power BI's duration arithmetic folds to (SQL_TSI_SECOND .. SQL_TSI_DAY).
    f = info(52)
    assert f & SQL_FN_TD_TIMESTAMPDIFF, f"SQL_TIMEDATE_FUNCTIONS {hex(f)} lacks TIMESTAMPDIFF"
    diff = info(110)
    missing = [n for n in ("SECOND", "MINUTE", "HOUR", "DAY") if not diff & SQL_FN_TSI[n]]
    assert not missing, f"SQL_TIMEDATE_DIFF_INTERVALS {hex(diff)} lacks {missing}"


def timestampdiff_intervals_work():
    # Every interval SQL_TIMEDATE_DIFF_INTERVALS/ADD_INTERVALS claims must run: Power BI generates
    # {fn TIMESTAMPDIFF(SQL_TSI_x, a, b)} / {fn TIMESTAMPADD(...)} for each claimed unit.
    conn = state["conn"]
    bad = []
    for code, fn in ((110, "TIMESTAMPDIFF"), (109, "TIMESTAMPADD")):
        mask = info(code)
        for unit, bit in SQL_FN_TSI.items():
            if not mask & bit:
                continue
            if fn == "TIMESTAMPDIFF":
                expr = f'{{fn TIMESTAMPDIFF(SQL_TSI_{unit}, "_"."AddTime", "_"."UpdateTime")}}'
            else:
                expr = f'{{fn TIMESTAMPADD(SQL_TSI_{unit}, 1, "_"."AddTime")}}'
            s = conn.stmt()
            try:
                s.exec_direct(f'select {expr} as "C1" from {TABLE} "_" where "_"."Id" = 1')
                rows = s.rows()
                if len(rows) != 1 or rows[0][0] is None:
                    bad.append(f"{fn} {unit}: {rows}")
            except OdbcError as e:
                bad.append(f"{fn} {unit}: [{e.state}] {e.records[0][2] if e.records else ''}")
            finally:
                s.free()
    assert not bad, "; ".join(bad)


def predicates():
    # SQL_SQL92_PREDICATES (overridable in Odbc.DataSource, docs/odbc.md): LIKE for
    # Text.Contains/StartsWith, IN for List.Contains, comparisons and IS [NOT] NULL for filters.
    v = info(160)
    missing = [n for n, bit in SQL_SP.items() if n != "EXISTS" and not v & bit]
    assert not missing, f"SQL_SQL92_PREDICATES {hex(v)} lacks {missing}"


def top_or_limit_discoverable():
    # "Keep first N rows" folds only when the engine can tell a row limit is supported
    # (SqlCapabilities SupportsTop / LimitClauseKind; without a connector, from SQL_KEYWORDS).
    kw = [k.strip().upper() for k in info(89).split(",")]
    assert "TOP" in kw and "LIMIT" in kw, f"SQL_KEYWORDS {info(89)!r} should list TOP and LIMIT"


def conversions():
    # SQL_CONVERT_FUNCTIONS and SQL_CONVERT_<type>: Power BI folds type changes only between types
    # the driver declares convertible (docs/odbc.md, SoftNumbers / ImplicitTypeConversions).
    assert info(48) & SQL_FN_CVT_CAST, hex(info(48))
    assert info(53) & SQL_CVT_DOUBLE and info(53) & SQL_CVT_VARCHAR, \
        f"SQL_CONVERT_BIGINT {hex(info(53))}: BIGINT -> DOUBLE/VARCHAR not declared"
    assert info(59) & SQL_CVT_BIGINT and info(59) & SQL_CVT_VARCHAR, \
        f"SQL_CONVERT_DOUBLE {hex(info(59))}: DOUBLE -> BIGINT/VARCHAR not declared"
    s = state["conn"].stmt()
    s.exec_direct(f'select cast("_"."Id" as double) as "C1", {{fn CONVERT("_"."Value", SQL_VARCHAR)}} as "C2" '
                  f'from {TABLE} "_" where "_"."Id" = 2')
    rows = s.rows()
    s.free()
    assert len(rows) == 1 and rows[0][0] is not None and rows[0][1] is not None, rows


def functions():
    # SQLGetFunctions(SQL_API_ODBC3_ALL_FUNCTIONS): SQLBindParameter (parameter binding of
    # literals), SQLBindCol/SQLFetchScroll (block fetch), the catalog functions of the navigator.
    have = state["conn"].functions()
    need = {"SQLBindCol": 4, "SQLColAttribute": 6, "SQLDescribeCol": 8, "SQLColumns": 40,
            "SQLGetData": 43, "SQLGetInfo": 45, "SQLGetTypeInfo": 47, "SQLTables": 54,
            "SQLForeignKeys": 60, "SQLPrimaryKeys": 65, "SQLBindParameter": 72,
            "SQLSetStmtAttr": 1020, "SQLFetchScroll": 1021}
    missing = [n for n, fid in need.items() if fid not in have]
    assert not missing, f"SQLGetFunctions does not list {missing}"


def type_info():
    # SQLGetTypeInfoW(SQL_ALL_TYPES): the engine maps types from it. Text types must be
    # SQL_SEARCHABLE (else no text filter folds); TIMESTAMP must state its fractional-seconds
    # precision (MAXIMUM_SCALE; FractionalSecondsScale 1..7 in SqlCapabilities, else no datetime
    # filter folds).
    s = state["conn"].stmt()
    s.type_info(SQL_ALL_TYPES)
    n = s.num_cols()
    assert n >= 19, f"SQLGetTypeInfo has {n} columns"
    names = [s.describe(i)[0] for i in range(1, n + 1)]
    rows = [dict(zip(names, r)) for r in s.rows()]
    s.free()
    state["types"] = rows
    text = [r for r in rows if int(r["DATA_TYPE"]) in (SQL_WVARCHAR, SQL_WLONGVARCHAR, SQL_VARCHAR,
                                                       SQL_LONGVARCHAR, SQL_WCHAR, SQL_CHAR)]
    assert text, "no text type"
    bad = [r["TYPE_NAME"] for r in text if int(r["SEARCHABLE"]) != SQL_SEARCHABLE]
    assert not bad, f"text types not SQL_SEARCHABLE: {bad}"
    ts = [r for r in rows if int(r["DATA_TYPE"]) == SQL_TYPE_TIMESTAMP]
    assert ts, "no TIMESTAMP type"
    scale = ts[0]["MAXIMUM_SCALE"]
    assert scale is not None and 1 <= int(scale) <= 9, f"TIMESTAMP MAXIMUM_SCALE {scale!r}"


def navigator_catalogs():
    # Navigator: SQLTablesW("%", "", "", "") lists catalogs (trace in trino-odbc #11), then the
    # tables of each catalog.
    s = state["conn"].stmt()
    s.tables("%", "", "", "")
    cats = [r[0] for r in s.rows()]
    s.free()
    assert cats == ["Pipedrive"], cats
    s = state["conn"].stmt()
    s.tables("", "%", "", "")
    schemas = [r[1] for r in s.rows()]
    s.free()
    assert "Pipedrive" in schemas, f"SQLTables(\"\", \"%\", \"\", \"\") (all schemas) answers {schemas}"


def navigator_tables():
    s = state["conn"].stmt()
    s.tables("Pipedrive", "%", "%", "TABLE,VIEW")
    rows = s.rows()
    s.free()
    names = [r[2] for r in rows]
    assert "Deals" in names and "DealFields" in names and len(names) >= 30, names


def column_rows(table_pattern, column_pattern="%", catalog="Pipedrive", schema="Pipedrive"):
    s = state["conn"].stmt()
    s.columns(catalog, schema, table_pattern, column_pattern)
    n = s.num_cols()
    names = [s.describe(i)[0] for i in range(1, n + 1)]
    rows = [dict(zip(names, r)) for r in s.rows()]
    s.free()
    return rows


def escaped_patterns():
    # Power BI passes names as patterns with `_` and `%` escaped by SQL_SEARCH_PATTERN_ESCAPE
    # ("Deal\_Fields"): an escaped `_` is a literal underscore, an unescaped one any character.
    cols = column_rows("Deals", "%", "Pipedrive", escape_pattern("Pipedrive"))
    assert len(cols) > 20, f"SQLColumnsW with an escaped schema: {len(cols)} columns"
    s = state["conn"].stmt()
    s.tables("Pipedrive", "Pipedrive", "Deal\\_Fields", "TABLE,VIEW")
    assert s.rows() == [], "Deal\\_Fields matched a table (escaped _ must be literal)"
    s.free()
    s = state["conn"].stmt()
    s.tables("Pipedrive", "Pipedrive", "Deal_ields", None)
    got = [r[2] for r in s.rows()]
    s.free()
    assert got == ["DealFields"], f"Deal_ields (unescaped _) matched {got}"
    assert column_rows("Deal\\_ields") == [], "Deal\\_ields matched DealFields"
    assert [c["COLUMN_NAME"] for c in column_rows("Deals", "Lead_Source")] == ["Lead Source"]
    assert column_rows("Deals", "Lead\\_Source") == [], "Lead\\_Source matched 'Lead Source'"
    got = [c["COLUMN_NAME"] for c in column_rows(escape_pattern("DealFields"), escape_pattern("FieldCode"))]
    assert got == ["FieldCode"], got


def columns_types():
    # SQLColumnsW of the chosen table: every DATA_TYPE/TYPE_NAME pair must exist in
    # SQLGetTypeInfo (docs/odbc.md: mismatches break folding), and TIMESTAMP columns need
    # DECIMAL_DIGITS (fractional seconds) for datetime filters to fold.
    cols = column_rows("Deals")
    types = {(int(t["DATA_TYPE"]), t["TYPE_NAME"]) for t in state.get("types", [])}
    assert types, "SQLGetTypeInfo step failed first"
    bad = [(c["COLUMN_NAME"], c["DATA_TYPE"], c["TYPE_NAME"]) for c in cols
           if (int(c["DATA_TYPE"]), c["TYPE_NAME"]) not in types]
    assert not bad, f"types of SQLColumns not in SQLGetTypeInfo: {bad}"
    ts = [c for c in cols if int(c["DATA_TYPE"]) == SQL_TYPE_TIMESTAMP]
    assert ts and all(c["DECIMAL_DIGITS"] is not None and 1 <= int(c["DECIMAL_DIGITS"]) <= 9 for c in ts), \
        [(c["COLUMN_NAME"], c["DECIMAL_DIGITS"]) for c in ts]


def keys():
    # CreateNavigationProperties (default true): SQLPrimaryKeysW and SQLForeignKeysW per table.
    s = state["conn"].stmt()
    s.primary_keys("Pipedrive", "Pipedrive", "Deals")
    pk = s.rows()
    s.free()
    assert [r[3] for r in pk] == ["Id"], pk
    s = state["conn"].stmt()
    s.foreign_keys((None, None, None), ("Pipedrive", "Pipedrive", "Deals"))
    s.rows()
    s.free()


def max_rows():
    # Preview / "Keep first rows" without a row-limit clause: SQL_ATTR_MAX_ROWS on the statement.
    # The driver must stop reading: MAX_ROWS = 10 is one page of deals, not the whole table.
    s = state["conn"].stmt()
    s.set_attr(SQL_ATTR_MAX_ROWS, 10)
    assert s.get_attr(SQL_ATTR_MAX_ROWS) == 10
    sandbox.reset()
    s.exec_direct(f'select "_"."Id", "_"."Title" from {TABLE} "_"')
    rows = s.rows()
    s.free()
    assert len(rows) == 10, f"{len(rows)} rows under SQL_ATTR_MAX_ROWS = 10"
    data = sandbox.data_requests()
    assert sum(data.values()) == 1, f"MAX_ROWS = 10 made these data requests: {data}"


def keep_first_top():
    # "Keep first N rows" folded with TOP (LimitClauseKind.Top / SupportsTop).
    s = state["conn"].stmt()
    sandbox.reset()
    s.exec_direct(f'select top 10 "_"."Id", "_"."Title" from {TABLE} "_"')
    rows = s.rows()
    s.free()
    assert len(rows) == 10, len(rows)
    data = sandbox.data_requests()
    assert sum(data.values()) == 1, data


def keep_first_limit():
    # The same folded with LIMIT (LimitClauseKind.Limit / LimitOffset, clause after the query).
    s = state["conn"].stmt()
    sandbox.reset()
    s.exec_direct(f'select "_"."Id", "_"."Title" from {TABLE} "_" limit 10 offset 5')
    rows = s.rows()
    s.free()
    assert len(rows) == 10 and rows[0][0] == "6", rows[:2]
    assert sandbox.data_count() == 1, sandbox.data_requests()


def block_fetch():
    # Loading the table: SQL_ATTR_ROW_ARRAY_SIZE > 1 with bound columns (SQL_API_SQLBINDCOL in
    # SQLGetFunctions), SQLFetch until SQL_NO_DATA.
    s = state["conn"].stmt()
    s.exec_direct(f'select "_"."Id", "_"."Title", "_"."Value" from {TABLE} "_"')
    b = s.bind_block([(1, "int", 0), (2, "text", 255), (3, "float", 0)], 250)
    n, sizes, ids = 0, set(), set()
    while True:
        rs = b.rowset()
        if rs is None:
            break
        n += len(rs)
        sizes.add(len(rs))
        ids.update(r[0] for r in rs)
    s.free()
    assert n == len(ids) and n >= 2000, f"{n} rows, {len(ids)} distinct ids"
    assert 250 in sizes, f"rowset sizes {sizes}: the row array size was not honoured"


def block_fetch_scroll():
    # The same with SQLFetchScroll(SQL_FETCH_NEXT), which the engine uses once it sets a row
    # array size.
    s = state["conn"].stmt()
    s.exec_direct(f'select "_"."Id" from {TABLE} "_" where "_"."Id" <= 25')
    b = s.bind_block([(1, "int", 0)], 10)
    got = []
    while True:
        rs = b.rowset(scroll=True)
        if rs is None:
            break
        got.append(len(rs))
    s.free()
    assert got == [10, 10, 5], got


def get_data_rows():
    # Without bound columns the engine reads each cell with SQLGetData (default of
    # SQL_API_SQLBINDCOL = false in docs/odbc.md).
    s = state["conn"].stmt()
    s.exec_direct(f'select "_"."Id", "_"."Title", "_"."AddTime" from {TABLE} "_" where "_"."Id" in (1, 2, 3)')
    rows = s.rows()
    s.free()
    assert [r[0] for r in sorted(rows, key=lambda r: int(r[0]))] == ["1", "2", "3"], rows


def ensure(condition, detail):
    assert condition, detail


def folded(sql, check_rows):
    s = state["conn"].stmt()
    s.exec_direct(sql)
    rows = s.rows()
    s.free()
    check_rows(rows)


def fold_text_filter():
    # Filter on a text column (needs SEARCHABLE text types and SQL_SP_COMPARISON).
    folded(f'select "_"."Id", "_"."Status" from {TABLE} "_" where "_"."Status" = \'open\'',
           lambda rows: ensure(rows and all(r[1] == "open" for r in rows), rows[:3]))


def fold_like_in():
    # the expected Ids from the titles themselves: the deals whose title has the first two
    # letters of deal 1's
    s = state["conn"].stmt()
    s.exec_direct(f'select "Id", "Title" from {TABLE} where "Id" in (1, 5, 6, 7)')
    titles = {int(r[0]): r[1] for r in s.rows()}
    s.free()
    ensure(len(titles) == 4, titles)
    part = titles[1][:2].replace("'", "''")
    expected = sorted(i for i, t in titles.items() if titles[1][:2] in t)
    folded(f'select "_"."Id" from {TABLE} "_" where "_"."Title" like \'%{part}%\' and "_"."Id" in (1, 5, 6, 7)',
           lambda rows: ensure(sorted(int(r[0]) for r in rows) == expected, (rows, expected)))


def fold_datetime_filter():
    # A folded datetime filter: an ODBC timestamp literal with fractional seconds
    # (SupportsOdbcTimestampLiterals) and the same value as a bound parameter.
    folded(f'select count(*) as "C1" from {TABLE} "_" where "_"."UpdateTime" >= {{ts \'2000-01-01 00:00:00.000\'}}',
           lambda rows: ensure(int(rows[0][0]) >= 2000, rows))
    s = state["conn"].stmt()
    s.prepare(f'select count(*) as "C1" from {TABLE} "_" where "_"."UpdateTime" >= ?')
    s.bind_param(1, "2000-01-01 00:00:00.000")
    s.execute()
    rows = s.rows()
    s.free()
    assert int(rows[0][0]) >= 2000, rows


def fold_group_sum():
    # Group By with SUM and COUNT (SQL_AGGREGATE_FUNCTIONS, SQL_GROUP_BY).
    folded(f'select "_"."Status", sum("_"."Value") as "a0", count(1) as "a1" from {TABLE} "_" group by "_"."Status"',
           lambda rows: ensure(sum(int(r[2]) for r in rows) >= 2000, rows))


def fold_derived_table():
    # Steps on top of steps nest as derived tables: select ... from (select ...) "_".
    folded(f'select top 5 "_"."Status", "_"."C" from (select "Status", count(1) as "C" from {TABLE} '
           f'group by "Status") "_" order by "_"."C" desc',
           lambda rows: ensure(1 <= len(rows) <= 5, rows))


def disconnect():
    state["conn"].disconnect()
    state["conn"].free()
    state["env"].free()


checks.step("connect: ODBC 3 env, pooling, login timeout, SQLDriverConnectW", connect)
if "conn" not in state:
    checks.finish()
checks.step("SQLGetInfoW: every info type Power BI reads answers", info_wide)
checks.step("SQLGetInfo (ANSI): the same info types answer the same", info_ansi)
checks.step("SQLGetInfo: driver identity, quote char, pattern escape", identity_values)
checks.step("SQLGetInfo(SQL_RETURN_ESCAPE_CLAUSE = 180) answers", return_escape_clause)
checks.step("SQLGetInfo(SQL_SQL_CONFORMANCE) allows derived tables", conformance_derived_tables)
checks.step("SQLGetInfo(SQL_AGGREGATE_FUNCTIONS) has SUM and the rest", aggregate_functions)
checks.step("SQLGetInfo: TIMESTAMPDIFF and its intervals", timedate_functions)
checks.step("TIMESTAMPDIFF/TIMESTAMPADD run for every advertised interval", timestampdiff_intervals_work)
checks.step("SQLGetInfo(SQL_SQL92_PREDICATES) has LIKE, IN, BETWEEN, comparisons, IS NULL", predicates)
checks.step("SQLGetInfo(SQL_KEYWORDS) shows TOP and LIMIT", top_or_limit_discoverable)
checks.step("SQLGetInfo: CAST/CONVERT and SQL_CONVERT_<type> declared and working", conversions)
checks.step("SQLGetFunctions(SQL_API_ODBC3_ALL_FUNCTIONS)", functions)
checks.step("SQLGetTypeInfoW: searchable text, TIMESTAMP fractional seconds", type_info)
checks.step("navigator: SQLTablesW catalogs and schemas", navigator_catalogs)
checks.step("navigator: SQLTablesW tables of the catalog", navigator_tables)
checks.step("SQLColumnsW/SQLTablesW with escaped _ patterns", escaped_patterns)
checks.step("SQLColumnsW types agree with SQLGetTypeInfo; TIMESTAMP DECIMAL_DIGITS", columns_types)
checks.step("navigation properties: SQLPrimaryKeysW, SQLForeignKeysW", keys)
checks.step("SQL_ATTR_MAX_ROWS = 10 returns 10 rows from one data request", max_rows)
checks.step("keep first rows folded with TOP: one data request", keep_first_top)
checks.step("keep first rows folded with LIMIT/OFFSET: one data request", keep_first_limit)
checks.step("block fetch: SQL_ATTR_ROW_ARRAY_SIZE 250, bound columns, SQLFetch", block_fetch)
checks.step("block fetch with SQLFetchScroll(SQL_FETCH_NEXT)", block_fetch_scroll)
checks.step("SQLGetData cell by cell", get_data_rows)
checks.step("folded text filter", fold_text_filter)
checks.step("folded LIKE and IN", fold_like_in)
checks.step("folded datetime filter: {ts} literal and bound parameter", fold_datetime_filter)
checks.step("folded Group By with SUM/COUNT", fold_group_sum)
checks.step("folded derived table with TOP and ORDER BY", fold_derived_table)
checks.step("SQLDisconnect", disconnect)
checks.finish()
