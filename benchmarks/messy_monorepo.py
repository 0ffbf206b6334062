#!/usr/bin/env python3
"""Add the traits of real lane-structured monorepos to a repo that gen_monorepo.py generated.

    python3 benchmarks/messy_monorepo.py --out DIR [--groups 10] [--seed 0]

gen_monorepo.py writes a tidy tree: one statement per line, every import resolving to one
file. Real monorepos are messier, and each trait below once hid lane violations from the
`lanes` linter or stopped it. This mode adds, per group and per lane, a package
`src/<lane>/messy<g>/` (and `src/mono/<lane>/`) with:

* a module shadowed by a package of the same name (`common.py` beside `common/__init__.py`:
  Python imports the package; Pants calls the owner ambiguous);
* statements over several lines (parenthesised, backslash-continued) and `import a as b, c`;
* the same module imported twice in one file (at the top and inside a function);
* imports of lane modules that do not exist, inside `try:` and outside;
* a directory with one file and no `__init__.py` (a namespace package);
* relative imports that cross lanes (`src/mono/<lane>/` are sibling packages of `mono`);
* a file that is not UTF-8 (undeclared), one in latin-1 declared by a PEP 263 coding line,
  and one that does not parse (Python 2), each with imports.

Importer files import the other lanes' packages; a statement is a lane violation exactly when
its lane may not import the other one (the generator's `ALLOWED_IMPORTS`). The planted
statements are written to `DIR/messy.json`: file, line, column (1-based, of the statement's
first keyword), code (LK001 or LK002), importer and imported lane, and whether Python's `ast`
can read the file. `lanes.json` gains the `src/mono/<lane>/**` globs.

Standard library only; deterministic for a given --groups/--seed.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any, Callable

from gen_monorepo import ALL_LANES, ALLOWED_IMPORTS

SOURCE_ROOT = "src"
MONO = "mono"


def _allowed(importer: str, imported: str) -> bool:
    return importer == imported or imported in ALLOWED_IMPORTS[importer]


# The targets each group offers in each lane, relative to `src/<lane>/messy<g>/`.
TARGET_FILES = {
    "__init__.py": "",
    "common.py": "SHADOWED = True\n",
    "common/__init__.py": "from .util import helper\n",
    "common/util.py": "def helper():\n    return 1\n",
    "models.py": "class A:\n    pass\n\n\nclass B:\n    pass\n\n\nclass C:\n    pass\n",
    "interfaces/__init__.py": "",
    "solo/only.py": "ONLY = 1\n",
}


class Importer:
    """One importer file being written: its lines, and the statements planted in it."""

    def __init__(self, path: str, lane: str, readable: bool = True) -> None:
        self.path = path
        self.lane = lane
        self.readable = readable
        self.lines: list[str] = []
        self.planted: list[dict[str, Any]] = []

    def add(
        self,
        trait: str,
        text: str,
        imported: str,
        code: str = "LK001",
        col: int = 1,
        at: int = 0,
    ) -> None:
        """Append `text`; its statement starts on its line `at` (0-based) at column `col`."""
        line = len(self.lines) + 1 + at
        self.lines.extend(text.splitlines())
        if not _allowed(self.lane, imported):
            self.planted.append(
                {
                    "trait": trait,
                    "file": self.path,
                    "line": line,
                    "col": col,
                    "code": code,
                    "importer_lane": self.lane,
                    "imported_lane": imported,
                    "ast_readable": self.readable,
                }
            )

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# Statement templates: (name, text from the package `pkg` of another lane, code, col, at).
Template = Callable[[str], str]
TEMPLATES: list[tuple[str, Template, str, int, int]] = [
    ("shadowed", lambda pkg: f"from {pkg}.common import helper", "LK001", 1, 0),
    ("parenthesised", lambda pkg: f"from {pkg}.models import (\n    A,\n    B,\n)", "LK001", 1, 0),
    ("backslash", lambda pkg: f"from {pkg}.models import A, \\\n    C", "LK001", 1, 0),
    ("alias-then-name", lambda pkg: f"import {pkg}.models as m, {pkg}.common", "LK001", 1, 0),
    ("two-modules", lambda pkg: f"from {pkg} import models, common", "LK001", 1, 0),
    ("one-file-dir", lambda pkg: f"from {pkg}.solo import only", "LK001", 1, 0),
    (
        "missing-in-try",
        lambda pkg: (
            f"try:\n    from {pkg}.interfaces.dependency_injection import get_service\n"
            "except ImportError:\n    get_service = None"
        ),
        "LK002",
        5,
        1,
    ),
    ("missing", lambda pkg: f"import {pkg}.gone_module", "LK002", 1, 0),
    (
        "type-checking",
        lambda pkg: f"if TYPE_CHECKING:\n    from {pkg}.models import C",
        "LK001",
        5,
        1,
    ),
]


def _importer(
    rng: random.Random, path: str, lane: str, group: int, readable: bool = True
) -> Importer:
    """A file importing several other lanes' messy packages, in several forms."""
    importer = Importer(path, lane, readable)
    importer.lines += [
        '"""Generated by messy_monorepo.py."""',
        "from typing import TYPE_CHECKING",
        "",
    ]
    for other in rng.sample(ALL_LANES, 4):
        pkg = f"{other}.messy{group}"
        for trait, template, code, col, at in rng.sample(TEMPLATES, 3):
            importer.add(trait, template(pkg), other, code, col, at)
    # The same module twice in one file: at the top, and inside a function.
    other = rng.choice(ALL_LANES)
    importer.add("imported-twice", f"import {other}.messy{group}.models", other)
    importer.lines += ["", "", "def late():"]
    importer.add("imported-twice", f"    import {other}.messy{group}.models", other, col=5)
    importer.lines.append(f"    return {other}.messy{group}.models.A")
    return importer


def _write(root: Path, path: str, data: str | bytes) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    target.write_bytes(data)
    build = target.parent / "BUILD"
    if not build.exists():
        build.write_text("python_sources()\n")


def add_messy_traits(root: Path, groups: int, seed: int) -> dict[str, Any]:
    """Write the messy packages into the generated repo at `root`; return the manifest."""
    rng = random.Random(seed)
    planted: list[dict[str, Any]] = []
    files: set[str] = set()

    def emit(path: str, data: str | bytes) -> None:
        _write(root, path, data)
        files.add(path)

    for group in range(groups):
        for lane in ALL_LANES:
            base = f"{SOURCE_ROOT}/{lane}/messy{group}"
            for name, text in TARGET_FILES.items():
                emit(f"{base}/{name}", text)
            importer = _importer(rng, f"{base}/uses.py", lane, group)
            emit(importer.path, importer.text)
            planted += importer.planted
            # Not UTF-8 and declared: valid Python, so its statements count.
            declared = _importer(rng, f"{base}/legacy_latin1.py", lane, group)
            declared.lines.insert(0, "# -*- coding: latin-1 -*-")
            declared.planted = [{**p, "line": p["line"] + 1} for p in declared.planted]
            declared.lines.append("GREETING = 'caf\xe9'")
            emit(declared.path, declared.text.encode("latin-1"))
            planted += declared.planted
            # Not UTF-8, undeclared: nobody can read it.
            emit(
                f"{base}/raw_bytes.py",
                f"import {lane}.messy{group}.models\nS = 'caf\xe9'\n".encode("latin-1"),
            )
            # Python 2: `ast` cannot parse it; its imports are still statements.
            broken = _importer(rng, f"{base}/py2_script.py", lane, group, readable=False)
            broken.lines.append('print "done"')
            emit(broken.path, broken.text)
            planted += broken.planted
            # Relative imports across lanes, between the sibling packages of `mono`.
            mono = f"{SOURCE_ROOT}/{MONO}/{lane}"
            emit(f"{mono}/__init__.py", "")
            relative = Importer(f"{mono}/mod{group}.py", lane)
            relative.lines += [
                '"""Generated by messy_monorepo.py."""',
                f"VALUE{group} = {group}",
                "",
            ]
            for other in rng.sample(ALL_LANES, 3):
                if other == lane:
                    continue
                relative.add("relative", f"from ..{other} import mod{group}", other)
                relative.add(
                    "relative", f"from ..{other}.mod{group} import VALUE{group} as v", other
                )
            emit(relative.path, relative.text)
            planted += relative.planted
    emit(f"{SOURCE_ROOT}/{MONO}/__init__.py", "")

    lanes_path = root / "lanes.json"
    lanes = json.loads(lanes_path.read_text(encoding="utf-8"))
    for lane in ALL_LANES:
        glob = f"{SOURCE_ROOT}/{MONO}/{lane}/**"
        if glob not in lanes["paths"][lane]:
            lanes["paths"][lane].append(glob)
    lanes_path.write_text(json.dumps(lanes, indent=2) + "\n", encoding="utf-8")

    manifest = {
        "generator": {"name": "messy_monorepo.py", "groups": groups, "seed": seed},
        "files": len(files),
        "statements": sorted(planted, key=lambda p: (p["file"], p["line"])),
    }
    (root / "messy.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, required=True, help="A repo gen_monorepo.py wrote.")
    parser.add_argument("--groups", type=int, default=10, help="Messy packages per lane.")
    parser.add_argument("--seed", type=int, default=0, help="Generator seed.")
    args = parser.parse_args()
    manifest = add_messy_traits(args.out, args.groups, args.seed)
    print(f"{manifest['files']} files, {len(manifest['statements'])} lane-crossing statements")


if __name__ == "__main__":
    main()
