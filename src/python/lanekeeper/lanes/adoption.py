"""Switching the lane checks on in a repo that already breaks them: exceptions and a baseline.

- An *exception* (`[lanes].exceptions`) allows imports of modules matching a glob from files
  matching a path glob, with a reason, an issue and an expiry date. After that date it allows
  nothing, and the findings it covered come back, saying so.
- The *baseline* (`[lanes].baseline`, written by `pants lanes --update-baseline`) records the
  findings a repo already has, each by its stable identity: the importing file and the imported
  module, never a line number, so editing a file above an import does not change it. Only
  findings it does not record fail a run, and a run says which entries no longer occur, so the
  baseline can shrink.

A finding that imports several modules is suppressed module by module: what is left of it is
reported. LK004 (a file Pants cannot read) has no module and is never suppressed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Collection, Iterable, Mapping, Optional, Sequence

from lanekeeper.kernel.globs import PathGlob
from lanekeeper.kernel.lane_config import LaneConfig, LaneConfigError
from lanekeeper.kernel.ratchet import load_versioned
from lanekeeper.kernel.report_text import counted
from lanekeeper.lanes.violations import LaneViolation

BASELINE_KIND = "lanes"
BASELINE_VERSION = 1
UPDATE_HINT = "recreate it with `pants lanes --update-baseline ::`"
_FIELDS = ("importer", "module", "reason", "issue", "expires")

Key = tuple[str, str]  # (importing file, imported module)


def _error(name: str, problem: str) -> LaneConfigError:
    return LaneConfigError(f"`[lanes].exceptions`: {name!r} {problem}")


def _module_glob(name: str, pattern: str) -> PathGlob:
    """A dotted module glob, matched as a path glob over its parts (`a.*` is `a/*`)."""
    problem = "/" in pattern or pattern.startswith(".") or pattern.endswith(".") or ".." in pattern
    if not problem:
        try:
            return PathGlob.parse(pattern.replace(".", "/"))
        except ValueError:
            pass
    raise _error(
        name,
        f"has module {pattern!r}, which is not a module glob; write dotted names, where `*` "
        "matches within one part and `**` any number of parts, like 'core.legacy.**'.",
    )


@dataclass(frozen=True)
class LaneException:
    """One entry of `[lanes].exceptions`: imports of `module` allowed from `importer` files."""

    name: str
    importer: PathGlob
    module: PathGlob
    module_pattern: str
    reason: str
    issue: str
    expires: date

    def matches(self, key: Key) -> bool:
        path, module = key
        return self.importer.matches(path) and self.module.matches(module.replace(".", "/"))

    def expired(self, today: date) -> bool:
        """Expired the day after `expires`: the date is the last day it allows anything."""
        return today > self.expires

    @property
    def label(self) -> str:
        return f"exception {self.name!r} ({self.issue})"


def parse_exceptions(raw: Mapping[str, Any]) -> tuple[LaneException, ...]:
    """`[lanes].exceptions` (name -> fields); LaneConfigError naming the entry and the fix."""
    exceptions = []
    for name, fields in sorted(raw.items()):
        if not isinstance(fields, Mapping):
            raise _error(name, "must be a table of importer, module, reason, issue and expires.")
        unknown = sorted(set(fields) - set(_FIELDS))
        if unknown:
            raise _error(
                name, f"has unknown field {unknown[0]!r}; the fields are {', '.join(_FIELDS)}."
            )
        for field in _FIELDS:
            value = fields.get(field)
            if not (isinstance(value, date) or (isinstance(value, str) and value.strip())):
                raise _error(
                    name,
                    f"has no `{field}`; every exception names the importer, module, reason, "
                    "issue and expires (YYYY-MM-DD, the last day it applies).",
                )
        expires = fields["expires"]
        if not isinstance(expires, date):
            try:
                expires = date.fromisoformat(expires)
            except ValueError:
                raise _error(
                    name, f"expires on {expires!r}, which is not a date; write YYYY-MM-DD."
                )
        try:
            importer = PathGlob.parse(fields["importer"])
        except ValueError as error:
            raise _error(name, f"has importer {error}") from error
        exceptions.append(
            LaneException(
                name=name,
                importer=importer,
                module=_module_glob(name, fields["module"]),
                module_pattern=fields["module"],
                reason=fields["reason"].strip(),
                issue=fields["issue"].strip(),
                expires=expires,
            )
        )
    return tuple(exceptions)


@dataclass(frozen=True)
class LaneBaseline:
    """The recorded findings: (importing file, imported module) pairs, sorted."""

    entries: tuple[Key, ...] = ()

    @classmethod
    def of(cls, keys: Iterable[Key]) -> LaneBaseline:
        return cls(tuple(sorted(set(keys))))

    @classmethod
    def parse(cls, text: str, source: str) -> LaneBaseline:
        """A baseline file's entries; ValueError naming the file, the problem and the fix."""
        document = load_versioned(
            text,
            source,
            version=BASELINE_VERSION,
            what="a lanes baseline",
            hint=UPDATE_HINT,
            kind=BASELINE_KIND,
        )
        recorded = document.get("violations")
        if not (
            isinstance(recorded, dict)
            and all(
                isinstance(modules, list) and all(isinstance(m, str) for m in modules)
                for modules in recorded.values()
            )
        ):
            raise ValueError(
                f"{source} is not a lanes baseline: `violations` must map each file to a list of "
                f"module names; {UPDATE_HINT}."
            )
        return cls.of((path, module) for path, modules in recorded.items() for module in modules)

    def to_json(self) -> str:
        by_file: dict[str, list[str]] = {}
        for path, module in self.entries:
            by_file.setdefault(path, []).append(module)
        document = {"kind": BASELINE_KIND, "version": BASELINE_VERSION, "violations": by_file}
        return json.dumps(document, indent=2, sort_keys=True) + "\n"

    def files(self) -> tuple[str, ...]:
        return tuple(sorted({path for path, _ in self.entries}))


@dataclass(frozen=True)
class Adoption:
    """Findings after exceptions and the baseline.

    `failing` are what fail the run; `expired` pairs those an expired exception no longer
    allows with it; `stale` the baseline entries of the checked files that no longer occur;
    `used` the names of the exceptions that allowed something; `suppressed` what they and the
    baseline allowed, each part with the exception that allowed it (None: the baseline), so
    machine output can show it as suppressed rather than drop it.
    """

    failing: tuple[LaneViolation, ...]
    expired: tuple[tuple[LaneViolation, LaneException], ...]
    excepted: int
    baselined: int
    stale: tuple[Key, ...]
    used: tuple[str, ...]
    suppressed: tuple[tuple[LaneViolation, Optional[LaneException]], ...] = ()


def _reduced(violation: LaneViolation, keep: Collection[str]) -> LaneViolation:
    """The finding with only the modules in `keep`."""
    imports = tuple(imported for imported in violation.imports if imported.module in keep)
    return LaneViolation(
        violation.path,
        violation.line,
        violation.col,
        violation.code,
        violation.importer_lane,
        imports,
        violation.problem,
        violation.fix,
    )


def adopt(
    violations: Iterable[LaneViolation],
    checked_files: Iterable[str],
    baseline: LaneBaseline,
    exceptions: Sequence[LaneException],
    today: date,
) -> Adoption:
    """Which of the findings of `checked_files` fail the run, and what to tell about the rest."""
    recorded = set(baseline.entries)
    failing: list[LaneViolation] = []
    expired: list[tuple[LaneViolation, LaneException]] = []
    excepted = baselined = 0
    seen: set[Key] = set()
    used: set[str] = set()
    suppressed: list[tuple[LaneViolation, Optional[LaneException]]] = []
    for violation in violations:
        if not violation.keys:
            failing.append(violation)
            continue
        keep: list[str] = []
        lapsed: Optional[LaneException] = None
        allowed_by_exception = allowed_by_baseline = False
        allowed: dict[Optional[LaneException], list[str]] = {}
        for key in violation.keys:
            seen.add(key)
            matching = [exception for exception in exceptions if exception.matches(key)]
            live = [exception for exception in matching if not exception.expired(today)]
            if live:
                used.update(exception.name for exception in live)
                allowed_by_exception = True
                allowed.setdefault(live[0], []).append(key[1])
            elif key in recorded:
                allowed_by_baseline = True
                allowed.setdefault(None, []).append(key[1])
            else:
                keep.append(key[1])
                lapsed = lapsed or (matching[0] if matching else None)
        suppressed.extend((_reduced(violation, modules), by) for by, modules in allowed.items())
        if keep:
            reported = _reduced(violation, keep)
            failing.append(reported)
            if lapsed is not None:
                expired.append((reported, lapsed))
        elif allowed_by_baseline:
            baselined += 1
        elif allowed_by_exception:
            excepted += 1
    checked = set(checked_files)
    stale = tuple(key for key in baseline.entries if key[0] in checked and key not in seen)
    return Adoption(
        tuple(failing),
        tuple(expired),
        excepted,
        baselined,
        stale,
        tuple(sorted(used)),
        tuple(suppressed),
    )


def updated_baseline(
    baseline: LaneBaseline,
    violations: Iterable[LaneViolation],
    checked_files: Iterable[str],
    exceptions: Sequence[LaneException],
    today: date,
    existing_files: Collection[str],
) -> LaneBaseline:
    """The baseline after `--update-baseline` over `checked_files`.

    The checked files' entries become their findings that no live exception allows; entries of
    files not checked stay while the file exists, so a run over part of the repo keeps the rest.
    """
    checked = set(checked_files)
    keys = {
        key
        for violation in violations
        for key in violation.keys
        if not any(e.matches(key) and not e.expired(today) for e in exceptions)
    }
    kept = {key for key in baseline.entries if key[0] not in checked and key[0] in existing_files}
    return LaneBaseline.of(keys | kept)


def _entries(keys: Sequence[Key]) -> str:
    shown = ", ".join(f"{path} -> {module}" for path, module in keys[:10])
    return shown + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")


def render_lint(
    config: LaneConfig,
    adoption: Adoption,
    baseline_path: Optional[str],
) -> str:
    """The `lanes` linter's report of one batch: the failing findings, then what was allowed.

    `baseline_path` is None when there is no baseline file.
    """
    lines: list[str] = []
    lapsed = dict(adoption.expired)
    for violation in sorted(adoption.failing):
        lines.append(violation.render(config))
        exception = lapsed.get(violation)
        if exception is not None:
            lines.append(
                f"  {exception.label} expired on {exception.expires.isoformat()}: fix the "
                "import, or renew the exception with a later `expires`"
            )
    imports = [v for v in adoption.failing if v.keys]
    if imports:
        files = len({v.path for v in imports})
        lines.append(f"{counted(len(imports), 'lane violation')} in {counted(files, 'file')}.")
    unreadable = len(adoption.failing) - len(imports)
    if unreadable:
        lines.append(
            f"{counted(unreadable, 'file')} that Pants' dependency inference "
            "cannot read (LK004)."
        )
    if adoption.excepted:
        lines.append(f"{adoption.excepted} allowed by `[lanes].exceptions`.")
    if adoption.baselined:
        lines.append(f"{adoption.baselined} recorded in the baseline {baseline_path}.")
    if adoption.stale:
        count = len(adoption.stale)
        lines.append(
            f"The baseline {baseline_path} can shrink: {count} of its entries no longer "
            f"occur{'s' if count == 1 else ''} ({_entries(adoption.stale)}); run "
            "`pants lanes --update-baseline ::`."
        )
    return "".join(f"{line}\n" for line in lines)
