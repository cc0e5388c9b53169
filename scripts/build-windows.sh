#!/usr/bin/env bash
# Builds the driver DLL and pipedrive-odbc.exe for Windows, 64-bit (x86_64) and 32-bit (i686),
# on Linux: Debian's rustc-web compiles the Windows standard library from its sources
# (-Zbuild-std) and MinGW-w64 links. Windows builds have a target directory of their own.
#
#   scripts/build-windows.sh                  both targets, debug
#   scripts/build-windows.sh --release        both targets, the shipping profile
#   scripts/build-windows.sh --profile NAME   another profile of Cargo.toml
#   scripts/build-windows.sh --target x86_64  one target (x86_64 or i686)
#   scripts/build-windows.sh --check          type-check only
#
# The DLLs are $PIPEDRIVE_WINDOWS_TARGET_DIR/<triple>/<debug|dist>/pipedrive_odbc.dll,
# next to pipedrive-odbc.exe (default ~/.cache/pipedrive-odbc-windows); the probe program is in
# <triple>/debug.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

targets=(x86_64 i686)
profile=dev
command=build
while [ $# -gt 0 ]; do
  case "$1" in
    --release) profile=dist ;;
    --profile) profile="$2"; shift ;;
    --target) targets=("$2"); shift ;;
    --check) command=check ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

# nasm: aws-lc-sys assembles its 32-bit Windows code with it
ensure_packages rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 nasm
# Debian's compiler, never the rustup one: its standard library sources are the ones built
export PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${PIPEDRIVE_WINDOWS_TARGET_DIR:-$HOME/.cache/pipedrive-odbc-windows}"
mkdir -p "$CARGO_TARGET_DIR"

for arch in "${targets[@]}"; do
  triple="$arch-pc-windows-gnu"
  upper=$(echo "$triple" | tr 'a-z-' 'A-Z_')
  export "CC_${triple//-/_}=$arch-w64-mingw32-gcc" "AR_${triple//-/_}=$arch-w64-mingw32-ar"
  export "CARGO_TARGET_${upper}_LINKER=$arch-w64-mingw32-gcc"
  if [ "$arch" = i686 ]; then
    # the 32-bit target links rsbegin.o and rsend.o, which -Zbuild-std does not make
    rt="$CARGO_TARGET_DIR/rtstartup-$arch"
    if [ ! -f "$rt/rsend.o" ]; then
      mkdir -p "$rt"
      for o in rsbegin rsend; do
        /usr/bin/rustc --target "$triple" --emit=obj -C panic=abort -O \
          -o "$rt/$o.o" "/usr/lib/rustlib/src/rust/library/rtstartup/$o.rs"
      done
    fi
    export "CARGO_TARGET_${upper}_RUSTFLAGS=-L native=$rt"
  fi
  /usr/bin/cargo "$command" --locked -Zbuild-std=std,panic_abort --target "$triple" \
    --profile "$profile" -p pipedrive-odbc-driver -p pipedrive-odbc
  # the program the Wine test loads the DLL with (crates/odbc/tests/wine.rs), always unoptimised
  /usr/bin/cargo "$command" --locked -Zbuild-std=std,panic_abort --target "$triple" \
    --manifest-path crates/odbc/probe/Cargo.toml
done
