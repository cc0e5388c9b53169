"""What the call-sequence fuzzer (call_sequences.py) chooses from: statements, connection strings
({lib}, {base} and {token} filled in), and the argument values worth trying, each list indexed
by one byte of an input. Changing a list changes what the kept inputs mean, not whether they run."""

from odbc_binding import NTS

MAX_ROWS = 64          # bound buffers hold this many rows; larger arrays are not fetched into

SQL = [
    "SELECT Id, Title, Value, AddTime FROM Deals WHERE Id < 40 ORDER BY Id",
    "SELECT * FROM Persons",
    "SELECT TOP 5 * FROM Deals",
    "SELECT COUNT(*) FROM Deals",
    "SELECT Id, Name FROM Organizations WHERE Name LIKE ?",
    "SELECT * FROM Deals WHERE Id = ?",
    "SELECT Id, Title FROM Deals WHERE Value > ? AND Title <> ? ORDER BY Id LIMIT 30",
    "SELECT {fn UCASE(Title)}, {d '2026-01-01'} FROM Deals WHERE Id IN (1, 2, 3)",
    "SELECT * FROM DealsProducts WHERE DealId = 1",
    "SELECT * FROM NoSuchTable",
    "SELEC Id FROM",
    "SELECT {fn NOSUCH(1)}",
    "SELECT 'unterminated",
    "INSERT INTO Deals (Title, Value) VALUES ('from the fuzzer', 1)",
    "INSERT INTO Deals (Title, Value) VALUES (?, ?)",
    "UPDATE Deals SET Title = ? WHERE Id = ?",
    "DELETE FROM Deals WHERE Id = ?",
    "DELETE FROM Deals WHERE Title = 'from the fuzzer' AND Id > 100000",
    "EXEC MergeDeals Id = ?, MergeWithId = ?",
    "{call GetOAuthAuthorizationURL()}",
    "SELECT * FROM Deals WHERE UpdateTime > {ts '2026-01-01 00:00:00'} ORDER BY UpdateTime",
    "EXPLAIN SELECT * FROM Deals WHERE Id = 5",
    "SELECT Id, Title, Title, Title, Title, Title, Title FROM Deals WHERE Id < 3",
    "",
    "SELECT ?",
    "SELECT N'ünïcödé ✓ 漢字', CAST(1.5 AS DOUBLE), CAST(NULL AS VARCHAR), TRUE",
]

CONNECTIONS = [
    "Driver={lib};BaseURL={base};APIToken={token}",
    "Driver={lib};BaseURL={base};APIToken={token};Timeout=2;MaxRows=7",
    "Driver={lib};BaseURL={base};APIToken=wrong-token",
    "Driver={lib};BaseURL=http://127.0.0.1:1;APIToken={token};Timeout=1",
    "Driver={lib};BaseURL={base};AuthScheme=OAuth;InitiateOAuth=OFF",
    "Driver={lib};BaseURL={base};APIToken={token};NoSuchProperty=1;ProxyServer=",
    "Driver={lib};BaseURL={{{base}",
    "Driver={lib};;;==;BaseURL={base};APIToken={token};",
    "DSN=NoSuchDataSource",
    "",
]

# argument values worth trying, each list indexed by one byte
LENGTHS = [0, 1, 2, 3, 5, 8, 16, 64, 255, 4096, -1, -5]
STRING_LENGTHS = [NTS, NTS, NTS, 0, 1, 5, 200, -1, -100]
COLUMNS = [1, 1, 2, 3, 0, 5, 50, 65535]
C_TYPES = [1, -8, 4, -16, 8, 6, -7, -6, 5, 91, 92, 93, 2, -2, 99, -25, -99, 0]
SQL_TYPES = [12, -9, 4, -5, 8, 2, 3, 91, 93, -1, -10, 0, 777]
STMT_ATTRS = [  # attribute, values
    (27, [1, 2, 7, MAX_ROWS, 0, 2**40]),           # ROW_ARRAY_SIZE
    (9, [1, 3, 0, 2**40]),                         # ROW_ARRAY_SIZE (2.x)
    (6, [0, 1, 2, 3, 9]),                          # CURSOR_TYPE
    (7, [1, 2, 3, 4, 99]),                         # CONCURRENCY
    (1, [0, 1, 3, 10**9]),                         # MAX_ROWS
    (0, [0, 1, 2**31]),                            # QUERY_TIMEOUT
    (22, [1, 2, MAX_ROWS, 2**40, 0]),              # PARAMSET_SIZE
    (3, [0, 1, 2**40]),                            # MAX_LENGTH
    (5, [0, 1, 2]),                                # ROW_BIND_TYPE (column-wise only: 0)
    (2, [0, 1]),                                   # NOSCAN
    (14, [0, 1]),                                  # SIMULATE_CURSOR... (unsupported)
    (-1, [0, 1]),                                  # CURSOR_SCROLLABLE
    (10003, [0]),                                  # APP_ROW_DESC (explicit desc or 0)
    (12345, [7]),                                  # unknown
]
INFO_TYPES = [0, 1, 2, 6, 7, 10, 13, 17, 18, 25, 29, 44, 46, 72, 77, 81, 86, 87, 88, 94,
              10000, 10002, 171, 147, 144, 8, 151, 152, 65535, 12345]
COL_FIELDS = [2, 3, 6, 8, 9, 12, 14, 16, 17, 18, 22, 23, 27, 28, 1001, 1002, 1003, 1011,
              1012, 1013, 0, 9999]
DIAG_FIELDS = [2, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1249, 1, 99]
PATTERNS = [None, b"%", b"Deals", b"D_als", b"deals", b"", b"Pipedrive", b"no such",
            b"%" * 300, b"\xff\xfe"]
CONN_ATTRS = [(102, [0, 1]), (103, [0, 5]), (113, [0, 3]), (101, [0, 1]), (108, [1, 2, 8]),
              (109, None), (30002, [0]), (99999, [1])]
DESC_FIELDS = [1001, 1002, 20, 1003, 1005, 1006, 11, 1010, 1011, 1013, 0, 999]
