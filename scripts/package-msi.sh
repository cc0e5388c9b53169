#!/usr/bin/env bash
# Builds the Windows installer (an MSI, with wixl from Debian's msitools): both driver DLLs, the
# 64-bit command line, the licenses (the project's and those of every crate linked in), the
# driver registered for 64-bit and 32-bit applications, and a user DSN and a system DSN named
# Pipedrive (packaging/windows/pipedrive-odbc.wxs).
#
#   scripts/package-msi.sh                  builds both targets with the shipping profile first
#   scripts/package-msi.sh --profile NAME   with another profile of Cargo.toml (the Wine test: wine)
#   scripts/package-msi.sh --no-build       packages what scripts/build-windows.sh already built
#   scripts/package-msi.sh --out DIR        where the .msi goes (default: the Windows target dir)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

profile=dist
build=yes
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift ;;
    --no-build) build=no ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
ensure_packages wixl
windows_dir="${PIPEDRIVE_WINDOWS_TARGET_DIR:-$HOME/.cache/pipedrive-odbc-windows}"
if [ "$build" = yes ]; then
  scripts/build-windows.sh --profile "$profile"
fi
# cargo's folder for a profile: dev builds go to debug
folder=$([ "$profile" = dev ] && echo debug || echo "$profile")
dll64="$windows_dir/x86_64-pc-windows-gnu/$folder/pipedrive_odbc.dll"
dll32="$windows_dir/i686-pc-windows-gnu/$folder/pipedrive_odbc.dll"
cli64="$windows_dir/x86_64-pc-windows-gnu/$folder/pipedrive-odbc.exe"
for f in "$dll64" "$dll32" "$cli64"; do
  [ -f "$f" ] || { echo "error: $f is not built (scripts/build-windows.sh --profile $profile)" >&2; exit 1; }
done

version=$(sed -n 's/^version = "\(.*\)"/\1/p' crates/odbc/Cargo.toml | head -1)
out="${out:-$windows_dir}"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/third_party_licenses.py "$work/THIRD-PARTY-LICENSES.txt" \
  --target x86_64-pc-windows-gnu >/dev/null
wixl --arch x64 -o "$out/pipedrive-odbc-$version.msi" \
  -D Version="$version" -D Dll64="$dll64" -D Dll32="$dll32" -D Cli64="$cli64" \
  -D Licenses="$work/THIRD-PARTY-LICENSES.txt" -D LicenseMit=LICENSE-MIT \
  -D LicenseApache=LICENSE-APACHE \
  packaging/windows/pipedrive-odbc.wxs 2> >(grep -v "^$" >&2)
echo "$out/pipedrive-odbc-$version.msi"
