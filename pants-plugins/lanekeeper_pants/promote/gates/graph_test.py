"""RuleRunner tests of the dependency-graph gates, and of the check that fails a gate whose files
Pants cannot read."""

from __future__ import annotations

import json
from textwrap import dedent

import pytest
from pants.backend.project_info import dependents
from pants.engine.addresses import Address
from pants.testutil.rule_runner import QueryRule, RuleRunner

from lanekeeper.lanes.imports import read_file_imports
from lanekeeper.lanes.module_index import ModuleIndex
from lanekeeper.promote.gate import Finding, Status
from lanekeeper_pants import lane_model
from lanekeeper_pants.lanes.edges import RepoImports
from lanekeeper_pants.lanes.testutil import import_graph_rule_runner
from lanekeeper_pants.promote.gates import graph
from lanekeeper_pants.promote.gates.graph import GraphGatesRequest
from lanekeeper_pants.promote.gates.request import PromoteGates, pants_cannot_read
from lanekeeper_pants.testutil import THREE_LANES_ARGS, reset_build_root

# The module's starting tree; every test begins from it (`reset_build_root`).
FILES = {
    "src/candidate/__init__.py": "",
    "src/candidate/mod/__init__.py": "",
    "src/candidate/mod/a.py": dedent(
        """\
            import matriz.graph
            from core import rank
            """
    ),
    "src/candidate/mod/b.py": "from candidate.mod import c\n",
    "src/candidate/mod/c.py": "from candidate.mod import b\n",
    "src/candidate/mod/BUILD": "python_sources()",
    "src/candidate/user.py": "from candidate.mod import a\n",
    "src/candidate/BUILD": "python_sources()",
    "src/core/__init__.py": "",
    "src/core/rank.py": "import lukhas.service\n",
    "src/core/BUILD": "python_sources()",
    "src/lukhas/__init__.py": "",
    "src/lukhas/service.py": "\n\nfrom candidate.mod import a\n",
    "src/lukhas/BUILD": "python_sources()",
    "src/matriz/__init__.py": "",
    "src/matriz/graph.py": "",
    "src/matriz/BUILD": "python_sources()",
}


@pytest.fixture(scope="module")
def shared_rule_runner() -> RuleRunner:
    return import_graph_rule_runner(
        [
            *graph.rules(),
            *lane_model.rules(),
            *dependents.rules(),
            QueryRule(PromoteGates, [GraphGatesRequest]),
        ],
        {},
    )


@pytest.fixture
def rule_runner(shared_rule_runner: RuleRunner) -> RuleRunner:
    runner = reset_build_root(shared_rule_runner, FILES)
    runner.set_options(THREE_LANES_ARGS)
    return runner


def graph_gates(rule_runner: RuleRunner) -> dict:
    addresses = tuple(
        Address("src/candidate/mod", relative_file_path=name)
        for name in ("__init__.py", "a.py", "b.py", "c.py")
    )
    result = rule_runner.request(
        PromoteGates, [GraphGatesRequest("src/candidate/mod", "core", addresses)]
    )
    return {gate.gate: gate for gate in result.gates}


def test_graph_gates_follow_the_import_graph(rule_runner: RuleRunner) -> None:
    gates = graph_gates(rule_runner)
    lanes = gates["lanes"]
    assert lanes.status is Status.FAIL
    # core/rank.py -> lukhas/service.py: reached transitively from a.py's import on line 2.
    assert [(f.file, f.line) for f in lanes.findings] == [("src/candidate/mod/a.py", 2)]
    assert "src/lukhas/service.py is in lane lukhas" in lanes.findings[0].message
    details = json.loads(lanes.details)
    assert details["importers_to_rewrite"] == [
        "src/candidate/user.py:1",
        "src/lukhas/service.py:3",
    ]
    cycles = gates["cycles"]
    assert cycles.status is Status.FAIL
    # a -> core.rank -> lukhas.service -> a, and b <-> c: both go through the module.
    assert len(cycles.findings) == 2
    assert all("import cycle" in f.message for f in cycles.findings)


def test_graph_gates_pass_for_a_clean_module(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            "src/core/rank.py": "",
            "src/candidate/mod/c.py": "",
        }
    )
    gates = graph_gates(rule_runner)
    assert gates["lanes"].status is Status.PASS
    assert gates["cycles"].status is Status.PASS


def test_graph_gates_read_the_repo_past_files_pants_cannot_read(rule_runner: RuleRunner) -> None:
    # Pants' `Dependents` would parse this file and stop the run; the gates read past it.
    rule_runner.write_files({"src/lukhas/old.py": b"import core.rank\nS = 'caf\xe9'\n"})
    gates = graph_gates(rule_runner)
    assert json.loads(gates["lanes"].details)["importers_to_rewrite"] == [
        "src/candidate/user.py:1",
        "src/lukhas/service.py:3",
    ]


def test_a_gate_whose_files_pants_cannot_read_fails_before_running_pants() -> None:
    index = ModuleIndex.build(
        {"mod.a": ["src/mod/a.py"], "lib.old": ["src/lib/old.py"], "lib.ok": ["src/lib/ok.py"]}
    )
    files = (
        read_file_imports("src/mod/a.py", b"import lib.old\n", index),
        read_file_imports("src/lib/old.py", b"S = 'caf\xe9'\n", index),
        read_file_imports("src/lib/ok.py", b"", index),
    )
    repo = RepoImports(files, (), tuple(edge for file in files for edge in file.edges))
    gate = pants_cannot_read("type-check", repo, ["src/mod/a.py"])
    assert gate is not None and gate.status is Status.FAIL
    assert gate.summary == (
        "could not check: Pants' dependency inference cannot read files this gate needs"
    )
    assert gate.findings == (
        Finding(
            "src/lib/old.py",
            1,
            "not valid UTF-8 (byte 8, line 1), and no PEP 263 coding line declares another "
            "encoding: neither Python nor Pants' dependency inference can read it; re-save it as "
            "UTF-8; if it must keep another encoding, declare it with a PEP 263 coding line such "
            "as `# -*- coding: latin-1 -*-` (Pants still needs UTF-8)",
        ),
    )
    assert pants_cannot_read("type-check", repo, ["src/lib/ok.py"]) is None
