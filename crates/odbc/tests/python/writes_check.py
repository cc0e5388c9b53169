"""Writes through pyodbc and unixODBC: every writable table (insert, read back, update, read
back, delete, gone), custom fields by display name and option label, 1,000-row parameter
arrays, every procedure, and each error case; the sandbox's request counts show that each
statement makes the fewest write requests. Run by tests/writes.rs with the DSN and the
sandbox's address."""

import base64
import datetime
import json
import os
import sys
import tempfile
import urllib.request

import pyodbc

dsn, sandbox = sys.argv[1], sys.argv[2]
conn = pyodbc.connect(f"DSN={dsn}", autocommit=True)
cur = conn.cursor()


def stats():
    with urllib.request.urlopen(f"{sandbox}/_sandbox/stats") as r:
        return json.load(r)


def reset():
    urllib.request.urlopen(urllib.request.Request(f"{sandbox}/_sandbox/stats", method="DELETE"))


def writes():
    """Write requests since the last reset, by route."""
    return {k: n for k, n in stats()["by_route"].items() if not k.startswith("GET")}


def fails(sql, params, state, words):
    try:
        cur.execute(sql, *params)
    except pyodbc.Error as e:
        assert e.args[0] == state, (sql, e)
        assert words in str(e), (sql, words, e)
        return str(e)
    raise AssertionError(f"accepted: {sql}")


# (table, key, row to insert, change to make, write routes of insert / update / delete)
FULL = [
    ("Deals", "Id", {"Title": "W deal", "Value": 100.5, "Currency": "EUR", "ExpectedCloseDate": datetime.date(2026, 12, 24)},
     {"Title": "W deal 2", "Value": 7.0}, ("POST /api/v2/deals", "PATCH /api/v2/deals/{id}", "DELETE /api/v2/deals/{id}")),
    ("Persons", "Id", {"Name": "W person", "JobTitle": "Buyer", "Emails": '[{"value": "w@example.com", "primary": true, "label": "work"}]'},
     {"JobTitle": "Head buyer"}, ("POST /api/v2/persons", "PATCH /api/v2/persons/{id}", "DELETE /api/v2/persons/{id}")),
    ("Organizations", "Id", {"Name": "W org", "Address": "Narva mnt 5, Tallinn", "AddressCountry": "Estonia"},
     {"AddressCountry": "Finland"}, ("POST /api/v2/organizations", "PATCH /api/v2/organizations/{id}", "DELETE /api/v2/organizations/{id}")),
    ("Activities", "Id", {"Subject": "W call", "Type": "call", "DueDate": datetime.date(2026, 12, 1), "DueTime": datetime.time(9, 30), "Done": False},
     {"Done": True}, ("POST /api/v2/activities", "PATCH /api/v2/activities/{id}", "DELETE /api/v2/activities/{id}")),
    ("Products", "Id", {"Name": "W product", "Code": "WP-1", "Tax": 20.0},
     {"Code": "WP-2"}, ("POST /api/v2/products", "PATCH /api/v2/products/{id}", "DELETE /api/v2/products/{id}")),
    ("Projects", "Id", {"Title": "W project", "StartDate": datetime.date(2026, 1, 5)},
     {"Title": "W project 2"}, ("POST /api/v2/projects", "PATCH /api/v2/projects/{id}", "DELETE /api/v2/projects/{id}")),
    ("Pipelines", "Id", {"Name": "W pipeline"},
     {"Name": "W pipeline 2"}, ("POST /api/v2/pipelines", "PATCH /api/v2/pipelines/{id}", "DELETE /api/v2/pipelines/{id}")),
    ("Stages", "Id", {"Name": "W stage", "PipelineId": 1, "DealProbability": 40},
     {"DealProbability": 60}, ("POST /api/v2/stages", "PATCH /api/v2/stages/{id}", "DELETE /api/v2/stages/{id}")),
    ("Notes", "Id", {"Content": "W note", "DealId": 1},
     {"Content": "W note 2"}, ("POST /api/v1/notes", "PUT /api/v1/notes/{id}", "DELETE /api/v1/notes/{id}")),
    ("Leads", "Id", {"Title": "W lead", "PersonId": 1, "ValueAmount": 300.0, "ValueCurrency": "EUR"},
     {"ValueAmount": 450.0}, ("POST /api/v1/leads", "PATCH /api/v1/leads/{id}", "DELETE /api/v1/leads/{id}")),
    ("Roles", "Id", {"Name": "W role"},
     {"Name": "W role 2"}, ("POST /api/v1/roles", "PUT /api/v1/roles/{id}", "DELETE /api/v1/roles/{id}")),
    ("ActivityTypes", "Id", {"Name": "W type", "IconKey": "call", "Color": "FF0000"},
     {"Color": "00FF00"}, ("POST /api/v1/activityTypes", "PUT /api/v1/activityTypes/{id}", "DELETE /api/v1/activityTypes/{id}")),
    ("LeadLabels", "Id", {"Name": "W label", "Color": "blue"},
     {"Color": "green"}, ("POST /api/v1/leadLabels", "PATCH /api/v1/leadLabels/{id}", "DELETE /api/v1/leadLabels/{id}")),
    ("DealsProducts", "Id", {"DealId": 5, "ProductId": 2, "ItemPrice": 10.0, "Quantity": 2.0},
     # (a deal's products are deleted through the bulk endpoint, ?ids=)
     {"Quantity": 3.0}, ("POST /api/v2/deals/{id}/products", "PATCH /api/v2/deals/{id}/products/{product_attachment_id}",
                         "DELETE /api/v2/deals/{id}/products")),
]


def gone(table, key, value, where=""):
    """No such row, or one the API marks deleted."""
    cur.execute(f"SELECT * FROM {table} WHERE {key} = ? {where}", value)
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return all(("IsDeleted" in names and r.IsDeleted) or ("ActiveFlag" in names and r.ActiveFlag is False) for r in rows)


def same(a, b):
    if isinstance(b, float):
        # amounts come back as decimal.Decimal (DECIMAL columns)
        return abs(float(a) - b) < 1e-9
    if isinstance(b, str) and b.startswith("["):
        return json.loads(a)[0]["value"] == json.loads(b)[0]["value"]
    return a == b


for table, key, row, change, (post, update, delete) in FULL:
    scope = f"AND DealId = {row['DealId']}" if "DealId" in row and table == "DealsProducts" else ""
    cols = list(row)
    reset()
    made = cur.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) RETURNING {key}",
        *row.values(),
    ).fetchval()
    assert cur.rowcount in (1, -1), (table, cur.rowcount)
    assert writes() == {post: 1}, (table, writes())
    back = cur.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {key} = ? {scope}", made).fetchone()
    assert back is not None, (table, made)
    for c in cols:
        assert same(getattr(back, c), row[c]), (table, c, getattr(back, c), row[c])

    reset()
    sets = ", ".join(f"{c} = ?" for c in change)
    cur.execute(f"UPDATE {table} SET {sets} WHERE {key} = ? {scope}", *change.values(), made)
    assert cur.rowcount == 1, (table, cur.rowcount)
    assert writes() == {update: 1}, (table, writes())
    back = cur.execute(f"SELECT {', '.join(change)} FROM {table} WHERE {key} = ? {scope}", made).fetchone()
    for c in change:
        assert same(getattr(back, c), change[c]), (table, c, getattr(back, c), change[c])

    reset()
    cur.execute(f"DELETE FROM {table} WHERE {key} = ? {scope}", made)
    assert cur.rowcount == 1, (table, cur.rowcount)
    assert writes() == {delete: 1}, (table, writes())
    assert gone(table, key, made, scope), (table, made)
    print(f"{table}: insert, update, delete")

# tables the API lets SQL only insert and delete
for table, key, row, post, delete in [
    ("CallLogs", "Id", {"Outcome": "connected", "ToPhoneNumber": "+3725551234",
                        "StartTime": datetime.datetime(2026, 5, 1, 10, 0), "EndTime": datetime.datetime(2026, 5, 1, 10, 5)},
     "POST /api/v1/callLogs", "DELETE /api/v1/callLogs/{id}"),
    ("Webhooks", "Id", {"SubscriptionUrl": "https://hooks.example.com/w", "EventAction": "create", "EventObject": "deal", "Name": "W hook"},
     "POST /api/v1/webhooks", "DELETE /api/v1/webhooks/{id}"),
    ("DealsParticipants", "Id", {"DealId": 6, "PersonId": 3},
     "POST /api/v1/deals/{id}/participants", "DELETE /api/v1/deals/{id}/participants/{deal_participant_id}"),
    ("DealsFollowers", "UserId", {"DealId": 7, "UserId": None},
     "POST /api/v2/deals/{id}/followers", "DELETE /api/v2/deals/{id}/followers/{follower_id}"),
]:
    scope = f"AND DealId = {row['DealId']}" if "DealId" in row else ""
    if table == "DealsFollowers":
        following = {r.UserId for r in cur.execute("SELECT UserId FROM DealsFollowers WHERE DealId = 7")}
        row["UserId"] = next(u.Id for u in cur.execute("SELECT Id FROM Users ORDER BY Id") if u.Id not in following)
    cols = list(row)
    reset()
    made = cur.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) RETURNING {key}",
        *row.values(),
    ).fetchval()
    assert writes() == {post: 1}, (table, writes())
    assert cur.execute(f"SELECT COUNT(*) FROM {table} WHERE {key} = ? {scope}", made).fetchval() == 1, table
    fails(f"UPDATE {table} SET {cols[-1]} = {cols[-1]} WHERE {key} = ? {scope}", [made], "42000", "does not take UPDATE")
    reset()
    cur.execute(f"DELETE FROM {table} WHERE {key} = ? {scope}", made)
    assert cur.rowcount == 1 and writes() == {delete: 1}, (table, writes())
    assert gone(table, key, made, scope), (table, made)
    print(f"{table}: insert, delete")

# users: added by e-mail, deactivated by UPDATE (the API deletes no users)
reset()
user = cur.execute("INSERT INTO Users (Email) VALUES ('new.user@example.com') RETURNING Id").fetchval()
cur.execute("UPDATE Users SET ActiveFlag = ? WHERE Id = ?", False, user)
assert cur.execute("SELECT ActiveFlag FROM Users WHERE Id = ?", user).fetchval() is False
assert writes() == {"POST /api/v1/users": 1, "PUT /api/v1/users/{id}": 1}, writes()
fails("DELETE FROM Users WHERE Id = ?", [user], "42000", "does not take DELETE")
# goals: changed and deleted; files and filters: deleted
goal = cur.execute("SELECT Id FROM Goals").fetchval()
cur.execute("UPDATE Goals SET Title = 'W goal' WHERE Id = ?", goal)
assert cur.execute("SELECT Title FROM Goals WHERE Id = ?", goal).fetchval() == "W goal"
for table in ["Goals", "Files", "Filters"]:
    victim = cur.execute(f"SELECT Id FROM {table}").fetchval()
    cur.execute(f"DELETE FROM {table} WHERE Id = ?", victim)
    assert cur.rowcount == 1 and gone(table, "Id", victim), table
print("Users, Goals, Files, Filters")

# custom fields by display name, option values by label
fields = cur.execute("SELECT FieldCode, FieldName, FieldType, Options FROM DealFields WHERE IsCustomField = true").fetchall()
enum = next(f for f in fields if f.FieldType == "enum")
labels = [o["label"] for o in json.loads(enum.Options)]
number = next(f for f in fields if f.FieldType == "double")
deal = cur.execute(
    f'INSERT INTO Deals (Title, "{enum.FieldName}", "{number.FieldName}") VALUES (?, ?, ?) RETURNING Id', "W custom", labels[1], 12.5
).fetchval()
back = cur.execute(f'SELECT "{enum.FieldName}", "{number.FieldName}" FROM Deals WHERE Id = ?', deal).fetchone()
assert (back[0], back[1]) == (labels[1], 12.5), back
cur.execute(f'UPDATE Deals SET "{enum.FieldName}" = ? WHERE Id = ?', labels[0].upper(), deal)
assert cur.execute(f'SELECT "{enum.FieldName}" FROM Deals WHERE Id = ?', deal).fetchval() == labels[0]
fails(f'UPDATE Deals SET "{enum.FieldName}" = ? WHERE Id = ?', ["No such option", deal], "22018", labels[0])
print("custom fields")

# 1,000-row parameter arrays: one request per row, nothing else
cur.fast_executemany = True
reset()
people = [(f"Bulk {i:04}", "Bulk buyer") for i in range(1000)]
cur.executemany("INSERT INTO Persons (Name, JobTitle) VALUES (?, ?)", people)
assert writes() == {"POST /api/v2/persons": 1000}, writes()
names = {r.Name for r in cur.execute("SELECT Name FROM Persons WHERE JobTitle = 'Bulk buyer'")}
assert names == {p[0] for p in people}, len(names)
reset()
cur.execute("UPDATE Persons SET JobTitle = 'Bulk seller' WHERE JobTitle = 'Bulk buyer'")
assert cur.rowcount == 1000, cur.rowcount
assert writes() == {"PATCH /api/v2/persons/{id}": 1000}, writes()
ids = [r.Id for r in cur.execute("SELECT Id FROM Persons WHERE JobTitle = 'Bulk seller'")]
reset()
cur.executemany("DELETE FROM Persons WHERE Id = ?", [(i,) for i in ids])
assert writes() == {"DELETE /api/v2/persons/{id}": 1000}, writes()
assert cur.execute("SELECT COUNT(*) FROM Persons WHERE JobTitle = 'Bulk seller' AND IsDeleted = false").fetchval() == 0
print("1,000-row parameter arrays")

# a parameter array that fails part way: the error names what was written
reset()
rows = [(f"Part {i}", None) for i in range(40)]
rows[25] = ("Part 25", 999999)  # no such organization: the API refuses it
try:
    cur.executemany("INSERT INTO Persons (Name, OrgId) VALUES (?, ?)", rows)
    raise AssertionError("a refused row went unreported")
except pyodbc.Error as e:
    message = str(e)
assert "parameter set 26" in message and "Written: parameter sets" in message and "not sent" in message, message
written = cur.execute("SELECT COUNT(*) FROM Persons WHERE Name LIKE 'Part %'").fetchval()
assert 25 <= written < 40, written
assert writes() == {"POST /api/v2/persons": written + 1}, (writes(), written)
print("partial failure:", message.split("] ")[-1][:160])

# errors found before anything is sent
reset()
fails("INSERT INTO Deals (Title, AddTime) VALUES ('x', NOW())", [], "42000", "read only")
fails("INSERT INTO Deals (Value) VALUES (1)", [], "23000", "Title")
fails("INSERT INTO Deals (Title) VALUES (?)", [None], "23000", "NULL")
fails("UPDATE Deals SET Id = 5 WHERE Id = 4", [], "42000", "read only")
fails("DELETE FROM Currencies", [], "42000", "read only")
fails("INSERT INTO Nope (A) VALUES (1)", [], "42S02", "Nope")
fails("UPDATE Deals SET Nope = 1", [], "42S22", "Nope")
fails("INSERT INTO Deals (Title, ExpectedCloseDate) VALUES ('x', 'not a date')", [], "22018", "")
fails("INSERT INTO Deals (Title, Value) VALUES ('x', 1", [], "42000", "")
fails("UPDATE DealsProducts SET DealId = 3 WHERE DealId = 5", [], "42000", "cannot move")
assert writes() == {}, writes()
# the API refuses a value: its words, nothing half done
fails("UPDATE Deals SET PersonId = 999999 WHERE Id = 9", [], "HY000", "person 999999 does not exist")
print("errors")

# procedures
procedures = {p.procedure_name for p in cur.procedures()}
for name in ["MergeDeals", "MergePersons", "MergeOrganizations", "ConvertLeadToDeal", "ConvertDealToLead",
             "DuplicateDeal", "DuplicateProduct", "UploadFile", "DownloadFile"]:
    assert name in procedures, (name, procedures)
params = [c.column_name for c in cur.procedureColumns(procedure="MergeDeals")]
assert params == ["Id", "MergeWithId", "Id"], params

a = cur.execute("INSERT INTO Deals (Title) VALUES ('Merge me') RETURNING Id").fetchval()
b = cur.execute("INSERT INTO Deals (Title) VALUES ('Keep me') RETURNING Id").fetchval()
cur.execute("INSERT INTO DealsProducts (DealId, ProductId, ItemPrice, Quantity) VALUES (?, 2, 5, 1)", a)
kept = cur.execute("EXEC MergeDeals @Id = ?, @MergeWithId = ?", a, b).fetchval()
assert kept == b, kept
assert cur.execute("SELECT COUNT(*) FROM DealsProducts WHERE DealId = ?", b).fetchval() == 1
assert gone("Deals", "Id", a)
p1 = cur.execute("INSERT INTO Persons (Name) VALUES ('Twin A') RETURNING Id").fetchval()
p2 = cur.execute("INSERT INTO Persons (Name) VALUES ('Twin B') RETURNING Id").fetchval()
assert cur.execute("{call MergePersons(?, ?)}", p1, p2).fetchval() == p2
o1 = cur.execute("INSERT INTO Organizations (Name) VALUES ('Org A') RETURNING Id").fetchval()
o2 = cur.execute("INSERT INTO Organizations (Name) VALUES ('Org B') RETURNING Id").fetchval()
assert cur.execute("EXECUTE MergeOrganizations ?, ?", o1, o2).fetchval() == o2

copy = cur.execute("EXEC DuplicateDeal @Id = ?", b).fetchval()
assert copy != b and cur.execute("SELECT Title FROM Deals WHERE Id = ?", copy).fetchval() == "Keep me"
product_copy = cur.execute("EXEC DuplicateProduct @Id = 2").fetchval()
assert cur.execute("SELECT Name FROM Products WHERE Id = ?", product_copy).fetchval() == \
    cur.execute("SELECT Name FROM Products WHERE Id = 2").fetchval()

lead = cur.execute("INSERT INTO Leads (Title, PersonId) VALUES ('Convert me', 1) RETURNING Id").fetchval()
row = cur.execute("EXEC ConvertLeadToDeal @LeadId = ?", lead).fetchone()
assert row.Status == "completed" and row.DealId, row
assert cur.execute("SELECT Title FROM Deals WHERE Id = ?", int(row.DealId)).fetchval() == "Convert me"
assert cur.execute("SELECT COUNT(*) FROM Leads WHERE Id = ?", lead).fetchval() == 0
back = cur.execute("EXEC ConvertDealToLead @DealId = ?", int(row.DealId)).fetchone()
assert back.Status == "completed" and back.LeadId, back
assert cur.execute("SELECT Title FROM Leads WHERE Id = ?", back.LeadId).fetchval() == "Convert me"

with tempfile.TemporaryDirectory() as tmp:
    local = os.path.join(tmp, "quote.bin")
    payload = bytes(range(256)) * 40
    with open(local, "wb") as f:
        f.write(payload)
    up = cur.execute("EXEC UploadFile @LocalPath = ?, @DealId = ?", local, b).fetchone()
    assert up.FileName == "quote.bin" and up.FileSize == len(payload), up
    listed = tuple(cur.execute("SELECT FileName, DealId FROM Files WHERE Id = ?", up.Id).fetchone())
    assert listed == ("quote.bin", b), listed
    out = os.path.join(tmp, "again.bin")
    down = cur.execute("EXEC DownloadFile @Id = ?, @LocalPath = ?", up.Id, out).fetchone()
    assert down.FileSize == len(payload) and open(out, "rb").read() == payload
    inline = cur.execute("EXEC DownloadFile @Id = ?", up.Id).fetchone()
    assert base64.b64decode(inline.Content) == payload
    text = cur.execute("EXEC UploadFile @Content = 'hello', @FileName = 'hello.txt', @PersonId = 1").fetchone()
    assert text.FileSize == 5
    assert base64.b64decode(cur.execute("EXEC DownloadFile ?", text.Id).fetchone().Content) == b"hello"

fails("EXEC MergeDeals @Id = 1", [], "42000", "@MergeWithId")
fails("EXEC MergeDeals @Id = 'x', @MergeWithId = 2", [], "22018", "whole number")
fails("EXEC MergeDeals @Id = 999999, @MergeWithId = 2", [], "42S02", "not found")
fails("EXEC UploadFile @FileName = 'x'", [], "42000", "@LocalPath")
fails("EXEC DownloadFile @Id = 999999", [], "42S02", "")
print("procedures")

print("all checks passed")
