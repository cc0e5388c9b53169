#!/usr/bin/env bash
# The product's main job, end to end, on the embedded default: a local Pipedrive sandbox.
# Today that is the sandbox itself serving a demo company (the SQL engine and the ODBC driver
# that will query it are being built; see the status table in README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

DEALS="${DEALS:-20000}"
cargo build --release --locked -p pipedrive-sandbox --bin pipedrive-sandbox
out=$(mktemp)
"$CARGO_TARGET_DIR/release/pipedrive-sandbox" serve --port 0 --deals "$DEALS" >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 300); do
  [ -s "$out" ] && break
  sleep 0.1
done
base=$(head -n 1 "$out")
[ -n "$base" ] || { echo "the sandbox did not start" >&2; exit 1; }
echo "sandbox: $base (token: sandbox-token)"

python3 - "$base" <<'PY'
import json, sys, time, urllib.request
base = sys.argv[1]

def get(path):
    req = urllib.request.Request(base + path, headers={"x-api-token": "sandbox-token"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)

fields = get("/api/v2/dealFields?limit=500")["data"]
custom = {f["field_code"]: f for f in fields if f["is_custom_field"]}
print(f"deal fields: {len(fields)} ({len(custom)} custom: {', '.join(sorted({f['field_type'] for f in custom.values()}))})")

t, rows, pages, cursor = time.time(), [], 0, None
while True:
    page = get("/api/v2/deals?limit=500" + (f"&cursor={cursor}" if cursor else ""))
    rows += page["data"]; pages += 1
    cursor = page["additional_data"]["next_cursor"]
    if not cursor:
        break
won = sum(1 for d in rows if d["status"] == "won")
value = sum(d["value"] for d in rows if d["status"] == "won")
print(f"deals: {len(rows)} in {pages} pages ({time.time() - t:.2f} s); won: {won}, worth {value:,.2f}")

enum = next(f for f in custom.values() if f["field_type"] == "enum")
labels = {o["id"]: o["label"] for o in enum["options"]}
by_label = {}
for d in rows:
    label = labels.get(d["custom_fields"].get(enum["field_code"]), "(none)")
    by_label[label] = by_label.get(label, 0) + 1
print(f"deals by '{enum['field_name']}': " + ", ".join(f"{k}: {v}" for k, v in sorted(by_label.items())))

for d in rows[:3]:
    print(f"  #{d['id']:<5} {d['title'][:48]:<48} {d['value']:>12,.2f} {d['currency']} {d['status']}")
notes = get("/api/v1/notes?limit=3")
print("notes (v1):", " | ".join(n["content"][:40] for n in notes["data"]))
with urllib.request.urlopen(base + "/_sandbox/stats") as r:
    stats = json.load(r)
print(f"requests: {stats['requests']}, API tokens charged: {stats['tokens']}")
PY
