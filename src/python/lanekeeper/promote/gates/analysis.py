"""The gates of the analyzer's per-file analysis: syntax and docstrings (the `promote`
analysis, on the repo's interpreter) and TODO-HIGH (todo-audit's parser, with the TODO formats
the repo declares in `[todo-audit].formats`)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Sequence

from lanekeeper.promote.gate import Finding, GateResult, could_not_check, judged
from lanekeeper.promote.module import is_test_file
from lanekeeper.todos.formats import parse_formats
from lanekeeper.todos.grammar import TodoScan

TODO_HIGH = "todo-high"


def syntax_gate(files: Sequence[Mapping[str, Any]]) -> GateResult:
    """`files` are `promote_analyze` documents: {path, syntax_error: null | {line, message}}."""
    findings = [
        Finding(doc["path"], doc["syntax_error"]["line"], doc["syntax_error"]["message"])
        for doc in files
        if doc["syntax_error"]
    ]
    return judged("syntax", findings, f"{len(files)} files compile", "{n} files do not compile")


def docstring_gate(files: Sequence[Mapping[str, Any]]) -> GateResult:
    findings = [
        Finding(doc["path"], item["line"], f"public {item['kind']} {item['name']} has no docstring")
        for doc in files
        if not is_test_file(doc["path"])
        for item in doc["missing_docstrings"]
    ]
    checked = sum(1 for doc in files if not is_test_file(doc["path"]))
    return judged(
        "docstrings",
        findings,
        f"{checked} non-test files: every public module, class and function has a docstring",
        "{n} public definitions without a docstring",
    )


def todo_formats_gate(formats: Mapping[str, Any]) -> Optional[GateResult]:
    """The TODO-HIGH gate when `[todo-audit].formats` is not valid (it could not check the TODOs
    of those formats); None when it is, and the scans may read them."""
    try:
        parse_formats(formats)
    except ValueError as e:
        return could_not_check(TODO_HIGH, str(e))
    return None


def todo_high_gate(scans: Iterable[TodoScan]) -> GateResult:
    """`scans` read with `[todo-audit].formats`: a declared format's high priority is HIGH too."""
    findings = [
        Finding(item.path, item.line, f"TODO with PRIORITY:HIGH: {item.message}")
        for scan in scans
        for item in scan.items
        if item.priority == "HIGH"
    ]
    return judged(TODO_HIGH, findings, "no TODO-HIGH", "{n} TODO-HIGH items")
