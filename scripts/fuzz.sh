#!/usr/bin/env bash
# Runs the coverage-guided fuzz targets of fuzz/ (cargo fuzz: libFuzzer, AddressSanitizer, the
# nightly toolchain) for a fixed time each, and prints libFuzzer's final figures (executions,
# coverage). Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# The corpus grows outside the clone; an input that fails is written to fuzz/artifacts/TARGET/:
# copy it to fuzz/regressions/TARGET/ so that the test suite replays it
# (crates/config/tests/fuzz_replay.rs) once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-1800}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(connection_string dsn_file)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# its own target directory: the instrumented nightly build shares nothing with the project's
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/pipedrive-odbc-fuzz}"
corpus_root="${FUZZ_CORPUS_DIR:-$HOME/.cache/pipedrive-odbc-fuzz-corpus}"

for target in "${targets[@]}"; do
  corpus="$corpus_root/$target"
  mkdir -p "$corpus"
  echo "== $target: $seconds s (corpus $corpus)"
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" "$corpus" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
done
