#!/usr/bin/env bash
# Runs every test of the project (this is what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_packages ca-certificates pkg-config unixodbc unixodbc-dev odbcinst iodbc libiodbc2 chromium chromium-driver
# tests/deb_package.rs builds the Debian package (dpkg-architecture) and installs it
ensure_packages dpkg-dev
# LibreOffice Base headless for crates/odbc/tests/libreoffice.rs: the database layer (RowSet,
# DatabaseContext), its ODBC bridge and Python-UNO; apt picks libreoffice-core-nogui for them
# (no GUI, no Java with --no-install-recommends): about 72 MB to download, 217 MB installed
ensure_packages libreoffice-base-core libreoffice-base-drivers python3-uno
ensure_python_packages pyodbc pandas selenium
# the client programs of tests/apps.rs: PHP's odbc extension and PDO_ODBC (php-odbc has both), Perl's
# DBD::ODBC, R's RODBC (jsonlite reads the sandbox's answers), Node's odbc package (built below)
ensure_packages php-cli php-odbc libdbd-odbc-perl r-base-core r-cran-rodbc r-cran-jsonlite g++ make python3
# a Node.js that comes with its own npm (as NodeSource's does) conflicts with Debian's npm package
command -v npm >/dev/null || ensure_packages nodejs npm
# tests/misuse.rs runs an application's misuse of the driver under valgrind
ensure_packages valgrind
# tests/network.rs sends queries through real HTTP proxies, started on 127.0.0.1 with their own
# configuration (the packages' services, if they start, listen elsewhere and are not used):
# tinyproxy for Basic credentials, squid (and its digest_file_auth helper) for Digest
ensure_packages tinyproxy squid
# Node's odbc package compiles a native addon against unixODBC; it is installed outside the clone,
# where tests/apps.rs looks for it, and again only when tests/node/package.json changes. Its version
# is pinned to the last one that supports Debian 12's Node.js 18.
node_dir="$HOME/.cache/pipedrive-odbc-node"
if ! cmp -s crates/odbc/tests/node/package.json "$node_dir/installed-package.json"; then
  echo "installing Node's odbc package in $node_dir"
  mkdir -p "$node_dir"
  cp crates/odbc/tests/node/package.json "$node_dir/package.json"
  (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error)
  cp crates/odbc/tests/node/package.json "$node_dir/installed-package.json"
fi

if [ -z "${PIPEDRIVE_SPECS_DIR:-}" ]; then
  echo "error: the official Pipedrive OpenAPI specs were not found (../shared/pipedrive-api); set PIPEDRIVE_SPECS_DIR" >&2
  exit 1
fi

# the layering of the crates and no import cycles among the modules of any crate
python3 scripts/check_structure.py

cargo build --workspace --all-targets --locked
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# odbc-api in wide mode: a package of its own (odbc-api is built either narrow or wide)
cargo test --manifest-path crates/odbc/wide/Cargo.toml --locked 2>&1 | tee -a "$log"
wide=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && status=$wide
# the macOS code paths type-check for Apple silicon and Intel Macs (the second target reuses
# the build scripts and macros the first built: about 8 minutes more on a fresh machine)
bash scripts/check-macos.sh 2>&1 | grep -E '^(error|warning)|Finished|checked' | tee -a "$log"
macos=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && status=$macos
set -e
# one closing line with the totals of every test binary
awk '/^test result:/ { for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
