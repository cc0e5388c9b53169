# Sourced by the other scripts: one build directory outside the clone, reused between runs,
# and installation of the system packages a script needs.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pipedrive-odbc-target}"
mkdir -p "$CARGO_TARGET_DIR"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# ensure_packages DEB... : installs the Debian packages that are missing (apt-get update once).
ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_python_packages MODULE... : pip-installs the Python modules that are missing.
ensure_python_packages() {
  command -v python3 >/dev/null || ensure_packages python3 python3-pip
  local missing=()
  for module in "$@"; do
    python3 -c "import $module" 2>/dev/null || missing+=("$module")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing Python packages: ${missing[*]}"
  python3 -m pip install --quiet "${missing[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages "${missing[@]}"
}

# The official Pipedrive OpenAPI specs the tests check the sandbox and the catalog against.
if [ -z "${PIPEDRIVE_SPECS_DIR:-}" ]; then
  for candidate in "$PWD/../shared/pipedrive-api" "$PWD/shared/pipedrive-api" "$PWD/../../shared/pipedrive-api"; do
    if [ -d "$candidate" ]; then
      export PIPEDRIVE_SPECS_DIR="$candidate"
      break
    fi
  done
fi
if [ -z "${PIPEDRIVE_SPECS_DIR:-}" ]; then
  echo "note: Pipedrive's OpenAPI specs were not found (../shared/pipedrive-api next to the clone);" \
    "set PIPEDRIVE_SPECS_DIR to their folder: the spec conformance tests read them" >&2
fi

# start_sandbox VAR ARGS... : starts the sandbox of the debug build (pipedrive-sandbox serve
# --port 0 ARGS...) in the background, waits for it and sets VAR to its base URL; the sandboxes
# started so are stopped when the script exits.
SANDBOX_PIDS=()
start_sandbox() {
  local var=$1; shift
  local log url=""
  log=$(mktemp)
  "$CARGO_TARGET_DIR/debug/pipedrive-sandbox" serve --port 0 "$@" >"$log" 2>&1 &
  SANDBOX_PIDS+=($!)
  trap 'kill "${SANDBOX_PIDS[@]}" 2>/dev/null || true' EXIT
  for _ in $(seq 150); do
    url=$(grep -o '^http://127.0.0.1:[0-9]*$' "$log" || true)
    [ -n "$url" ] && break
    sleep 0.2
  done
  [ -n "$url" ] || { cat "$log" >&2; return 1; }
  printf -v "$var" '%s' "$url"
}
