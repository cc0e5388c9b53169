#!/usr/bin/env bash
# Removes what install.sh added: the driver's registration and the sample DSN, and the files
# under the prefix.   ./uninstall.sh [--system] [--prefix DIR] [--dsn-name NAME]
set -euo pipefail
system=""
prefix=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --system) system="--system" ;;
    --prefix) prefix="$2"; shift ;;
    *) pass+=("$1") ;;
  esac
  shift
done
[ -n "$prefix" ] || { [ -n "$system" ] && prefix=/usr/local || prefix="$HOME/.local"; }
if [ -x "$prefix/bin/pipedrive-odbc" ]; then
  "$prefix/bin/pipedrive-odbc" uninstall $system "${pass[@]}"
else
  echo "no $prefix/bin/pipedrive-odbc: nothing registered by it to remove" >&2
fi
rm -f "$prefix/lib/libpipedrive_odbc.so" "$prefix/lib/libpipedrive_odbc.so.debug" "$prefix/bin/pipedrive-odbc"
echo "removed $prefix/lib/libpipedrive_odbc.so and $prefix/bin/pipedrive-odbc"
