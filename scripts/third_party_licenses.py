#!/usr/bin/env python3
"""Writes the licenses of everything the driver and the CLI bundle: each crate linked into them
(from `cargo metadata`, for one target), its license expression, and the license texts its
package ships, each distinct text written once. Packages carry the result next to the
project's own license.

    scripts/third_party_licenses.py OUT_FILE [--target TRIPLE]
"""
import hashlib
import json
import pathlib
import subprocess
import sys

ROOTS = ("pipedrive-odbc-driver", "pipedrive-odbc")
# C code compiled into the binaries by a crate's build script, with its own terms
BUNDLED_C = {
    "libsqlite3-sys": "SQLite (its C source, compiled in): public domain, https://sqlite.org/copyright.html",
    "zstd-sys": "zstd (its C source, compiled in): BSD-3-Clause, https://github.com/facebook/zstd",
    "ring": "ring's C and assembly code from BoringSSL: ISC and OpenSSL terms, in ring's LICENSE",
}


def main():
    out = pathlib.Path(sys.argv[1])
    target = sys.argv[sys.argv.index("--target") + 1] if "--target" in sys.argv else None
    cmd = ["cargo", "metadata", "--format-version", "1", "--locked"]
    if target:
        cmd += ["--filter-platform", target]
    meta = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    members = set(meta["workspace_members"])

    # what the roots link: normal dependencies only (build scripts and tests ship nothing)
    seen, todo = set(), [i for i in members if packages[i]["name"] in ROOTS]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for dep in nodes[pid]["deps"]:
            if any(k["kind"] is None for k in dep["dep_kinds"]):
                todo.append(dep["pkg"])

    texts = {}
    lines = [
        "Third-party software in the Pipedrive ODBC driver and the pipedrive-odbc program",
        "",
        "The project's own code is under MIT OR Apache-2.0 (LICENSE-MIT, LICENSE-APACHE).",
        "It links the crates below; each is listed with its license expression and the",
        "license texts it ships (a text shared by several crates is written once).",
        "",
    ]
    crates = sorted((packages[i] for i in seen if i not in members), key=lambda p: (p["name"], p["version"]))
    for p in crates:
        folder = pathlib.Path(p["manifest_path"]).parent
        files = sorted(f for f in folder.iterdir() if f.is_file() and f.name.upper().startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE")))
        refs = []
        for f in files:
            text = f.read_text(errors="replace")
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            texts.setdefault(digest, (f"{p['name']} {p['version']}: {f.name}", text))
            refs.append(f"{f.name} [text {digest}]")
        lines.append(f"{p['name']} {p['version']}: {p.get('license') or p.get('license_file') or 'see its files'}")
        if p.get("repository"):
            lines.append(f"    {p['repository']}")
        if refs:
            lines.append("    " + ", ".join(refs))
        if p["name"] in BUNDLED_C:
            lines.append("    " + BUNDLED_C[p["name"]])
    lines += ["", "=" * 78, "License texts", "=" * 78]
    for digest, (first, text) in texts.items():
        lines += ["", f"--- text {digest} (first found in {first}) ---", "", text.rstrip()]
    out.write_text("\n".join(lines) + "\n")
    print(f"{out}: {len(crates)} crates, {len(texts)} distinct license texts")


if __name__ == "__main__":
    main()
