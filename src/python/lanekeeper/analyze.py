"""The analyzer process: `python -m lanekeeper.analyze <analysis> <options> <file>...`.

It prints one JSON document. The Pants plugins run it as one cached process per batch of
files. Each analysis is a pure function of a file's path, its bytes and the run's options (a
JSON object) that reports bad input (a file that does not parse or decode) as data, so one bad
file never fails the batch.
"""

from __future__ import annotations

import functools
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from lanekeeper.import_health.analysis import scan_imports
from lanekeeper.kernel.analyzer_protocol import output_json
from lanekeeper.promote.analyze import analyze_file
from lanekeeper.todos.formats import TodoFormat, parse_formats
from lanekeeper.todos.grammar import scan_todos_bytes
from lanekeeper.todos.rewrite import rewrite_todos


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


def _todos(path: str, data: bytes, options: Mapping[str, Any]) -> object:
    return scan_todos_bytes(path, data, _todo_formats(options))


def _todo_rewrite(path: str, data: bytes, options: Mapping[str, Any]) -> object:
    today = date.fromisoformat(options["today"])
    return rewrite_todos(path, data, _todo_formats(options), today)


def _import_health(path: str, data: bytes, options: Mapping[str, Any]) -> object:
    # Date-free (no `today`, no TTL): the caller classifies the exceptions for its run's date.
    return scan_imports(
        path, data, e402_lines=options["e402"].get(path, ()), renames=options["renames"]
    )


def _rename(path: str, data: bytes, options: Mapping[str, Any]) -> object:
    # Imported here: the Pants engine imports this module for the JSON helpers, without libcst.
    from lanekeeper.rename.rewrite import rewrite_source

    return rewrite_source(path, data, options["renames"], bool(options.get("rewrite_strings")))


# Each returns a dataclass of the core (or, for `promote`, a JSON-ready dict) for the codec.
Analysis = Callable[[str, bytes, Mapping[str, Any]], object]
ANALYSES: dict[str, Analysis] = {
    "todos": _todos,
    "todo-rewrite": _todo_rewrite,
    "imports": _import_health,
    "rename": _rename,
    "promote": lambda path, data, options: analyze_file(path, data),
}


def main(argv: Sequence[str]) -> int:
    if len(argv) < 2 or argv[0] not in ANALYSES:
        names = ",".join(ANALYSES)
        print(f"usage: python -m lanekeeper.analyze {{{names}}} OPTIONS FILE...", file=sys.stderr)
        return 2
    analysis, options, paths = ANALYSES[argv[0]], json.loads(argv[1]), argv[2:]
    files = [analysis(path, Path(path).read_bytes(), options) for path in paths]
    sys.stdout.write(output_json(argv[0], files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
