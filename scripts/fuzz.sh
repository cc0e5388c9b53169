#!/usr/bin/env bash
# Runs the fuzz targets for a fixed time each and prints their final figures (executions,
# coverage). Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# - connection_string, dsn_file, sql, page: coverage-guided targets of fuzz/ (cargo fuzz:
#   libFuzzer, AddressSanitizer, the nightly toolchain);
# - call_sequences, call_sequences_direct: sequences of ODBC calls against the driver (debug
#   build) and a sandbox, through unixODBC or calling the driver directly
#   (crates/odbc/tests/python/call_sequences.py); its outcomes are its coverage. Its kept inputs
#   are fuzz/seeds/call_sequences (crates/odbc/tests/call_sequences.rs replays them): refresh
#   them with the script's minimize mode.
# The corpus grows outside the clone; an input that fails is written to fuzz/artifacts/TARGET/:
# copy it to fuzz/regressions/TARGET/ so that the test suite replays it
# (crates/config/tests/fuzz_replay.rs, crates/engine/tests/fuzz_replay.rs) once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-1800}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(connection_string dsn_file sql page call_sequences call_sequences_direct)
corpus_root="${FUZZ_CORPUS_DIR:-$HOME/.cache/pipedrive-odbc-fuzz-corpus}"

source scripts/common.sh
project_target="$CARGO_TARGET_DIR"

# sequences of ODBC calls: the driver and the sandbox from the project's own (debug) build
call_sequences() {
  local target="$1" driver="$project_target/debug/libpipedrive_odbc.so" manager="libodbc.so.2"
  CARGO_TARGET_DIR="$project_target" cargo build --workspace --quiet
  [ "$target" = call_sequences_direct ] && manager="$driver"
  local url corpus="$corpus_root/call_sequences"
  CARGO_TARGET_DIR="$project_target" start_sandbox url --deals 500 --persons 200 --token fuzz-token
  mkdir -p "$corpus"
  cp -n fuzz/seeds/call_sequences/* "$corpus"/ 2>/dev/null || true
  echo "== $target: $seconds s (corpus $corpus, sandbox $url)"
  python3 crates/odbc/tests/python/call_sequences.py fuzz "$manager" "$driver" "$url" fuzz-token \
    "$corpus" "$seconds" fuzz/artifacts/call_sequences
}

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# its own target directory: the instrumented nightly build shares nothing with the project's
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/pipedrive-odbc-fuzz}"

for target in "${targets[@]}"; do
  case "$target" in
    call_sequences|call_sequences_direct) call_sequences "$target"; continue ;;
  esac
  corpus="$corpus_root/$target"
  mkdir -p "$corpus"
  echo "== $target: $seconds s (corpus $corpus)"
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" "$corpus" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
done
