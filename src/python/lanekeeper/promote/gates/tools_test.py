from __future__ import annotations

from lanekeeper.promote.gate import Finding, GateResult, Status
from lanekeeper.promote.gates.tools import FormatRun, ToolRun, format_gate, tool_gate

MODULE = "src/candidate/mod"
RUFF = ["ruff"]


def lint(runs: list[ToolRun], enabled: list[str] = RUFF) -> GateResult:
    return tool_gate("lint", MODULE, runs, enabled, "linter")


def test_tool_gate_names_file_and_line_of_the_module_only() -> None:
    output = f"{MODULE}/a.py:5:8: F401 `os` imported but unused\nsrc/other.py:1:1: E501\n"
    gate = lint([ToolRun("ruff", 1, output)])
    assert gate.status is Status.FAIL
    assert gate.findings == (Finding(f"{MODULE}/a.py", 5, "F401 `os` imported but unused"),)
    assert lint([ToolRun("ruff", 0, "All checks passed!")]).status is Status.PASS
    assert lint([]).status is Status.SKIP
    # A failure naming no module file (findings elsewhere) still fails.
    elsewhere = lint([ToolRun("ruff", 1, "src/other.py:1:1: E501\n")])
    assert (elsewhere.status, elsewhere.findings) == (
        Status.FAIL,
        (Finding(MODULE, 0, "ruff exited 1: src/other.py:1:1: E501"),),
    )


def test_a_tool_that_could_not_run_is_could_not_check_with_its_first_error_and_cause() -> None:
    # As mypy failed on a monorepo with an `__init__.py` at its root (issue #22).
    output = (
        "pants-sandbox-f7LLrr is not a valid Python package name\n"
        "pyproject.toml: [mypy]: python_version: Python 3.6 is not supported\n"
    )
    gate = tool_gate("type-check", MODULE, [ToolRun("mypy", 2, output)], ["mypy"], "")
    assert (gate.status, gate.summary, gate.findings) == (
        Status.FAIL,
        "could not check: mypy exited 2: pants-sandbox-f7LLrr is not a valid Python package name "
        "(likely cause: an `__init__.py` at the repo's root (a source root of `/`) makes mypy "
        "take Pants' sandbox folder for a package: remove it)",
        (),
    )
    crash = "Traceback (most recent call last):\n  File x\nKeyError: 'a'\n"
    assert lint([ToolRun("flake8", 1, crash)]).summary == (
        "could not check: flake8 exited 1: KeyError: 'a'"
    )


def test_any_linter_counts_and_the_summary_names_them() -> None:
    # flake8 and pylint print `path:line:col: message` too.
    flake8 = ToolRun("flake8", 1, f"{MODULE}/a.py:3:1: E302 expected 2 blank lines\n")
    pylint = ToolRun("pylint", 0, "Your code has been rated at 10.00/10\n")
    gate = lint([flake8, pylint], ["flake8", "pylint"])
    assert (gate.status, gate.summary) == (Status.FAIL, "1 findings from flake8, pylint")
    assert gate.findings == (Finding(f"{MODULE}/a.py", 3, "E302 expected 2 blank lines"),)


def test_a_gate_without_runs_says_whether_a_tool_is_enabled_at_all() -> None:
    assert lint([], ["ruff"]).summary == "ruff did not run on the module (skipped by its options)"
    none = tool_gate("type-check", MODULE, [], [], "type checker")
    assert none.summary == "no type checker is enabled in `[GLOBAL].backend_packages`"


def test_format_gate_names_the_reformatted_files() -> None:
    gate = format_gate([FormatRun("black", (f"{MODULE}/b.py",))], ["black"])
    assert [(f.file, f.message) for f in gate.findings] == [
        (f"{MODULE}/b.py", "would be reformatted")
    ]
    assert format_gate([FormatRun("black", ())], ["black"]).status is Status.PASS
    assert format_gate([], []).status is Status.SKIP


def test_a_formatter_that_stopped_is_could_not_check() -> None:
    output = (
        f"error: cannot format {MODULE}/b.py: Cannot parse: 2:7: if True\n"
        "Oh no! 💥 💔 💥\n1 file failed to reformat.\n"
    )
    gate = format_gate([FormatRun("black", (), 123, output)], ["black"])
    assert (gate.status, gate.summary) == (
        Status.FAIL,
        f"could not check: black exited 123: error: cannot format {MODULE}/b.py: Cannot parse: "
        "2:7: if True",
    )
