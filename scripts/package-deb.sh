#!/usr/bin/env bash
# Builds the Debian package of the driver and the CLI: the library under the system's ODBC
# driver folder, the program in /usr/bin, the licenses (the project's and those of every crate
# linked in) in /usr/share/doc; installing it registers the driver with unixODBC, removing it
# unregisters it (packaging/deb/postinst and prerm).
#
#   scripts/package-deb.sh                    builds with the shipping profile (about 20 min cold)
#   scripts/package-deb.sh --from DIR         packages what is already built in DIR
#   scripts/package-deb.sh --out DIR          where the .deb goes (default: target/package)
#   scripts/package-deb.sh --fast             light compression (gzip -1), as the tests use it
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

from=""
out=""
compression=(-Zxz)
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from="$2"; shift ;;
    --out) out="$2"; shift ;;
    --fast) compression=(-Zgzip -z1) ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
ensure_packages dpkg-dev binutils
if [ -z "$from" ]; then
  cargo build --profile dist --locked -p pipedrive-odbc-driver -p pipedrive-odbc
  from="$CARGO_TARGET_DIR/dist"
fi
out="${out:-$CARGO_TARGET_DIR/package}"
for f in libpipedrive_odbc.so pipedrive-odbc; do
  [ -f "$from/$f" ] || { echo "error: $from/$f is not built" >&2; exit 1; }
done

version=$(sed -n 's/^version = "\(.*\)"/\1/p' crates/cli/Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
name=pipedrive-odbc
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

lib_dir="$root/usr/lib/$multiarch/odbc"
doc_dir="$root/usr/share/doc/$name"
install -D -m 0644 "$from/libpipedrive_odbc.so" "$lib_dir/libpipedrive_odbc.so"
install -D -m 0755 "$from/pipedrive-odbc" "$root/usr/bin/pipedrive-odbc"
# a package ships stripped binaries (Debian policy); backtraces keep the exported names
strip --strip-unneeded "$lib_dir/libpipedrive_odbc.so" "$root/usr/bin/pipedrive-odbc"
install -D -m 0644 README.md "$doc_dir/README.md"
install -m 0644 LICENSE-MIT LICENSE-APACHE "$doc_dir/"
python3 scripts/third_party_licenses.py "$doc_dir/THIRD-PARTY-LICENSES" >/dev/null
gzip -9n "$doc_dir/THIRD-PARTY-LICENSES"
cat > "$doc_dir/copyright" <<TXT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: $name

Files: *
Copyright: 2026 The Pipedrive ODBC driver contributors
License: MIT or Apache-2.0
 The texts are in /usr/share/doc/$name/LICENSE-MIT and LICENSE-APACHE (also
 /usr/share/common-licenses/Apache-2.0). The crates and C code compiled into the
 binaries, and their licenses, are listed in THIRD-PARTY-LICENSES.gz here.
TXT
# the driver's section for odbcinst, which the maintainer scripts register and unregister
install -D -m 0644 /dev/stdin "$root/usr/share/$name/odbcinst.ini" <<TXT
[Pipedrive ODBC Driver]
Description = Pipedrive ODBC driver
Driver = /usr/lib/$multiarch/odbc/libpipedrive_odbc.so
TXT

mkdir -p "$root/DEBIAN"
install -m 0755 packaging/deb/postinst packaging/deb/prerm "$root/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<TXT
Package: $name
Version: $version
Architecture: $arch
Maintainer: The Pipedrive ODBC driver contributors <noreply@localhost>
Installed-Size: $size
Depends: libc6 (>= 2.36), odbcinst
Recommends: unixodbc
Section: database
Priority: optional
Description: ODBC driver for the Pipedrive CRM
 Presents a Pipedrive company account as SQL tables to any ODBC application
 (isql, LibreOffice, R, Python, PHP, Perl, Node): read with full SQL, write with
 INSERT, UPDATE and DELETE, sign in with an API token or OAuth. Includes the
 pipedrive-odbc command line (DSNs, connection tests, SQL, a local sandbox).
TXT
mkdir -p "$out"
deb="$out/${name}_${version}_${arch}.deb"
dpkg-deb --root-owner-group "${compression[@]}" --build "$root" "$deb" >/dev/null
echo "$deb"
