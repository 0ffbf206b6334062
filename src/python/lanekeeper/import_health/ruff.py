"""ruff's E402 lines, from `ruff check --select E402 --ignore-noqa --output-format json`."""

from __future__ import annotations

import json
from typing import Optional, Sequence


def parse_ruff_json(
    output: str, root: Optional[str] = None, files: Sequence[str] = ()
) -> dict[str, tuple[int, ...]]:
    """Path -> sorted E402 lines from `ruff check --output-format json` output.

    Paths under `root` (an absolute directory) are made relative to it, and a path ending in
    `/<f>` for one of the relative `files` ruff was given is named `f` (ruff writes absolute
    paths, and a sandbox's root is not known in advance); others are kept as ruff wrote them.
    Raises ValueError naming the problem when the output is not ruff's JSON.
    """
    try:
        document = json.loads(output) if output.strip() else []
    except ValueError as error:
        raise ValueError(f"ruff's output is not JSON ({error}); run ruff with --output-format json")
    if not isinstance(document, list):
        raise ValueError("ruff's JSON output must be a list of diagnostics")
    lines: dict[str, set[int]] = {}
    prefix = root.rstrip("/") + "/" if root else None
    for number, entry in enumerate(document):
        if not isinstance(entry, dict):
            raise ValueError(f"ruff diagnostic {number} is not an object")
        if entry.get("code") != "E402":
            continue
        filename = entry.get("filename")
        location = entry.get("location")
        row = location.get("row") if isinstance(location, dict) else None
        if not isinstance(filename, str) or not isinstance(row, int) or isinstance(row, bool):
            raise ValueError(f"ruff diagnostic {number} has no `filename` and `location.row`")
        if prefix and filename.startswith(prefix):
            filename = filename[len(prefix) :]
        filename = next((f for f in files if filename.endswith("/" + f)), filename)
        lines.setdefault(filename, set()).add(row)
    return {path: tuple(sorted(rows)) for path, rows in sorted(lines.items())}
