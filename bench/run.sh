#!/usr/bin/env bash
# The side-by-side comparison of bench/README.md, in one go:
#   bench/run.sh [DEALS [LATENCIES_MS [BURSTS [COUNT_DEALS [OVERHEAD_DEALS]]]]]
#   (defaults: 20000 0,80 40,160 1000000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_packages ca-certificates unixodbc unixodbc-dev odbcinst python3-venv
ensure_python_packages pyodbc requests

# the published extract tools, each in its own environment (their pins do not agree)
venvs="${PIPEDRIVE_BENCH_VENVS:-$HOME/.cache/pipedrive-bench}"
export PIPEDRIVE_BENCH_VENVS="$venvs"
install_tool() { # NAME PACKAGE...
  local name=$1; shift
  if [ ! -x "$venvs/$name/bin/python" ] || ! "$venvs/$name/bin/pip" show "${1%%=*}" >/dev/null 2>&1; then
    echo "installing $* into $venvs/$name"
    python3 -m venv "$venvs/$name"
    "$venvs/$name/bin/pip" install --quiet "$@"
  fi
}
install_tool tap tap-pipedrive==2.1.0
install_tool airbyte airbyte-source-pipedrive==2.3.7

cargo build --release --workspace --locked
"$CARGO_TARGET_DIR/release/compare" "$@"
