"""RuleRunner tests of the promote rules that need no tool PEX: the dependency-graph gates."""

from __future__ import annotations

import json
from textwrap import dedent

import pytest
from pants.backend.project_info import dependents
from pants.backend.python import target_types_rules
from pants.backend.python.dependency_inference import rules as dependency_inference_rules
from pants.backend.python.target_types import PythonSourcesGeneratorTarget, PythonSourceTarget
from pants.core.util_rules import source_files
from pants.engine.addresses import Address
from pants.testutil.rule_runner import QueryRule, RuleRunner

from lanekeeper.promote import Status
from lanekeeper_pants.lanes import edges, model
from lanekeeper_pants.promote import rules as promote_rules
from lanekeeper_pants.promote.rules import GraphGates, PromoteRequest
from lanekeeper_pants.testutil import THREE_LANES_ARGS


@pytest.fixture
def rule_runner() -> RuleRunner:
    runner = RuleRunner(
        rules=[
            promote_rules.graph_gates,
            *edges.rules(),
            *model.rules(),
            *dependents.rules(),
            *target_types_rules.rules(),
            *dependency_inference_rules.rules(),
            *source_files.rules(),
            QueryRule(GraphGates, [PromoteRequest]),
        ],
        target_types=[PythonSourcesGeneratorTarget, PythonSourceTarget],
    )
    runner.write_files(
        {
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
    )
    runner.set_options(THREE_LANES_ARGS)
    return runner


def graph_gates(rule_runner: RuleRunner) -> dict:
    addresses = tuple(
        Address("src/candidate/mod", relative_file_path=name)
        for name in ("__init__.py", "a.py", "b.py", "c.py")
    )
    result = rule_runner.request(
        GraphGates, [PromoteRequest("src/candidate/mod", "core", addresses)]
    )
    return {gate.gate: gate for gate in result.gates}


def test_graph_gates_follow_pants_dependency_graph(rule_runner: RuleRunner) -> None:
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
