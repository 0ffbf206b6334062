"""LK001: an import from one lane into a lane it may not import, with a fix-it line.

Only edges between two lanes are checked: an import of or from unlaned code is not a lane
decision, and a lane may always import itself.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from lanekeeper.imports import ImportEdge
from lanekeeper.lanes import LaneConfig

CODE = "LK001"

# Python numbers lines by these separators only; str.splitlines also splits on form feeds and
# Unicode separators, which would shift every later line number.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What Python accepts as indentation.
_INDENT = " \t\f"


@dataclass(frozen=True, order=True)
class LaneViolation:
    """One import statement (or explicit BUILD dependency, `line == 0`) that crosses lanes.

    `line` and `col` are 1-based; both are 0 for an explicit dependency, which has no statement.
    """

    path: str  # the importing file
    line: int
    col: int
    module: str
    importer_lane: str
    imported_lane: str
    imported_path: str

    @property
    def explicit(self) -> bool:
        return self.line == 0

    def render(self, config: LaneConfig) -> str:
        """Two lines: the finding, then `  fix: ...` naming what may import what."""
        x, y = self.importer_lane, self.imported_lane
        finding = f"{self.module} (lane {y}) may not be imported from lane {x}"
        allowed = f"lane {x!r} may import {', '.join(config.allowed_for(x))}"
        move = f"move {self.path} to a lane that may import {y!r} ({_importers_of(config, y)})"
        if self.explicit:
            return (
                f"{self.path}: {CODE} {finding} (explicit dependency in a BUILD file)\n"
                f"  fix: {allowed}; remove the dependency from the BUILD file, or {move}"
            )
        return (
            f"{self.path}:{self.line}:{self.col} {CODE} {finding}\n"
            f"  fix: {allowed}; promote {self.module} into one of those lanes, or {move}"
        )

    def to_json_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _importers_of(config: LaneConfig, imported: str) -> str:
    """The lanes that may import `imported` (itself among them), in config order."""
    return ", ".join(lane for lane in config.lanes if config.may_import(lane, imported))


def _source_lines(source: str) -> Sequence[str]:
    return _LINE_BREAK.split(source)


def _column(lines: Sequence[str], line: int) -> int:
    if line < 1 or line > len(lines):
        return 1
    text = lines[line - 1]
    if line == 1:
        # A byte-order mark is not something an editor shows as a column.
        text = text.lstrip("\ufeff")
    stripped = text.lstrip(_INDENT)
    # A tab is one character, as in ruff's and the editors' 1-based columns.
    return len(text) - len(stripped) + 1 if stripped else 1


def import_column(source: str, line: int) -> int:
    """1-based column of the first non-blank character of `line`; 1 if there is no such line."""
    return _column(_source_lines(source), line)


def imported_module(name: str, imported_path: str) -> str:
    """The module part of an imported `name`: `a.b.C` from `from a.b import C` is module `a.b`.

    Pants reports `from a.b import C` as `a.b.C`; the module is the longest leading part of the
    name that the imported file's path ends with (`src/a/b.py`, or `src/a/b/__init__.py`).
    """
    stem = imported_path.rsplit(".", 1)[0] if imported_path.endswith((".py", ".pyi")) else ""
    path_parts = stem.split("/")
    if path_parts[-1] == "__init__":
        path_parts = path_parts[:-1]
    parts = name.split(".")
    for length in range(len(parts), 0, -1):
        if path_parts[-length:] == parts[:length]:
            return ".".join(parts[:length])
    return name


def find_violations(
    config: LaneConfig, importer: str, source: str, edges: Iterable[ImportEdge]
) -> tuple[LaneViolation, ...]:
    """The LK001 findings of the file `importer` (whose text is `source`), by line and column.

    Edges of other importers are ignored. Module strings of one statement that resolve to the
    same file (`from a.b import c, d`) are one finding, named by the imported module.
    """
    importer_lane = config.lane_of(importer)
    if importer_lane is None:
        return ()
    # (line, imported path) -> (smallest module, imported lane)
    kept: dict[tuple[int, str], tuple[str, str]] = {}
    for edge in edges:
        if edge.importer != importer:
            continue
        imported_lane = config.lane_of(edge.imported)
        if imported_lane is None or imported_lane == importer_lane:
            continue
        if config.may_import(importer_lane, imported_lane):
            continue
        key = (edge.line, edge.imported)
        module = edge.module if edge.explicit else imported_module(edge.module, edge.imported)
        previous = kept.get(key)
        if previous is None or module < previous[0]:
            kept[key] = (module, imported_lane)
    lines = _source_lines(source) if kept else ()
    violations = [
        LaneViolation(
            path=importer,
            line=line,
            col=0 if line == 0 else _column(lines, line),
            module=module,
            importer_lane=importer_lane,
            imported_lane=imported_lane,
            imported_path=imported_path,
        )
        for (line, imported_path), (module, imported_lane) in kept.items()
    ]
    return tuple(sorted(violations, key=lambda v: (v.line, v.col, v.module, v.imported_path)))


def violations_json(violations: Iterable[LaneViolation]) -> list[dict[str, Any]]:
    """Every field of every violation, in the given order, for machine output."""
    return [violation.to_json_dict() for violation in violations]
