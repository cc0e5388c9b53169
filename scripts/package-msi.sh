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
ensure_packages wixl binutils-mingw-w64-x86-64 binutils-mingw-w64-i686
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
# an installer ships stripped binaries (the symbols of an unoptimised build are most of its size);
# wixl takes its files by names relative to where it runs, so everything is gathered in $work
x86_64-w64-mingw32-strip -o "$work/pipedrive_odbc64.dll" "$dll64"
i686-w64-mingw32-strip -o "$work/pipedrive_odbc32.dll" "$dll32"
x86_64-w64-mingw32-strip -o "$work/pipedrive-odbc.exe" "$cli64"
cp LICENSE-MIT LICENSE-APACHE "$work/"
python3 scripts/third_party_licenses.py "$work/THIRD-PARTY-LICENSES.txt" \
  --target x86_64-pc-windows-gnu >/dev/null
wxs="$PWD/packaging/windows/pipedrive-odbc.wxs"
msi="$(cd "$out" && pwd)/pipedrive-odbc-$version.msi"
(cd "$work" && wixl --arch x64 -o "$msi" -D Version="$version" \
  -D Dll64=pipedrive_odbc64.dll -D Dll32=pipedrive_odbc32.dll -D Cli64=pipedrive-odbc.exe \
  -D Licenses=THIRD-PARTY-LICENSES.txt -D LicenseMit=LICENSE-MIT \
  -D LicenseApache=LICENSE-APACHE "$wxs")
# wixl answers 0 even when it could not write the package (a full disk)
[ -s "$msi" ] || { echo "error: wixl wrote no $msi" >&2; exit 1; }
echo "$msi"
