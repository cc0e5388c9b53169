#!/usr/bin/env bash
# The product's main job, end to end, on the embedded default: a local Pipedrive sandbox
# serving a demo company; the ODBC driver registered with a DSN for it (in private ini files,
# so nothing of yours is touched); SQL through the driver manager (isql, pyodbc with pandas)
# and through the `pipedrive-odbc` command line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

DEALS="${DEALS:-20000}"
ensure_packages unixodbc odbcinst
# the pandas step needs pyodbc and pandas; said plainly when they cannot be installed
ensure_python_packages pyodbc pandas || true
cargo build --release --locked --workspace
bin="$CARGO_TARGET_DIR/release"
work=$(mktemp -d)
"$bin/pipedrive-sandbox" serve --port 0 --deals "$DEALS" >"$work/url" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  [ -s "$work/url" ] && break
  sleep 0.1
done
base=$(head -n 1 "$work/url")
[ -n "$base" ] || { echo "the sandbox did not start" >&2; exit 1; }

echo "sandbox with $DEALS deals at $base"

# the driver and a DSN, registered as a user would (private files: nothing of yours is touched)
export ODBCSYSINI="$work" ODBCINI="$work/odbc.ini"
"$bin/pipedrive-odbc" install --system --library "$bin/libpipedrive_odbc.so" \
  --dsn-name PipedriveSandbox --set AuthScheme=Basic --set APIToken=sandbox-token --set "BaseURL=$base"
echo
echo "\$ pipedrive-odbc test-connection --dsn PipedriveSandbox"
"$bin/pipedrive-odbc" test-connection --dsn PipedriveSandbox
echo
echo "\$ isql PipedriveSandbox   (unixODBC's own client, through the driver)"
printf '%s\n' "SELECT Id, Title, Value, Status FROM Deals WHERE OwnerId = 3 ORDER BY Value DESC LIMIT 5" |
  isql -b -v PipedriveSandbox
if python3 -c "import pyodbc, pandas" 2>/dev/null; then
  echo
  echo "\$ python3: pandas.read_sql over pyodbc"
  python3 - <<'PY'
import time, warnings, pandas, pyodbc
warnings.filterwarnings("ignore", message="pandas only supports SQLAlchemy")
conn = pyodbc.connect("DSN=PipedriveSandbox", autocommit=True)
t = time.time()
frame = pandas.read_sql("SELECT Id, Title, Value, Currency, Status, AddTime FROM Deals", conn)
print(f"{len(frame)} deals in {time.time() - t:.2f} s; by status:")
print(frame.groupby("Status")["Value"].agg(["count", "sum"]).round(2).to_string())
PY
else
  echo
  echo "(skipped: the pandas step over pyodbc, since pyodbc or pandas could not be installed)"
fi
echo
echo "OAuth with a custom app, the headless steps (the sandbox plays Pipedrive's consent page):"
app="AuthScheme=OAuth;OAuthClientId=sandbox-client;OAuthClientSecret=sandbox-secret;OAuthServerURL=$base;CallbackURL=http://localhost:33333/"
settings="$work/OAuthSettings.txt"
echo "\$ pipedrive-odbc -c \"$app\" oauth url"
url=$("$bin/pipedrive-odbc" -c "$app" oauth url --format csv | tail -n 1)
echo "$url"
# a person opens the URL elsewhere and clicks Allow; the redirect carries the code
code=$(python3 - "$url" <<'PY'
import sys, urllib.parse, urllib.request
page = urllib.request.urlopen(sys.argv[1]).read().decode()
fields = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(sys.argv[1]).query))
form = {"client_id": fields["client_id"], "redirect_uri": fields["redirect_uri"], "state": "", "decision": "allow"}
class Stop(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        print(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(newurl).query))["code"])
        return None
opener = urllib.request.build_opener(Stop)
try:
    opener.open(urllib.parse.urljoin(sys.argv[1], "/oauth/authorize"), urllib.parse.urlencode(form).encode())
except urllib.error.HTTPError:
    pass
PY
)
echo "(consent given in a browser; the code of the redirect goes into OAuthVerifier)"
echo "\$ isql -k \"Driver=...;$app;InitiateOAuth=REFRESH;OAuthVerifier=...;OAuthSettingsLocation=$settings\""
printf '%s\n' "SELECT COUNT(*) AS deals FROM Deals" |
  isql -b -k "Driver={Pipedrive ODBC Driver};$app;InitiateOAuth=REFRESH;OAuthVerifier=$code;OAuthSettingsLocation=$settings"
echo "\$ isql -k \"Driver=...;AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthSettingsLocation=$settings\"   (later connections)"
printf '%s\n' "SELECT Name FROM Pipelines" |
  isql -b -k "Driver={Pipedrive ODBC Driver};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthSettingsLocation=$settings"
echo "the settings file ($(stat -c %A "$settings")) holds the tokens encrypted:"
head -c 120 "$settings"; echo " ..."

run() {
  echo
  echo "\$ pipedrive-odbc --dsn PipedriveSandbox $*"
  "$bin/pipedrive-odbc" --dsn PipedriveSandbox "$@"
}

run tables
run columns Deals
run query "SELECT TOP 5 Id, Title, Value, Currency, Status, \"Tier\" FROM Deals ORDER BY UpdateTime DESC"
run query "SELECT d.\"Tier\" AS tier, count(*) AS deals, count(DISTINCT p.Id) AS persons, count(DISTINCT o.Id) AS orgs, round(sum(d.Value), 2) AS total
           FROM Deals d JOIN Persons p ON d.PersonId = p.Id JOIN Organizations o ON d.OrgId = o.Id
           WHERE d.Status = 'won' GROUP BY d.\"Tier\" ORDER BY total DESC"
run query "SELECT s.Name AS stage, count(*) AS open_deals, {fn ROUND(avg(d.Value), 0)} AS avg_value
           FROM Deals d JOIN Stages s ON d.StageId = s.Id WHERE d.Status = 'open' GROUP BY s.Name, s.OrderNr ORDER BY s.OrderNr"
run query --format csv "SELECT dp.DealId, dp.Name, dp.Quantity, dp.Sum FROM DealsProducts dp WHERE dp.DealId IN (3, 5, 8)"
run query --format json "SELECT Id, Title, OwnerId FROM Deals WHERE Id = 17"
run query --explain "SELECT Id, Title FROM Deals WHERE OwnerId = 3 AND Status = 'won' ORDER BY UpdateTime DESC LIMIT 10"
# writes: an insert answering its new id, an update found by pushdown, a procedure, a delete
run query --format csv "INSERT INTO Deals (Title, Value, Currency) VALUES ('Demo renewal', 1200, 'EUR') RETURNING Id, Title, Value, AddTime"
run query "UPDATE Deals SET Value = Value * 1.1 WHERE Title = 'Demo renewal'"
run query "EXEC DuplicateDeal @Id = 17"
run query "DELETE FROM Deals WHERE Title = 'Demo renewal'"
echo
python3 - "$base" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_sandbox/stats") as r:
    stats = json.load(r)
print(f"the sandbox answered {stats['requests']} API requests for all of the above:")
for route, n in sorted(stats["by_route"].items(), key=lambda kv: -kv[1]):
    print(f"  {n:>5}  {route}")
PY
