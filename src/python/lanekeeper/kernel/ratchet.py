"""What the ratcheting goals' baseline files share: a versioned JSON object, counts, and the
list of files behind a regression."""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Optional, Sequence

MAX_FILES = 10


def broken(source: str, problem: str, hint: str) -> ValueError:
    """`<source> <problem>; <hint>.`: what is wrong with the file, and how to fix it."""
    return ValueError(f"{source} {problem}; {hint}.")


def load_versioned(
    text: str, source: str, *, version: int, what: str, hint: str, kind: Optional[str] = None
) -> dict[str, Any]:
    """The top-level object of a baseline file of `version` (and `"kind": kind`, if given).

    `what` names the file's type in messages ("a TODO baseline"); ValueError if it is broken.
    """
    try:
        document = json.loads(text)
    except ValueError as error:
        raise broken(source, f"is not valid JSON ({error})", hint) from error
    if not isinstance(document, dict):
        raise broken(source, f"is not {what}: the top level must be a JSON object", hint)
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


def lane_notes(baseline_lanes: Iterable[str], lanes: Sequence[str], hint: str) -> list[str]:
    """Notes on production lanes the baseline lacks, and baseline lanes no longer production."""
    recorded = list(baseline_lanes)
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
