from __future__ import annotations

from lanekeeper.kernel.source_text import decode_source, not_utf8
from lanekeeper.promote.gate import (
    Finding,
    Status,
    could_not_check,
    engine_failure,
    unreadable_files,
)


def test_a_gate_that_could_not_check_fails() -> None:
    gate = could_not_check("mypy", "Pants cannot read a file", [Finding("a.py", 2, "not UTF-8")])
    assert (gate.status, gate.summary) == (Status.FAIL, "could not check: Pants cannot read a file")


def test_a_file_pants_cannot_read_fails_the_gate_that_needs_it() -> None:
    data = b"S = 'caf\xe9'\n"
    problem = not_utf8(data, decode_source(data))
    assert problem is not None
    gate = unreadable_files("type-check", [("src/lib/old.py", problem)])
    assert gate is not None and gate.status is Status.FAIL
    assert gate.summary == (
        "could not check: Pants' dependency inference cannot read files this gate needs"
    )
    assert [(f.file, f.line) for f in gate.findings] == [("src/lib/old.py", 1)]
    assert unreadable_files("type-check", []) is None


def test_an_engine_failure_is_named_by_its_last_line() -> None:
    gate = engine_failure("tests", "Traceback:\n  ...\nIntrinsicError: bad bytes\n")
    assert gate.summary == "could not check: Pants failed: IntrinsicError: bad bytes"
    process = (
        "Process 'Run coverage' failed with exit code 1.\nstdout:\n\nstderr:\n"
        "SyntaxError: invalid syntax\n\n\nUse `--keep-sandboxes=on_failure` to preserve the "
        "process chroot for inspection.\n"
    )
    assert engine_failure("tests", process).summary == (
        "could not check: Pants failed: SyntaxError: invalid syntax"
    )
