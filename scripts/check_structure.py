#!/usr/bin/env python3
"""Checks the structure DESIGN.md gives the code: each crate depends only on the crates of ours
below it (the driver on the engine alone), and no modules of a crate import each other in a
circle.

Every `.rs` file under a crate's `src/` is a module (`a.rs` and `a/mod.rs` are `a`); an import is
a `use` of, or a path through, `crate::...`, `super::...`, `self::...` or a child module
that names another module (its longest known prefix). Test modules (`#[cfg(test)] mod ... { }`) and `mod`
declarations are not imports. Prints each breach found and exits 1, or prints a summary.

usage: check_structure.py [CRATE_DIR...]   (default: every crates/*/ and bench/)
"""
import re
import sys
import tomllib
from pathlib import Path

# The crates of ours each package may depend on (normal dependencies; tests may use more).
LAYERS = {
    "pipedrive-api": set(),
    "pipedrive-sandbox": set(),
    "pipedrive-config": {"pipedrive-api"},
    "pipedrive-cache": set(),
    "pipedrive-engine": {"pipedrive-api", "pipedrive-cache", "pipedrive-config"},
    "pipedrive-odbc-driver": {"pipedrive-engine"},
    "pipedrive-odbc": {
        "pipedrive-api", "pipedrive-cache", "pipedrive-config", "pipedrive-engine", "pipedrive-sandbox",
    },
    "pipedrive-bench": {"pipedrive-api", "pipedrive-engine", "pipedrive-sandbox"},
}


def layering_breaches(crate: Path) -> list:
    manifest = tomllib.loads((crate / "Cargo.toml").read_text())
    package = manifest["package"]["name"]
    ours = {d for d in manifest.get("dependencies", {}) if d.startswith("pipedrive")}
    allowed = LAYERS.get(package)
    if allowed is None:
        return [f"{package}: not placed in a layer (add it to LAYERS in {Path(__file__).name})"]
    return [f"{package} depends on {d}, which is not below it" for d in sorted(ours - allowed)]

PATH = re.compile(r"(?<![\w:])(\$?crate|super|self)((?:::\w+)+)")
USE = re.compile(r"\buse\s+([^;]+);", re.S)
CHILD = re.compile(r"(?<![\w:$])(\w+)((?:::\w+)+)")


def module_of(src: Path, file: Path) -> tuple:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] == "mod" or (len(parts) == 1 and parts[0] in ("lib", "main")):
        parts = parts[:-1]
    return tuple(parts)


def strip_tests(text: str) -> str:
    """Drops `#[cfg(test)] mod name { ... }` blocks and comments."""
    text = re.sub(r"//[^\n]*", "", text)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def expand_use(tree: str) -> list:
    """`a::{b, c::{d}}` -> ['a::b', 'a::c::d']."""
    tree = re.sub(r"\s+", "", tree)
    if "{" not in tree:
        return [tree]
    head, _, rest = tree.partition("{")
    body = rest[: rest.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        cur += ch
    parts.append(cur)
    return [p for part in parts if part for p in expand_use(head + part)]


def resolve(current: tuple, path: str, modules: set):
    segs = path.split("::")
    base, rest = segs[0], segs[1:]
    if base in ("crate", "$crate"):
        start = ()
    elif base == "super":
        start = current[:-1]
        while rest and rest[0] == "super":
            start, rest = start[:-1], rest[1:]
    elif base == "self":
        start = current
    else:
        return None
    best = start if start in modules else None
    for k in range(1, len(rest) + 1):
        candidate = start + tuple(rest[:k])
        if candidate in modules:
            best = candidate
    return best


def graph(src: Path) -> dict:
    files = sorted(src.rglob("*.rs"))
    modules = {module_of(src, f) for f in files}
    edges = {m: set() for m in modules}
    for f in files:
        here = module_of(src, f)
        text = strip_tests(f.read_text())
        children = {m[-1] for m in modules if len(m) == len(here) + 1 and m[: len(here)] == here}
        paths = [m.group(1) + m.group(2) for m in PATH.finditer(text)]
        # a path may also start at a child module: `child::item`
        paths += ["self::" + m.group(0) for m in CHILD.finditer(text) if m.group(1) in children]
        for use in USE.finditer(text):
            for p in expand_use(use.group(1)):
                if p.split("::")[0] in children:
                    p = "self::" + p
                if re.match(r"(\$?crate|super|self)::", p):
                    paths.append(p)
        for p in paths:
            target = resolve(here, p.rstrip(":*"), modules)
            if target is not None and target != here:
                edges[here].add(target)
    return edges


def cycles(edges: dict) -> list:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def name(m: tuple) -> str:
    return "::".join(m) or "crate"


def main(args: list) -> int:
    root = Path(__file__).resolve().parent.parent
    crates = [Path(a) for a in args] or sorted(p for p in (root / "crates").iterdir() if (p / "src").is_dir()) + [root / "bench"]
    failed, counted = False, 0
    for crate in crates:
        for breach in layering_breaches(crate):
            failed = True
            print(f"layering: {breach}")
        edges = graph(crate / "src")
        counted += len(edges)
        for comp in cycles(edges):
            failed = True
            members = set(comp)
            links = sorted(f"{name(a)} -> {name(b)}" for a in comp for b in edges[a] if b in members)
            print(f"import cycle in {crate.name}: " + "; ".join(links))
    if not failed:
        print(f"{len(crates)} crates depend only on the layers below them; no import cycles among their {counted} modules")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
