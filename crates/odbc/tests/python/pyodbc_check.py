"""The driver through unixODBC with pyodbc and pandas: run by tests/clients.rs with the DSN,
the DSN-less connection string and the number of deals as arguments."""

import sys
import warnings

import pandas
import pyodbc

dsn, dsn_less, deals = sys.argv[1], sys.argv[2], int(sys.argv[3])

conn = pyodbc.connect(f"DSN={dsn}", autocommit=True)
cur = conn.cursor()

# rows and types
rows = cur.execute("SELECT Id, Title, Value, AddTime, IsDeleted FROM Deals WHERE Id <= 25 ORDER BY Id").fetchall()
assert [r.Id for r in rows] == list(range(1, 26)), rows[:3]
assert all(isinstance(r.Title, str) and r.Title for r in rows)
assert type(rows[0].AddTime).__name__ == "datetime", type(rows[0].AddTime)
assert isinstance(rows[0].IsDeleted, bool)
# amounts are exact decimals
assert type(rows[0].Value).__name__ == "Decimal", type(rows[0].Value)
assert [d[0] for d in cur.description] == ["Id", "Title", "Value", "AddTime", "IsDeleted"]

# parameters
count = cur.execute("SELECT COUNT(*) FROM Deals WHERE Status = ? AND Id <= ?", "won", 1000).fetchval()
assert count == cur.execute("SELECT COUNT(*) FROM Deals WHERE Status = 'won' AND Id <= 1000").fetchval()

# long text through SQLGetData in pieces
long = cur.execute("SELECT repeat('añ€', 40000)").fetchval()
assert long == "añ€" * 40000, len(long)

# pandas over a whole table (pandas warns about DBAPI connections other than SQLAlchemy's)
warnings.filterwarnings("ignore", message="pandas only supports SQLAlchemy")
frame = pandas.read_sql("SELECT Id, Title, Value, AddTime FROM Deals", conn)
assert frame.shape == (deals, 4), frame.shape
assert frame["Id"].is_unique and frame["Id"].min() == 1 and frame["Id"].max() == deals
assert str(frame["AddTime"].dtype).startswith("datetime64"), frame.dtypes

# catalog functions
tables = [t.table_name for t in cur.tables(table="%", tableType="TABLE")]
assert "Deals" in tables and "Persons" in tables, tables
columns = [c.column_name for c in cur.columns(table="Deals")]
assert columns[:3] == ["Id", "Title", "OwnerId"], columns[:3]
assert [k.column_name for k in cur.primaryKeys("Deals")] == ["Id"]
fks = {(k.pktable_name, k.fkcolumn_name) for k in cur.foreignKeys(foreignTable="Deals")}
assert ("Persons", "PersonId") in fks, fks
assert [s.index_name for s in cur.statistics("Deals")] == ["PK_Deals"]
assert [c.column_name for c in cur.rowIdColumns("Deals")] == ["Id"]
assert len(cur.getTypeInfo().fetchall()) >= 10
procedures = [p.procedure_name for p in cur.procedures()]
assert procedures[:3] == ["GetOAuthAuthorizationURL", "GetOAuthAccessToken", "RefreshOAuthAccessToken"], procedures
assert "MergeDeals" in procedures and "UploadFile" in procedures, procedures
params = [(c.column_name, c.column_type) for c in cur.procedureColumns(procedure="GetOAuthAuthorizationURL")]
assert params == [("CallbackURL", 1), ("State", 1), ("Scope", 1), ("URL", 3)], params
# a Basic connection has no OAuth app: the procedure says what it needs (HY000)
try:
    cur.execute("{call GetOAuthAuthorizationURL}")
except pyodbc.Error as e:
    assert "AuthScheme=OAuth" in str(e), e
else:
    raise AssertionError("an OAuth procedure ran without an OAuth app")

# errors with their SQLSTATE
for sql, state in [("SELECT * FROM Nope", "42S02"), ("SELECT Nope FROM Deals", "42S22"), ("SELEC 1", "42000")]:
    try:
        cur.execute(sql)
    except pyodbc.Error as e:
        assert e.args[0] == state, (sql, e.args)
    else:
        raise AssertionError(f"{sql} did not fail")

# a DSN-less connection string, and a wrong token
other = pyodbc.connect(dsn_less, autocommit=True)
assert other.cursor().execute("SELECT COUNT(*) FROM Users").fetchval() > 0
assert other.getinfo(pyodbc.SQL_DBMS_NAME) == "Pipedrive"
try:
    pyodbc.connect(f"DSN={dsn};APIToken=wrong")
except pyodbc.Error as e:
    assert e.args[0] == "28000", e.args
else:
    raise AssertionError("a wrong token connected")

print("pyodbc and pandas: all checks passed")
