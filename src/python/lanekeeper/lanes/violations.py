"""A file's lane findings: one per import statement, at its first line and column.

- LK001: the statement imports a module of a lane that the file's lane may not import (an
  explicit BUILD dependency is LK001 too, at line 0);
- LK002: it names a module of such a lane that no file provides (often inside `try:`): the
  longest existing prefix of the name says which lane it names;
- LK003: files on different path entries, in different lanes, provide the module, and the file's
  lane may not import at least one of them: which one Python imports depends on `sys.path`;
- LK004: the file is not UTF-8, so Pants' dependency inference cannot read it.

Only imports between two lanes are lane decisions: an import of or from unlaned code is not,
and a lane may always import itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.lanes.imports import FileImports
from lanekeeper.lanes.module_index import AMBIGUOUS, RESOLVED, Resolution

LANE_VIOLATION = "LK001"
UNRESOLVED_IMPORT = "LK002"
AMBIGUOUS_IMPORT = "LK003"
NOT_UTF8 = "LK004"
# The codes about what a statement imports; LK004 is about the file itself.
IMPORT_CODES = (LANE_VIOLATION, UNRESOLVED_IMPORT, AMBIGUOUS_IMPORT)


@dataclass(frozen=True, order=True)
class ImportedModule:
    """A module a finding is about, the lane of the file (or directory) `path` it comes from
    ("" for none), and for LK002 the longest prefix of `module` that exists."""

    module: str
    lane: str
    path: str
    prefix: str = ""


@dataclass(frozen=True, order=True)
class LaneViolation:
    """One finding: an import statement (LK001-LK003), an explicit BUILD dependency (LK001,
    `line == 0`), or a file Pants cannot read (LK004, with its `problem` and `fix`).

    `line` and `col` are 1-based (a column counts characters; for LK004 it counts bytes, as
    the file has no text); both are 0 for an explicit dependency, which has no statement.
    """

    path: str
    line: int
    col: int
    code: str
    importer_lane: str
    imports: tuple[ImportedModule, ...] = ()
    problem: str = ""
    fix: str = ""

    @property
    def explicit(self) -> bool:
        return self.line == 0

    @property
    def module(self) -> str:
        """The modules the finding is about, comma-separated."""
        return ", ".join(dict.fromkeys(imported.module for imported in self.imports))

    @property
    def imported_lane(self) -> str:
        """The lanes the finding is about, comma-separated."""
        return ", ".join(dict.fromkeys(imported.lane or "no lane" for imported in self.imports))

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        """Its stable identity, for baselines and exceptions: (importing file, module) pairs."""
        return tuple(dict.fromkeys((self.path, imported.module) for imported in self.imports))

    def render(self, config: LaneConfig) -> str:
        """Two lines: the finding, then `  fix: ...`."""
        where = f"{self.path}:" if self.explicit else f"{self.path}:{self.line}:{self.col}"
        finding, fix = _RENDER[self.code](self, config)
        return f"{where} {self.code} {finding}\n  fix: {fix}"

    def to_json_dict(self) -> dict[str, Any]:
        document = dataclasses.asdict(self)
        document["imports"] = [dataclasses.asdict(imported) for imported in self.imports]
        return document


def _lanes_phrase(imports: Sequence[ImportedModule]) -> str:
    """`a, b (lane x)`, or `a (lane x), b (lane y)` when the lanes differ."""
    lanes = list(dict.fromkeys(imported.lane for imported in imports))
    modules = list(dict.fromkeys(imported.module for imported in imports))
    if len(lanes) == 1:
        return f"{', '.join(modules)} (lane {lanes[0]})"
    return ", ".join(
        dict.fromkeys(f"{imported.module} (lane {imported.lane})" for imported in imports)
    )


def _allowed(config: LaneConfig, lane: str) -> str:
    return f"lane {lane!r} may import {', '.join(config.allowed_for(lane))}"


def _move(config: LaneConfig, violation: LaneViolation) -> str:
    imported = list(dict.fromkeys(imported.lane for imported in violation.imports))
    importers = [lane for lane in config.lanes if all(config.may_import(lane, y) for y in imported)]
    quoted = " and ".join(repr(lane) for lane in imported)
    return f"move {violation.path} to a lane that may import {quoted} ({', '.join(importers)})"


def _render_violation(violation: LaneViolation, config: LaneConfig) -> tuple[str, str]:
    x = violation.importer_lane
    finding = f"{_lanes_phrase(violation.imports)} may not be imported from lane {x}"
    if violation.explicit:
        return (
            f"{finding} (explicit dependency in a BUILD file)",
            f"{_allowed(config, x)}; remove the dependency from the BUILD file, or "
            f"{_move(config, violation)}",
        )
    return (
        finding,
        f"{_allowed(config, x)}; promote {violation.module} into one of those lanes, or "
        f"{_move(config, violation)}",
    )


def _render_unresolved(violation: LaneViolation, config: LaneConfig) -> tuple[str, str]:
    x = violation.importer_lane
    prefixes = ", ".join(dict.fromkeys(imported.prefix for imported in violation.imports))
    return (
        f"{_lanes_phrase(violation.imports)} may not be imported from lane {x}, and does not "
        f"exist (its longest existing prefix is {prefixes})",
        "the import only ever fails (or falls back, inside `try`): remove it, or import from "
        f"a lane {x!r} may import ({', '.join(config.allowed_for(x))})",
    )


def _render_ambiguous(violation: LaneViolation, config: LaneConfig) -> tuple[str, str]:
    x = violation.importer_lane
    candidates = ", ".join(
        f"{imported.path} ({f'lane {imported.lane}' if imported.lane else 'no lane'})"
        for imported in violation.imports
    )
    forbidden = [
        lane
        for lane in dict.fromkeys(imported.lane for imported in violation.imports)
        if lane and lane != x and not config.may_import(x, lane)
    ]
    return (
        f"{violation.module} is provided by files in different lanes: {candidates}; lane {x} "
        f"may not import {', '.join(forbidden)}",
        "Python imports whichever comes first on sys.path: rename or remove all but one of "
        "them, or name the one meant in the target's `dependencies`",
    )


def _render_not_utf8(violation: LaneViolation, config: LaneConfig) -> tuple[str, str]:
    return violation.problem, violation.fix


_RENDER = {
    LANE_VIOLATION: _render_violation,
    UNRESOLVED_IMPORT: _render_unresolved,
    AMBIGUOUS_IMPORT: _render_ambiguous,
    NOT_UTF8: _render_not_utf8,
}


def _lane_of(config: LaneConfig, path: str, directory: bool) -> Optional[str]:
    # A directory is laned as the package it holds.
    return config.lane_of(f"{path}/__init__.py" if directory else path)


def _statement_imports(
    config: LaneConfig, importer_lane: str, resolution: Resolution
) -> tuple[str, list[ImportedModule]]:
    """The code and the modules of one resolved name that the importer's lane may not import."""

    def forbidden(lane: Optional[str]) -> bool:
        return (
            lane is not None
            and lane != importer_lane
            and not config.may_import(importer_lane, lane)
        )

    laned = [(path, _lane_of(config, path, resolution.namespace)) for path in resolution.paths]
    lanes = set(lane for _, lane in laned)
    if resolution.status == AMBIGUOUS and len(lanes) > 1:
        if not any(forbidden(lane) for lane in lanes):
            return AMBIGUOUS_IMPORT, []
        return AMBIGUOUS_IMPORT, [
            ImportedModule(resolution.module, lane or "", path) for path, lane in laned
        ]
    code = LANE_VIOLATION if resolution.status in (RESOLVED, AMBIGUOUS) else UNRESOLVED_IMPORT
    found: dict[str, ImportedModule] = {}
    for path, lane in laned:
        if forbidden(lane) and lane not in found:
            assert lane is not None
            found[lane] = ImportedModule(resolution.module, lane, path, resolution.prefix)
    return code, list(found.values())


def unreadable_finding(config: LaneConfig, imports: FileImports) -> Optional[LaneViolation]:
    """LK004 for a file that Pants' dependency inference cannot read, else None."""
    problem = imports.not_utf8
    if problem is None:
        return None
    return LaneViolation(
        imports.path,
        problem.line,
        problem.column,
        NOT_UTF8,
        config.lane_of(imports.path) or "",
        problem=problem.problem,
        fix=problem.fix,
    )


def find_violations(config: LaneConfig, imports: FileImports) -> tuple[LaneViolation, ...]:
    """The import findings (LK001-LK003) of one file, in file order: at most one per statement
    and code."""
    path = imports.path
    importer_lane = config.lane_of(path)
    if importer_lane is None:
        return ()
    violations: list[LaneViolation] = []
    for statement in imports.statements:
        by_code: dict[str, list[ImportedModule]] = {}
        for resolution in statement.resolutions:
            code, found = _statement_imports(config, importer_lane, resolution)
            if found:
                by_code.setdefault(code, []).extend(found)
        for code, found in by_code.items():
            violations.append(
                LaneViolation(
                    path,
                    statement.line,
                    statement.col,
                    code,
                    importer_lane,
                    tuple(dict.fromkeys(found)),
                )
            )
    for edge in imports.explicit:
        lane = config.lane_of(edge.imported)
        if lane is None or lane == importer_lane or config.may_import(importer_lane, lane):
            continue
        violations.append(
            LaneViolation(
                path,
                0,
                0,
                LANE_VIOLATION,
                importer_lane,
                (ImportedModule(edge.module, lane, edge.imported),),
            )
        )
    return tuple(sorted(violations, key=lambda v: (v.line, v.col, v.code, v.imports)))


def violations_json(violations: Iterable[LaneViolation]) -> list[dict[str, Any]]:
    """Every field of every violation, in the given order, for machine output."""
    return [violation.to_json_dict() for violation in violations]
