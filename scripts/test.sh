#!/usr/bin/env bash
# Runs every test of the project (this is what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_packages ca-certificates pkg-config

if [ -z "${PIPEDRIVE_SPECS_DIR:-}" ]; then
  echo "error: the official Pipedrive OpenAPI specs were not found (../shared/pipedrive-api); set PIPEDRIVE_SPECS_DIR" >&2
  exit 1
fi

cargo build --workspace --all-targets --locked
cargo test --workspace --locked
