"""The gates of the analyzer's per-file analysis: syntax and docstrings (the `promote`
analysis, on the repo's interpreter) and TODO-HIGH (todo-audit's parser)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from lanekeeper.promote.gate import Finding, GateResult, judged
from lanekeeper.promote.module import is_test_file
from lanekeeper.todos.grammar import TodoScan


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


def todo_high_gate(scans: Iterable[TodoScan]) -> GateResult:
    findings = [
        Finding(item.path, item.line, f"TODO with PRIORITY:HIGH: {item.message}")
        for scan in scans
        for item in scan.items
        if item.priority == "HIGH"
    ]
    return judged("todo-high", findings, "no TODO-HIGH", "{n} TODO-HIGH items")
