"""RuleRunner tests of the gates of the per-file analysis PEX: syntax, docstrings, TODO-HIGH."""

from __future__ import annotations

from textwrap import dedent

import pytest
from pants.engine.addresses import Address
from pants.testutil.rule_runner import RuleRunner

from lanekeeper.promote.gate import Status
from lanekeeper_pants.analyzer.testutil import analyzer_rule_runner
from lanekeeper_pants.promote.gates.analysis import AnalysisGatesRequest
from lanekeeper_pants.promote.gates.request import PromoteGates
from lanekeeper_pants.testutil import ENV_INHERIT, pex_global_args


@pytest.fixture
def rule_runner() -> RuleRunner:
    runner = analyzer_rule_runner({})
    runner.set_options(
        [*pex_global_args(), "--source-root-patterns=['src']"], env_inherit=ENV_INHERIT
    )
    return runner


def analysis(rule_runner: RuleRunner, files: dict[str, str]) -> dict:
    rule_runner.write_files(
        {**{f"src/mod/{k}": v for k, v in files.items()}, "src/mod/BUILD": "python_sources()"}
    )
    addresses = tuple(Address("src/mod", relative_file_path=name) for name in files)
    result = rule_runner.request(PromoteGates, [AnalysisGatesRequest("src/mod", "core", addresses)])
    return {gate.gate: gate for gate in result.gates}


def test_syntax_docstrings_and_todo_high_name_file_and_line(rule_runner: RuleRunner) -> None:
    gates = analysis(
        rule_runner,
        {
            "good.py": '"""Doc."""\n\n\ndef f() -> None:\n    """Doc."""\n',
            "bad.py": dedent(
                '''\
                """Doc."""

                # TODO[2026-01-01][PRIORITY:HIGH][OWNER:@a][SCOPE:PROD] : fix
                def g():
                    pass


                match = 1
                '''
            ),
            "broken.py": '"""Doc."""\nif True\n    pass\n',
        },
    )
    assert gates["syntax"].status is Status.FAIL, gates["syntax"].summary
    assert gates["docstrings"].status is Status.FAIL, gates["syntax"].summary
    assert [(f.file, f.line) for f in gates["syntax"].findings] == [("src/mod/broken.py", 2)]
    assert [(f.file, f.line, f.message) for f in gates["docstrings"].findings] == [
        ("src/mod/bad.py", 4, "public function g has no docstring")
    ]
    assert [(f.file, f.line) for f in gates["todo-high"].findings] == [("src/mod/bad.py", 3)]


def test_clean_module_passes(rule_runner: RuleRunner) -> None:
    gates = analysis(rule_runner, {"good.py": '"""Doc."""\n\n\ndef f() -> None:\n    """Doc."""\n'})
    assert {name: gate.status for name, gate in gates.items()} == {
        "syntax": Status.PASS,
        "docstrings": Status.PASS,
        "todo-high": Status.PASS,
    }


def test_todo_high_reads_the_formats_the_repo_declares(rule_runner: RuleRunner) -> None:
    rule_runner.set_options(
        [
            *pex_global_args(),
            "--source-root-patterns=['src']",
            "--todo-audit-formats={'t4': {'tag': 'T4-[A-Z]+', 'fields': {'message': 'reason'}, "
            "'values': {'priority': {'high': 'HIGH'}}}}",
        ],
        env_inherit=ENV_INHERIT,
    )
    # The guide's grammar alone reads no TODO-HIGH here: the gate passed before it read formats.
    todo = '# TODO[T4-QUEUE]: {"priority": "high", "owner": "ann", "reason": "bound the queue"}\n'
    gates = analysis(rule_runner, {"queue.py": f'"""Doc."""\n\n{todo}'})
    assert [f.render() for f in gates["todo-high"].findings] == [
        "src/mod/queue.py:3: TODO with PRIORITY:HIGH: bound the queue"
    ]
