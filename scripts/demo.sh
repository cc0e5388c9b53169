#!/usr/bin/env bash
# The product's main job, end to end, on the embedded default: a local Pipedrive sandbox
# serving a demo company, queried with SQL through a DSN by the `pipedrive-odbc` command line
# (the same engine the ODBC driver runs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

DEALS="${DEALS:-20000}"
cargo build --release --locked --workspace --bins
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

# a DSN, as a user would configure one (a private odbc.ini, so nothing of yours is touched)
cat >"$work/odbc.ini" <<INI
[ODBC Data Sources]
PipedriveSandbox = Pipedrive

[PipedriveSandbox]
Driver = Pipedrive
AuthScheme = Basic
APIToken = sandbox-token
BaseURL = $base
INI
export ODBCINI="$work/odbc.ini"
run() {
  echo
  echo "\$ pipedrive-odbc --dsn PipedriveSandbox $*"
  "$bin/pipedrive-odbc" --dsn PipedriveSandbox "$@"
}

echo "sandbox with $DEALS deals at $base"
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
echo
python3 - "$base" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_sandbox/stats") as r:
    stats = json.load(r)
print(f"the sandbox answered {stats['requests']} API requests for all of the above:")
for route, n in sorted(stats["by_route"].items(), key=lambda kv: -kv[1]):
    print(f"  {n:>5}  {route}")
PY
