#!/usr/bin/env bash
# Builds the Pipedrive ODBC driver and the pipedrive-odbc command line, copies them under a
# prefix, and registers the driver (odbcinst.ini) and a sample DSN "Pipedrive" (odbc.ini).
#
#   ./install.sh                      for the current user: ~/.local, ~/.odbcinst.ini, ~/.odbc.ini
#   sudo ./install.sh --system        for everyone: /usr/local, /etc/odbcinst.ini, /etc/odbc.ini
#   ./install.sh --prefix DIR --dsn-name NAME --set APIToken=... --set CompanyDomain=acme
#
# unixODBC and iODBC read the same files; ODBCSYSINI, ODBCINI and ODBCINSTINI are honoured.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

system=""
prefix=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --system) system="--system" ;;
    --prefix) prefix="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) pass+=("$1") ;;
  esac
  shift
done
[ -n "$prefix" ] || { [ -n "$system" ] && prefix=/usr/local || prefix="$HOME/.local"; }

ensure_packages unixodbc odbcinst binutils
# the shipping profile (Cargo.toml: whole-program optimisation) has a directory of
# its own under the target directory; a first build takes about 20 minutes on two cores
cargo build --profile dist --locked -p pipedrive-odbc-driver -p pipedrive-odbc
built="$CARGO_TARGET_DIR/dist"
lib="$prefix/lib/libpipedrive_odbc.so"
install -D -m 0755 "$built/libpipedrive_odbc.so" "$lib"
# the library ships without its symbol table, which goes to a file of its own next to it
# (debuggers find it through the debug link and name the functions of a backtrace); the
# exported ODBC functions stay
if command -v objcopy >/dev/null; then
  objcopy --only-keep-debug "$lib" "$lib.debug"
  objcopy --strip-debug --strip-unneeded --add-gnu-debuglink="$lib.debug" "$lib"
else
  echo "note: objcopy (binutils) is missing: the library keeps its symbol table" >&2
fi
install -D -m 0755 "$built/pipedrive-odbc" "$prefix/bin/pipedrive-odbc"
"$prefix/bin/pipedrive-odbc" install --library "$prefix/lib/libpipedrive_odbc.so" $system "${pass[@]}"
cat <<TXT

Installed: $lib ($(du -h "$lib" | cut -f1)) and $prefix/bin/pipedrive-odbc.
Next: put your API token and company domain into the DSN (or pass --set APIToken=... and
--set CompanyDomain=... here), then check it with
  $prefix/bin/pipedrive-odbc test-connection --dsn Pipedrive
TXT
