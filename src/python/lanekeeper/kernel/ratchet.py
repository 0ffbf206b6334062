"""The one baseline ratchet of import-health, todo-audit and matriz-migrate: its file, its
comparison and its wording.

A baseline file is `{"version": 2, "kind": <goal>, "lanes": {<lane>: {<category>: <count>}}}`;
files in no lane are the lane `(none)` (`UNLANED`), as every report names them. A goal's
version 1 file (each goal had its own shape) is still read, through the goal's `upgrade`;
`--update-baseline` rewrites it as version 2.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable, Mapping, Optional, Sequence

MAX_FILES = 10
VERSION = 2
# How every report and baseline names files in no lane.
UNLANED = "(none)"

Rows = Mapping[str, Mapping[str, int]]


def broken(source: str, problem: str, hint: str) -> ValueError:
    """`<source> <problem>; <hint>.`: what is wrong with the file, and how to fix it."""
    return ValueError(f"{source} {problem}; {hint}.")


def _json_object(text: str, source: str, what: str, hint: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise broken(source, f"is not valid JSON ({error})", hint) from error
    if not isinstance(document, dict):
        raise broken(source, f"is not {what}: the top level must be a JSON object", hint)
    return document


def load_versioned(
    text: str, source: str, *, version: int, what: str, hint: str, kind: Optional[str] = None
) -> dict[str, Any]:
    """The top-level object of a baseline file of `version` (and `"kind": kind`, if given).

    `what` names the file's type in messages ("a TODO baseline"); ValueError if it is broken.
    """
    document = _json_object(text, source, what, hint)
    if kind is not None and document.get("kind") != kind:
        raise broken(source, f'is not {what} (no `"kind": "{kind}"`)', hint)
    found = document.get("version")
    if found != version:
        raise broken(
            source,
            f"has version {json.dumps(found)}, but this lanekeeper reads version {version}",
            hint,
        )
    return document


def is_count(value: object) -> bool:
    """A JSON count: an integer, 0 or more (`true` is an int in Python, not a count)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def files_most_first(per_file: Mapping[str, int], unit: str = "") -> str:
    """`a.py (3), b.py (1)`: the files behind a number, most first, at most `MAX_FILES`."""
    ranked = sorted(per_file.items(), key=lambda pair: (-pair[1], pair[0]))
    shown = ", ".join(f"{path} ({unit}{count})" for path, count in ranked[:MAX_FILES])
    if len(ranked) > MAX_FILES:
        shown += f" and {len(ranked) - MAX_FILES} more"
    return shown


def rose(lane: str, label: str, was: int, now: int, files: str) -> str:
    """The regression line of a count above its baseline, with the files behind it."""
    return f"{lane}: {label} rose from {was} to {now} ({now - was:+d}); {files}"


def fell(lane: str, label: str, was: int, now: int) -> str:
    """The line for a count below its baseline: the baseline can be lowered."""
    return (
        f"{lane}: {label} fell from {was} to {now} ({now - was:+d}); "
        "lower the baseline with `--update-baseline`"
    )


def lane_notes(
    baseline_lanes: Iterable[str], lanes: Sequence[str], hint: str, production: bool = True
) -> list[str]:
    """Notes on lanes the baseline lacks, and baseline lanes no longer production."""
    recorded = list(baseline_lanes)
    if not production:
        return []
    notes = [
        f"{lane}: not in the baseline, so compared against zero"
        for lane in lanes
        if lane not in recorded
    ]
    notes += [
        f"{lane}: in the baseline but no longer a production lane; {hint}"
        for lane in recorded
        if lane not in lanes
    ]
    return notes


def baseline_json(kind: str, rows: Rows) -> str:
    """A baseline file of `kind` (the goal's name): per lane, the count of each category."""
    document = {
        "version": VERSION,
        "kind": kind,
        "lanes": {lane: dict(row) for lane, row in rows.items()},
    }
    return json.dumps(document, indent=2) + "\n"


def read_baseline(
    text: str,
    source: str,
    *,
    kind: str,
    categories: Collection[str],
    upgrade: Callable[[dict[str, Any]], object],
) -> dict[str, dict[str, int]]:
    """Lane -> category -> count of a baseline file of `kind`; ValueError naming the fix.

    A version 1 file is the goal's old shape: `upgrade` turns its top-level object into the
    `lanes` object of version 2 (or raises ValueError).
    """
    hint = f"regenerate it with `pants {kind} --update-baseline ::`"
    what = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} baseline"
    document = _json_object(text, source, what, hint)
    version = document.get("version")
    if version == 1:
        lanes = upgrade(document)
        if not isinstance(lanes, dict):
            raise broken(source, f"is not {what} of version 1 (it has another shape)", hint)
    elif version == VERSION:
        if document.get("kind") != kind:
            raise broken(source, f'is not {what} (no `"kind": "{kind}"`)', hint)
        lanes = document.get("lanes")
    else:
        raise broken(
            source,
            f"has version {json.dumps(version)}, but this lanekeeper reads versions 1 and "
            f"{VERSION}",
            hint,
        )
    if not isinstance(lanes, dict):
        raise broken(source, f"is not {what}: `lanes` must be an object of lanes", hint)
    rows: dict[str, dict[str, int]] = {}
    for lane, row in lanes.items():
        if not isinstance(row, dict):
            raise broken(source, f"is not {what}: `lanes.{lane}` must be an object", hint)
        for category, count in row.items():
            if category not in categories:
                raise broken(
                    source, f"is not {what}: `lanes.{lane}` has unknown `{category}`", hint
                )
            if not is_count(count):
                raise broken(
                    source,
                    f"is not {what}: `lanes.{lane}.{category}` must be a count (0 or more), "
                    f"not {json.dumps(count)}",
                    hint,
                )
        rows[lane] = dict(row)
    return rows


@dataclass(frozen=True)
class Comparison:
    """A run's counts against its baseline.

    `before` and `after` hold, per lane of `lanes` in order, the counts of `categories` as
    stored and as found now; a lane the baseline lacks counts as zeros.
    """

    lanes: tuple[str, ...]
    categories: tuple[str, ...]
    before: tuple[tuple[int, ...], ...]
    after: tuple[tuple[int, ...], ...]
    regressions: tuple[str, ...]
    slack: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """Whether a ratcheted count rose."""
        return bool(self.regressions)

    @property
    def clean(self) -> bool:
        """Neither rises nor falls of a ratcheted count: the baseline is exact."""
        return not self.regressions and not self.slack

    def delta(self, lane: Optional[str], category: str) -> Optional[int]:
        """Now minus the baseline (None for `lane`: all lanes); None if untracked."""
        if category not in self.categories:
            return None
        column = self.categories.index(category)
        if lane is None:
            return self.after_total[column] - self.before_total[column]
        if lane not in self.lanes:
            return None
        row = self.lanes.index(lane)
        return self.after[row][column] - self.before[row][column]

    @property
    def before_total(self) -> tuple[int, ...]:
        """Per category, the baseline's sum over `lanes`."""
        return tuple(sum(column) for column in zip(*self.before)) or (0,) * len(self.categories)

    @property
    def after_total(self) -> tuple[int, ...]:
        """Per category, this run's sum over `lanes`."""
        return tuple(sum(column) for column in zip(*self.after)) or (0,) * len(self.categories)

    def lines(self) -> list[str]:
        """`regression: ...`, then `slack: ...` and `note: ...`: what every goal prints."""
        return (
            [f"regression: {line}" for line in self.regressions]
            + [f"slack: {line}" for line in self.slack]
            + [f"note: {line}" for line in self.notes]
        )

    def to_json_dict(self) -> dict[str, Any]:
        def pair(before: int, after: int) -> dict[str, int]:
            return {"baseline": before, "now": after}

        return {
            "categories": list(self.categories),
            "lanes": {
                lane: {
                    category: pair(self.before[row][i], self.after[row][i])
                    for i, category in enumerate(self.categories)
                }
                for row, lane in enumerate(self.lanes)
            },
            "total": {
                category: pair(self.before_total[i], self.after_total[i])
                for i, category in enumerate(self.categories)
            },
            "failed": self.failed,
            "regressions": list(self.regressions),
            "slack": list(self.slack),
            "notes": list(self.notes),
        }


def compare(
    baseline: Rows,
    now: Rows,
    *,
    kind: str,
    lanes: Sequence[str],
    categories: Sequence[str],
    ratcheted: Collection[str],
    files_behind: Callable[[str, str], str],
    label: Callable[[str], str] = str,
    notes: Sequence[str] = (),
    production: bool = True,
) -> Comparison:
    """`now` against `baseline` over `lanes` and `categories`.

    A ratcheted count that rose is a regression naming the files behind it
    (`files_behind(lane, category)`); one that fell is slack. `production`: `lanes` are the
    production lanes, so a baseline lane outside them is a note.
    """
    hint = f"regenerate it with `pants {kind} --update-baseline ::`"
    before = tuple(tuple(baseline.get(lane, {}).get(c, 0) for c in categories) for lane in lanes)
    after = tuple(tuple(now.get(lane, {}).get(c, 0) for c in categories) for lane in lanes)
    regressions: list[str] = []
    slack: list[str] = []
    for lane, old, new in zip(lanes, before, after):
        for category, was, is_now in zip(categories, old, new):
            if category not in ratcheted:
                continue
            if is_now > was:
                regressions.append(
                    rose(lane, label(category), was, is_now, files_behind(lane, category))
                )
            elif is_now < was:
                slack.append(fell(lane, label(category), was, is_now))
    return Comparison(
        lanes=tuple(lanes),
        categories=tuple(categories),
        before=before,
        after=after,
        regressions=tuple(regressions),
        slack=tuple(slack),
        notes=(*notes, *lane_notes(baseline, lanes, hint, production=production)),
    )
