#!/usr/bin/env bash
# The soak: a day of BI traffic compressed (crates/odbc/tests/python/soak.py: connections
# opened and closed, catalog calls, block-fetched scans, lookups, cancels, query timeouts, user
# errors) through unixODBC against a sandbox with faults on (5xx, 429, dropped connections).
# Prints the resident memory as the rounds go, then runs fewer rounds under valgrind's memcheck
# with leak checking and prints its error and leak summary.
#   bench/soak.sh [ROUNDS [VALGRIND_ROUNDS]]   (defaults: 1000 20)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

rounds="${1:-1000}"
valgrind_rounds="${2:-20}"
ensure_packages unixodbc valgrind python3
cargo build --workspace --quiet
driver="$CARGO_TARGET_DIR/debug/libpipedrive_odbc.so"

start_sandbox faulty --deals 500 --persons 200 --token soak-token \
  --error-rate 0.03 --throttle-rate 0.03 --drop-rate 0.01 --latency-ms 2
start_sandbox slow --deals 50 --persons 50 --token soak-token --latency-ms 2500
connection="Driver=$driver;BaseURL=$faulty;APIToken=soak-token"
slow_connection="Driver=$driver;BaseURL=$slow;APIToken=soak-token"

echo "== $rounds rounds"
# Debian's own Python: valgrind must check Python, not a version manager's shell shim
/usr/bin/python3 crates/odbc/tests/python/soak.py libodbc.so.2 "$connection" "$slow_connection" "$rounds"

echo "== $valgrind_rounds rounds under valgrind (memcheck, leaks definitely or indirectly lost)"
log=$(mktemp)
status=0
valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --log-file="$log" \
  /usr/bin/python3 crates/odbc/tests/python/soak.py libodbc.so.2 "$connection" "$slow_connection" \
  "$valgrind_rounds" || status=$?
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable" "$log" || true
echo "valgrind exit status $status (log $log)"
exit "$status"
