"""The analyzer process: `python -m lanekeeper.analyze <analysis> <file>...` prints JSON.

The Pants plugins run it as one cached process per batch of files. Each analysis is a pure
function of a file's path and bytes that reports bad input (a file that does not parse or
decode) as data, so one bad file never fails the batch.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from lanekeeper.todos import TodoItem, TodoScan, scan_todos_bytes


def todo_scan_json(scan: TodoScan) -> dict[str, Any]:
    document = dataclasses.asdict(scan)
    document["items"] = [dataclasses.asdict(item) for item in scan.items]
    return document


def todo_scan_from_json(document: Mapping[str, Any]) -> TodoScan:
    items = tuple(
        TodoItem(**{**item, "problems": tuple(item["problems"])}) for item in document["items"]
    )
    return TodoScan(document["path"], items, document["error"], document["method"])


ANALYSES: dict[str, Callable[[str, bytes], dict[str, Any]]] = {
    "todos": lambda path, data: todo_scan_json(scan_todos_bytes(path, data)),
}


def parse_output(output: str) -> list[dict[str, Any]]:
    """The per-file documents of one analyzer run's stdout."""
    files: list[dict[str, Any]] = json.loads(output)["files"]
    return files


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] not in ANALYSES:
        names = ",".join(ANALYSES)
        print(f"usage: python -m lanekeeper.analyze {{{names}}} FILE...", file=sys.stderr)
        return 2
    analysis, paths = ANALYSES[argv[0]], argv[1:]
    files = [analysis(path, Path(path).read_bytes()) for path in paths]
    json.dump({"analysis": argv[0], "files": files}, sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
