"""The analyzer process: `python -m lanekeeper.analyze <analysis> <options> <file>...`.

It prints one JSON document. The Pants plugins run it as one cached process per batch of
files. Each analysis is a pure function of a file's path, its bytes and the run's options (a
JSON object) that reports bad input (a file that does not parse or decode) as data, so one bad
file never fails the batch.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Sequence

from lanekeeper.import_health import (
    FileImportHealth,
    ImportFinding,
    NoqaException,
    analyze_imports,
)
from lanekeeper.migration import result_json
from lanekeeper.promote.analyze import analyze_file
from lanekeeper.todos.formats import TodoFormat, parse_formats
from lanekeeper.todos.grammar import TodoItem, TodoScan, scan_todos_bytes
from lanekeeper.todos.rewrite import rewrite_json, rewrite_todos


def todo_scan_json(scan: TodoScan) -> dict[str, Any]:
    document = dataclasses.asdict(scan)
    document["items"] = [dataclasses.asdict(item) for item in scan.items]
    return document


def todo_scan_from_json(document: Mapping[str, Any]) -> TodoScan:
    items = tuple(
        TodoItem(
            **{
                **item,
                "problems": tuple(item["problems"]),
                "extras": tuple((key, value) for key, value in item["extras"]),
            }
        )
        for item in document["items"]
    )
    return TodoScan(document["path"], items, document["error"], document["method"])


def todo_options(formats: Mapping[str, Any], **more: str) -> str:
    """The options of the TODO analyses: `[todo-audit].formats` as given (validated first)."""
    if not formats and not more:
        return "{}"
    return json.dumps({"formats": list(formats.items()), **more}, sort_keys=True)


@functools.lru_cache(maxsize=None)
def _formats(options_json: str) -> tuple[TodoFormat, ...]:
    # Parsed once per process, not once per file.
    return parse_formats(dict(json.loads(options_json)))


def _todo_formats(options: Mapping[str, Any]) -> tuple[TodoFormat, ...]:
    return _formats(json.dumps(options.get("formats", [])))


def _todos(path: str, data: bytes, options: Mapping[str, Any]) -> dict[str, Any]:
    return todo_scan_json(scan_todos_bytes(path, data, _todo_formats(options)))


def _todo_rewrite(path: str, data: bytes, options: Mapping[str, Any]) -> dict[str, Any]:
    today = date.fromisoformat(options["today"])
    return rewrite_json(rewrite_todos(path, data, _todo_formats(options), today))


def _import_health(path: str, data: bytes, options: Mapping[str, Any]) -> dict[str, Any]:
    health = analyze_imports(
        path,
        data,
        today=date.fromisoformat(options["today"]),
        e402_lines=options["e402"].get(path, ()),
        renames=options["renames"],
        ttl_days=options["ttl_days"],
    )
    return dataclasses.asdict(health)


def import_health_from_json(document: Mapping[str, Any]) -> FileImportHealth:
    return FileImportHealth(
        document["path"],
        tuple(ImportFinding(**finding) for finding in document["findings"]),
        document["error"],
        tuple(NoqaException(**exception) for exception in document["exceptions"]),
        document["e402_checked"],
    )


def _rename(path: str, data: bytes, options: Mapping[str, Any]) -> dict[str, Any]:
    # Imported here: the Pants engine imports this module for the JSON helpers, without libcst.
    from lanekeeper.rename import rewrite_source

    return result_json(
        rewrite_source(path, data, options["renames"], bool(options.get("rewrite_strings")))
    )


Analysis = Callable[[str, bytes, Mapping[str, Any]], Dict[str, Any]]
ANALYSES: dict[str, Analysis] = {
    "todos": _todos,
    "todo-rewrite": _todo_rewrite,
    "imports": _import_health,
    "rename": _rename,
    "promote": lambda path, data, options: analyze_file(path, data),
}


def parse_output(output: str) -> list[dict[str, Any]]:
    """The per-file documents of one analyzer run's stdout."""
    files: list[dict[str, Any]] = json.loads(output)["files"]
    return files


def main(argv: Sequence[str]) -> int:
    if len(argv) < 2 or argv[0] not in ANALYSES:
        names = ",".join(ANALYSES)
        print(f"usage: python -m lanekeeper.analyze {{{names}}} OPTIONS FILE...", file=sys.stderr)
        return 2
    analysis, options, paths = ANALYSES[argv[0]], json.loads(argv[1]), argv[2:]
    files = [analysis(path, Path(path).read_bytes(), options) for path in paths]
    json.dump({"analysis": argv[0], "files": files}, sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
