from __future__ import annotations

from lanekeeper.promote.analyze import analyze_file
from lanekeeper.promote.gate import Status
from lanekeeper.promote.gates.analysis import (
    docstring_gate,
    syntax_gate,
    todo_formats_gate,
    todo_high_gate,
)
from lanekeeper.todos.grammar import scan_todos


def test_analysis_reports_syntax_errors_and_missing_docstrings() -> None:
    good = analyze_file("m/good.py", b'"""Doc."""\n\ndef f():\n    """Doc."""\n')
    bad = analyze_file("m/bad.py", b"if x\n    pass\n")
    missing = analyze_file(
        "m/missing.py",
        b"class C:\n    def m(self):\n        pass\n\n    def _p(self):\n        pass\n\n"
        b"def _private():\n    pass\n",
    )
    test_file = analyze_file("m/thing_test.py", b"def test_x():\n    pass\n")
    assert syntax_gate([good, missing]).status is Status.PASS
    failed = syntax_gate([good, bad])
    assert failed.status is Status.FAIL
    assert (failed.findings[0].file, failed.findings[0].line) == ("m/bad.py", 1)
    docs = docstring_gate([good, missing, test_file])
    assert docs.status is Status.FAIL
    assert [(f.line, f.message) for f in docs.findings] == [
        (1, "public class C has no docstring"),
        (1, "public module missing has no docstring"),
        (2, "public method C.m has no docstring"),
    ]
    assert analyze_file("m/latin.py", b"x = '\xe9'\n")["syntax_error"]["message"].startswith(
        "not UTF-8"
    )


def test_todo_high_gate() -> None:
    scan = scan_todos(
        "m/a.py",
        "# TODO[2026-01-01][PRIORITY:HIGH][OWNER:@a][SCOPE:PROD] : fix\n"
        "# TODO[2026-01-01][PRIORITY:LOW][OWNER:@a][SCOPE:PROD] : later\n",
    )
    gate = todo_high_gate([scan])
    assert [(f.file, f.line) for f in gate.findings] == [("m/a.py", 1)]


def test_todo_formats_that_are_not_valid_fail_the_gate_unchecked() -> None:
    assert todo_formats_gate({"t4": {"tag": "T4", "fields": {"message": "reason"}}}) is None
    gate = todo_formats_gate({"t4": {"fields": {"message": "reason"}}})
    assert gate is not None
    assert (gate.gate, gate.status) == ("todo-high", Status.FAIL)
    assert gate.summary.startswith("could not check: `[todo-audit].formats.t4`: set exactly one of")
