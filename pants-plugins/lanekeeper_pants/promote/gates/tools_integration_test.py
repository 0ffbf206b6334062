"""RuleRunner test of the lint, format and type-check gates with the real ruff, black and mypy
(from this repo's `tools` lockfile): their findings in the module's files, whatever its BUILD
file opts out, and a next run (as pantsd's) that starts none of them again."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from pants.backend.experimental.python.lint.ruff import register as ruff
from pants.backend.python.lint.black import register as black
from pants.backend.python.typecheck.mypy import register as mypy
from pants.core.goals import fix, fmt, lint
from pants.core.util_rules import config_files
from pants.engine.addresses import Address
from pants.testutil.rule_runner import QueryRule

from lanekeeper_pants.lanes.testutil import import_graph_rule_runner
from lanekeeper_pants.promote.gates import tools
from lanekeeper_pants.promote.gates.request import PromoteGates
from lanekeeper_pants.promote.gates.tools import LintGatesRequest, TypeCheckGatesRequest
from lanekeeper_pants.testutil import ENV_INHERIT, next_run, pex_global_args

MODULE = "src/candidate/mod"
TOOLS = ("ruff", "black", "mypy")


def tool_runs(started: list[str]) -> list[str]:
    return [run for run in started if run.split(" ")[1:2] in (["ruff"], ["black"], ["mypy"])]


def test_findings_in_the_module_and_a_next_run_starts_no_tool() -> None:
    rule_runner = import_graph_rule_runner(
        [
            *tools.rules(),
            *ruff.rules(),
            *lint.rules(),
            *fmt.rules(),
            *fix.rules(),
            *black.rules(),
            *mypy.rules(),
            *config_files.rules(),
            QueryRule(PromoteGates, [LintGatesRequest]),
            QueryRule(PromoteGates, [TypeCheckGatesRequest]),
        ],
        {
            "3rdparty/tools.lock": Path("3rdparty/python/tools.lock").read_text(),
            "src/candidate/__init__.py": "",
            "src/candidate/BUILD": "python_sources()",
            f"{MODULE}/__init__.py": "",
            f"{MODULE}/good.py": '"""Doc."""\n',
            f"{MODULE}/bad.py": dedent(
                """\
                import os


                def f(x: int) -> str:
                    return x
                y = {'a':1}
                """
            ),
            # As the demo's BUILD files opt planted findings out of the repo's own lint.
            f"{MODULE}/BUILD": (
                'python_sources(overrides={"bad.py": '
                '{"skip_ruff": True, "skip_mypy": True, "skip_black": True}})'
            ),
            "src/candidate/broken/__init__.py": "",
            "src/candidate/broken/half.py": "if True\n    pass\n",
            "src/candidate/broken/BUILD": "python_sources()",
        },
    )
    tool_options = [
        f"--{tool}-{option}"
        for tool in TOOLS
        for option in ("install-from-resolve=tools", f"requirements=['{tool}']")
    ]
    rule_runner.set_options(
        [
            *pex_global_args(),
            "--source-root-patterns=['src']",
            "--python-resolves={'tools': '3rdparty/tools.lock'}",
            "--python-resolves-to-interpreter-constraints={'tools': ['CPython>=3.9,<3.12']}",
            *tool_options,
            "--mypy-interpreter-constraints=['CPython==3.11.*']",
            "--black-interpreter-constraints=['CPython==3.11.*']",
        ],
        env_inherit=ENV_INHERIT,
    )
    addresses = tuple(
        Address(MODULE, relative_file_path=name) for name in ("__init__.py", "bad.py", "good.py")
    )
    lint_request = LintGatesRequest(MODULE, "core", addresses)
    type_request = TypeCheckGatesRequest(MODULE, "core", addresses)

    lint_gates, started = next_run(rule_runner, PromoteGates, lint_request)
    type_gates, type_started = next_run(rule_runner, PromoteGates, type_request)
    assert tool_runs(started + type_started) == [
        "Run black on 3 files.",
        "Run ruff on 3 files.",
        "Run mypy on 3 files.",
    ]
    found = {
        gate.gate: (gate.summary, [f.render() for f in gate.findings])
        for gate in (*lint_gates.gates, *type_gates.gates)
    }
    assert found == {
        "lint": ("1 findings from ruff", [f"{MODULE}/bad.py:1: F401 [*] `os` imported but unused"]),
        "format": ("1 files would change", [f"{MODULE}/bad.py:1: would be reformatted"]),
        "type-check": (
            "1 findings from mypy",
            [
                f'{MODULE}/bad.py:5: error: Incompatible return value type (got "int", '
                'expected "str")  [return-value]'
            ],
        ),
    }
    # The findings are the tools' answers: the next run (pantsd's next) starts none of them.
    assert next_run(rule_runner, PromoteGates, lint_request) == (lint_gates, [])
    assert next_run(rule_runner, PromoteGates, type_request) == (type_gates, [])

    # black cannot parse a file: it could not check the module, and says why.
    broken = ("__init__.py", "half.py")
    broken_gates, _ = next_run(
        rule_runner,
        PromoteGates,
        LintGatesRequest(
            "src/candidate/broken",
            "core",
            tuple(Address("src/candidate/broken", relative_file_path=f) for f in broken),
        ),
    )
    assert [gate.summary for gate in broken_gates.gates] == [
        "1 findings from ruff",
        "could not check: black exited 123: error: cannot format src/candidate/broken/half.py: "
        "Cannot parse: 1:7: if True",
    ]
