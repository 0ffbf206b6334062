"""The legacy-import migration as data: per-file results, groups, the check, the baseline.

`lanekeeper.rename.rewrite` rewrites one file with libcst; this module (free of libcst, so the Pants
engine can import it) decides everything around it: which files are worth parsing, how files
group into reviewable units, what `--check` fails on and how progress is counted against the
baseline. `lanekeeper.rename.report` renders it: the JSON, HTML and Markdown reports.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from lanekeeper.kernel import ratchet
from lanekeeper.kernel.globs import PathGlob
from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.kernel.ratchet import UNLANED, Comparison, files_most_first
from lanekeeper.rename.narrow_rewrite import NarrowRewrite, narrow_rewrite

CHANGED = "changed"
UNCHANGED = "unchanged"
ERROR = "error"

KIND_IMPORT = "import"
KIND_IMPORT_FROM = "import-from"
KIND_USE_SITE = "use-site"
KIND_PARENT_USE = "parent-use"
KIND_STRING = "string"
KIND_DYNAMIC_USE = "dynamic-use"
IMPORT_KINDS = (KIND_IMPORT, KIND_IMPORT_FROM)
# The unit both import-health and matriz-migrate count: every legacy module an import statement
# names, and every use that reaches a legacy module through an import of its parent package
# (that file has no import of the legacy module to count). Use sites of a name that a legacy
# import binds are not counted again: rewriting the import is what they need.
LEGACY_REFERENCE_KINDS = (KIND_IMPORT, KIND_IMPORT_FROM, KIND_PARENT_USE)
USE_KINDS = (KIND_USE_SITE, KIND_PARENT_USE)

GROUP_BY_CHOICES = ("directory", "lane", "all", "pull-request")
# The guide's size of a reviewable pull request: "<200 lines changed per PR when possible".
DEFAULT_MAX_LINES = 200
# The `pull-request` group of directories with nothing to rewrite (dynamic references, errors).
NOTHING_TO_REWRITE = "nothing-to-rewrite"


@dataclass(frozen=True)
class Change:
    """One rewritten (or, in `dynamic`, found) reference; `line` is 1-based.

    `before` and `after` are dotted names (`matriz.graph` -> `MATRIZ.graph`): the imported
    module, the whole attribute chain of a use site, or a string's value (without quotes).
    For a `dynamic-use` (never rewritten), `before` is the code as written
    (`getattr(candidate, "memory_index")`) and `after` the canonical module it must reach now.
    """

    line: int
    kind: str
    before: str
    after: str


@dataclass(frozen=True)
class RewriteResult:
    """The outcome for one file. `new_source` is set only when `status` is `changed`.

    `changes` lists what was rewritten; `dynamic` every string reference found, rewritten or
    not (they are rewritten, and then also in `changes`, only with `rewrite_strings`), and every
    `dynamic-use`: code that reaches, or may reach, a legacy module in a way no rewrite can
    follow safely (`getattr(candidate, "memory_index")`, the parent package passed as a value).
    `error` is None, `line N: <parser message>`, or why the file could not be decoded.
    """

    path: str
    status: str
    new_source: Optional[bytes] = None
    changes: tuple[Change, ...] = ()
    dynamic: tuple[Change, ...] = ()
    error: Optional[str] = None

    @property
    def legacy_imports(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind in IMPORT_KINDS)

    @property
    def legacy_references(self) -> tuple[Change, ...]:
        """What import-health and `--check` count (`LEGACY_REFERENCE_KINDS`)."""
        return tuple(c for c in self.changes if c.kind in LEGACY_REFERENCE_KINDS)

    @property
    def dynamic_left(self) -> tuple[Change, ...]:
        """Dynamic references found and not rewritten (they still reach the legacy module)."""
        rewritten = {(c.line, c.before) for c in self.changes if c.kind == KIND_STRING}
        return tuple(d for d in self.dynamic if (d.line, d.before) not in rewritten)


def validate_renames(renames: Mapping[str, str], option: str) -> None:
    """ValueError naming the bad entry of `renames` and the fix; None when it is usable."""
    if not renames:
        raise ValueError(f"`{option}` is empty; set at least one legacy -> canonical module name.")
    for legacy, canonical in renames.items():
        for name in (legacy, canonical):
            if not isinstance(name, str) or not all(
                part.isidentifier() for part in name.split(".")
            ):
                raise ValueError(
                    f"`{option}`: {name!r} is not a dotted module name "
                    "(write names like `matriz` or `candidate.memory_index`)."
                )
        if legacy == canonical:
            raise ValueError(f"`{option}`: {legacy!r} is renamed to itself; drop the entry.")
        if canonical.startswith(legacy + "."):
            raise ValueError(
                f"`{option}`: {legacy!r} -> {canonical!r} renames a module under its own "
                "name, so a second run would rewrite it again; pick a name outside it."
            )


def may_mention(source: bytes, renames: Mapping[str, str]) -> bool:
    """A cheap byte test: False only if the rewrite can have nothing to change or report.

    A legacy name matters only in an import statement or at the start of a string literal; a
    use site needs an import too: of the legacy module, or of a package above it
    (`import candidate`, then `candidate.memory_index.f()`), whose statement names the legacy
    name's first part. A name in a comment or docstring prose does not. Most files of a
    monorepo never pass this test, so only the rest are parsed.
    """
    for legacy in renames:
        parts = legacy.split(".")
        if all(part.encode() in source for part in parts) and _patterns(parts[0])[0].search(source):
            return True
    return False


def names_legacy_in_import(source: bytes, renames: Mapping[str, str]) -> bool:
    """Whether an import statement in `source` may name a legacy module or a package above one.

    For a file that cannot be parsed: one that passes is part of the migration (it may hold a
    legacy import nobody can rewrite); one that fails never imports a legacy module.
    """
    for legacy in renames:
        first = legacy.split(".")[0]
        from_first = rb"\bfrom\s+" + re.escape(first.encode()) + rb"\b"
        if re.search(from_first, source) or _patterns(first)[1].search(source):
            return True
    return False


def may_bind_legacy_path(source: bytes, renames: Mapping[str, str]) -> bool:
    """False only if no import in `source` binds a name whose uses can reach a legacy module.

    Those are plain `import <legacy>...` (it binds the first part), any `import` of a package
    above a legacy module (`import candidate`, `import candidate.store`, `import candidate as
    c`) and `from a import b` of a package `a.b` above one. Only such files need scope analysis.
    """
    for legacy in renames:
        parts = legacy.split(".")
        if _patterns(parts[0])[1].search(source):
            return True
        for depth in range(2, len(parts)):  # `from a import b` binds the package a.b
            parent = re.escape(".".join(parts[: depth - 1]).encode())
            if re.search(rb"\bfrom\s+" + parent + rb"\s+import\b", source) and re.search(
                rb"\b" + re.escape(parts[depth - 1].encode()) + rb"\b", source
            ):
                return True
    return False


# `import os, <name>`, also across a backslash continuation.
_IMPORT = rb"\bimport\b[^;#\n]*(?:\\\r?\n[^;#\n]*)*\b"


@functools.lru_cache(maxsize=None)
def _patterns(name: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """(the name in code: a `from`, a string start or an import; the name in an import)."""
    word = re.escape(name.encode()) + rb"\b"
    in_code = rb"\bfrom\s+" + word + rb"|[\"']" + word + rb"|" + _IMPORT + word
    return re.compile(in_code), re.compile(_IMPORT + word)


def dynamic_note(
    path: str, change: Change, strings_option: str = "--matriz-migrate-rewrite-strings"
) -> str:
    """`path:line: ...`: a dynamic reference left as it is, and what to do about it."""
    if change.kind == KIND_STRING:
        return (
            f"{path}:{change.line}: string reference {change.before!r} left "
            f"(see `{strings_option}`)"
        )
    return (
        f"{path}:{change.line}: dynamic use `{change.before}` left: rewrite it to reach "
        f"`{change.after}`"
    )


def group_of(path: str, group_by: str, config: Optional[LaneConfig]) -> str:
    """The review group of `path`: its directory, its lane, or one group for the whole run."""
    if group_by == "directory":
        return posixpath.dirname(path) or "."
    if group_by == "lane":
        lane = config.lane_of(path) if config is not None else None
        return lane or UNLANED
    return "all"


def group_file_stem(group: str) -> str:
    """A file name for a group: `demo/core/legacy` -> `demo__core__legacy`, `.+2` -> `root+2`,
    `(none)` (the files in no lane) -> `none`."""
    if group == "." or group.startswith(".+"):
        group = "root" + group[1:]
    if group == UNLANED:
        return "none"
    return group.replace("/", "__")


def pull_request_groups(lines: Mapping[str, int], max_lines: int) -> dict[str, list[str]]:
    """Directories (with their changed lines) packed into groups of at most `max_lines` lines.

    Whole directories, in path order (a directory's subdirectories follow it), each group filled
    until the next directory would take it past `max_lines`; a directory over the limit on its
    own is a group of its own. A group is named after its first directory, `+N` when N more
    follow. Applying one group leaves every other group's directories and name as they were.
    Directories with no changed line go to `NOTHING_TO_REWRITE`.
    """
    groups: dict[str, list[str]] = {}
    current: list[str] = []
    total = 0

    def close() -> None:
        if current:
            name = current[0] + (f"+{len(current) - 1}" if len(current) > 1 else "")
            groups[name] = list(current)

    ordered = sorted(lines, key=lambda d: () if d == "." else tuple(d.split("/")))
    for directory in (d for d in ordered if lines[d] > 0):
        if current and total + lines[directory] > max_lines:
            close()
            current, total = [], 0
        current.append(directory)
        total += lines[directory]
    close()
    idle = [d for d in ordered if lines[d] <= 0]
    if idle:
        groups[NOTHING_TO_REWRITE] = idle
    return groups


@dataclass(frozen=True)
class Migration:
    """One run over a set of files. `results` holds every file that mentions a legacy name.

    `originals` maps each changed file to its bytes before the rewrite, for diffs and for the
    guard that nothing changed on disk between reading and writing. `outputs` holds what is
    written to each changed file (the rewrite, formatted as narrowly as it can be); without an
    entry, a file gets its rewrite as it is. `blocking` names the files that could not be
    parsed whose bytes may name a legacy module in an import: `--apply` refuses while one is
    left; other unparseable files are not part of the migration.
    """

    scanned: int
    results: tuple[RewriteResult, ...]
    originals: Mapping[str, bytes] = field(default_factory=dict)
    outputs: Mapping[str, NarrowRewrite] = field(default_factory=dict)
    blocking: frozenset[str] = frozenset()

    @property
    def changed(self) -> tuple[RewriteResult, ...]:
        return tuple(r for r in self.results if r.status == CHANGED)

    @property
    def errors(self) -> tuple[RewriteResult, ...]:
        return tuple(r for r in self.results if r.status == ERROR)

    @property
    def blocking_errors(self) -> tuple[RewriteResult, ...]:
        return tuple(r for r in self.errors if r.path in self.blocking)

    def output_of(self, result: RewriteResult) -> Optional[NarrowRewrite]:
        """What is written to the file of `result`, None when nothing is."""
        if result.status != CHANGED or result.new_source is None:
            return None
        if result.path in self.outputs:
            return self.outputs[result.path]
        original = self.originals.get(result.path, b"")
        return narrow_rewrite(result.path, original, result.new_source)

    def lines(self, results: Iterable[RewriteResult]) -> tuple[int, int]:
        """(lines the rename changes, lines formatting changes) over `results`."""
        outputs = [o for o in map(self.output_of, results) if o is not None]
        return sum(o.rename_lines for o in outputs), sum(o.format_lines for o in outputs)

    def count(self, kind: str) -> int:
        return sum(1 for r in self.results for c in r.changes if c.kind == kind)

    @property
    def imports_updated(self) -> int:
        return self.count(KIND_IMPORT) + self.count(KIND_IMPORT_FROM)

    @property
    def use_sites_updated(self) -> int:
        return self.count(KIND_USE_SITE) + self.count(KIND_PARENT_USE)

    @property
    def dynamic_left(self) -> int:
        return sum(len(r.dynamic_left) for r in self.results)

    def dynamic_left_of(self, kind: str) -> int:
        return sum(1 for r in self.results for d in r.dynamic_left if d.kind == kind)

    def groups(
        self, group_by: str, config: Optional[LaneConfig], max_lines: int = DEFAULT_MAX_LINES
    ) -> dict[str, list[RewriteResult]]:
        """The results per review group, in the order the groups are listed."""
        if group_by == "pull-request":
            directories = self.groups("directory", config)
            lines = {d: sum(self.lines(results)) for d, results in directories.items()}
            return {
                name: [r for d in members for r in directories[d]]
                for name, members in pull_request_groups(lines, max_lines).items()
            }
        grouped: dict[str, list[RewriteResult]] = {}
        for result in sorted(self.results, key=lambda r: r.path):
            grouped.setdefault(group_of(result.path, group_by, config), []).append(result)
        return dict(sorted(grouped.items()))


def check_findings(
    migration: Migration, config: LaneConfig, allowed_paths: Sequence[PathGlob]
) -> list[str]:
    """`path:line: ...` for every legacy import left in a production lane, and every file
    there that could not be checked and may import a legacy module; `allowed_paths` are
    exempt."""
    findings: list[str] = []
    for result in sorted(migration.results, key=lambda r: r.path):
        lane = config.lane_of(result.path)
        if lane is None or not config.is_production(lane):
            continue
        if any(glob.matches(result.path) for glob in allowed_paths):
            continue
        for change in result.legacy_references:
            what = "legacy import" if change.kind in IMPORT_KINDS else "legacy use"
            through = "" if change.kind in IMPORT_KINDS else " (through its parent package)"
            findings.append(
                f"{result.path}:{change.line}: {what} `{change.before}`{through} in production "
                f"lane {lane}; use `{change.after}`"
            )
        if result.status == ERROR and result.path in migration.blocking:
            findings.append(f"{result.path}: could not be checked: {result.error}")
    return findings


KIND = "matriz-migrate"
LEGACY_IMPORTS = "legacy-imports"


def legacy_counts(migration: Migration, config: Optional[LaneConfig]) -> dict[str, int]:
    """Legacy references (`LEGACY_REFERENCE_KINDS`) per lane (`UNLANED` for files in none)."""
    counts: Counter[str] = Counter()
    for result in migration.results:
        lane = (config.lane_of(result.path) if config else None) or UNLANED
        counts[lane] += len(result.legacy_references)
    return {lane: n for lane, n in sorted(counts.items()) if n}


def baseline_json(counts: Mapping[str, int]) -> str:
    """The baseline file: per lane with any, its count of legacy references."""
    return ratchet.baseline_json(KIND, {lane: {LEGACY_IMPORTS: n} for lane, n in counts.items()})


def _upgrade(document: dict[str, Any]) -> object:
    """A version 1 file: `{"legacy_imports": {<lane>: <count>}}`, files in no lane `no-lane`."""
    recorded = document.get("legacy_imports")
    if not isinstance(recorded, dict):
        return None
    return {
        UNLANED if lane == "no-lane" else lane: {LEGACY_IMPORTS: n} for lane, n in recorded.items()
    }


def compare_to_baseline(
    migration: Migration, config: Optional[LaneConfig], text: str, source: str
) -> Comparison:
    """This run's legacy references per lane against a baseline file; ValueError if broken."""
    rows = ratchet.read_baseline(
        text, source, kind=KIND, categories=(LEGACY_IMPORTS,), upgrade=_upgrade
    )
    counts = legacy_counts(migration, config)

    def files_behind(lane: str, category: str) -> str:
        per_file = {
            r.path: len(r.legacy_references)
            for r in migration.results
            if r.legacy_references
            and ((config.lane_of(r.path) if config else None) or UNLANED) == lane
        }
        return f"files with legacy imports in {lane}: {files_most_first(per_file)}"

    return ratchet.compare(
        rows,
        {lane: {LEGACY_IMPORTS: n} for lane, n in counts.items()},
        kind=KIND,
        lanes=sorted(set(rows) | set(counts)),
        categories=(LEGACY_IMPORTS,),
        ratcheted=(LEGACY_IMPORTS,),
        files_behind=files_behind,
        label=lambda _: "legacy imports",
        production=False,
    )
