#!/usr/bin/env bash
# Type-checks the driver and the CLI for macOS (aarch64 and x86_64) on Linux: Debian's rustc-web
# checks the standard library from its sources (-Zbuild-std), which needs no Apple linker, and
# the C code some crates' build scripts compile (ring, zstd, SQLite) goes through `zig cc`
# (the PyPI package ziglang), which carries the macOS libc headers. Nothing is linked or run.
#
#   scripts/check-macos.sh                    both targets
#   scripts/check-macos.sh --target aarch64   one (aarch64 or x86_64)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

targets=(aarch64 x86_64)
while [ $# -gt 0 ]; do
  case "$1" in
    --target) targets=("$2"); shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
ensure_packages rustc-web cargo-web rust-web-src
tools="${PIPEDRIVE_MACOS_TARGET_DIR:-$HOME/.cache/pipedrive-odbc-macos}"
mkdir -p "$tools"
if [ ! -x "$tools/venv/bin/python" ]; then
  python3 -m venv "$tools/venv"
fi
"$tools/venv/bin/python" -c "import ziglang" 2>/dev/null ||
  "$tools/venv/bin/python" -m pip install --quiet ziglang
export PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$tools"

for arch in "${targets[@]}"; do
  triple="$arch-apple-darwin"
  # zig takes its own -target; the Apple flags cc-rs adds for clang (--target, -arch, an SDK
  # root, a deployment target) are dropped
  cc="$tools/cc-$arch"
  cat > "$cc" <<SH
#!/usr/bin/env bash
args=()
skip=no
for a in "\$@"; do
  if [ \$skip = yes ]; then skip=no; continue; fi
  case "\$a" in
    --target=*|-mmacosx-version-min=*|-mmacos-version-min=*) ;;
    -arch|-isysroot|-target) skip=yes ;;
    *) args+=("\$a") ;;
  esac
done
exec "$tools/venv/bin/python" -m ziglang cc -target $arch-macos "\${args[@]}"
SH
  chmod +x "$cc"
  ar="$tools/ar-$arch"
  printf '#!/usr/bin/env bash\nexec "%s/venv/bin/python" -m ziglang ar "$@"\n' "$tools" > "$ar"
  chmod +x "$ar"
  export "CC_${triple//-/_}=$cc" "AR_${triple//-/_}=$ar" SDKROOT="$tools"
  # the unoptimised profile without debug information: build scripts and macros build fastest
  /usr/bin/cargo check --locked -Zbuild-std=std,panic_abort --target "$triple" --profile wine \
    -p pipedrive-odbc-driver -p pipedrive-odbc
done
