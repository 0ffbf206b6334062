from __future__ import annotations

import json
from textwrap import dedent

import pytest
from pants.backend.python import target_types_rules
from pants.backend.python.target_types import (
    PythonRequirementTarget,
    PythonSourcesGeneratorTarget,
    PythonSourceTarget,
)
from pants.testutil.rule_runner import RuleRunner

from lanekeeper_pants.lanes import rules as lanes_rules
from lanekeeper_pants.lanes.rules import LanesGoal

LANE_ARGS = [
    "--lanes-order=['candidate', 'core']",
    "--lanes-libraries=['matriz']",
    "--lanes-production=['core']",
    "--lanes-paths={'candidate': ['src/candidate/**'], 'core': ['src/core/**'], "
    "'matriz': ['src/matriz/**']}",
    "--lanes-allowed-imports={'candidate': ['core', 'matriz'], 'core': ['matriz']}",
]


@pytest.fixture
def rule_runner() -> RuleRunner:
    runner = RuleRunner(
        rules=[*lanes_rules.rules(), *target_types_rules.rules()],
        target_types=[PythonSourcesGeneratorTarget, PythonSourceTarget, PythonRequirementTarget],
    )
    runner.write_files(
        {
            "src/candidate/dream/engine.py": "",
            "src/candidate/dream/BUILD": "python_sources()",
            "src/core/rank.py": "",
            "src/core/BUILD": "python_sources()",
            "src/matriz/graph.py": "",
            "src/matriz/BUILD": "python_sources()",
            "tools/setup_env.py": "",
            "tools/BUILD": "python_sources()\npython_requirement(name='req', requirements=['six'])",
        }
    )
    return runner


def test_text_listing_shows_every_lane_and_the_unlaned_targets(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(LanesGoal, args=[*LANE_ARGS, "::"])
    assert result.exit_code == 0
    assert result.stdout == dedent(
        """\
        candidate  src/candidate/dream/engine.py
        core       src/core/rank.py
        matriz     src/matriz/graph.py

        candidate      1 target  (lane)
        core           1 target  (lane)
        matriz         1 target  (library)
        (none)         1 target in no lane

        Targets in no lane (no glob in `[lanes].paths` matches them):
          tools/setup_env.py
        """
    )


def test_json_listing(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(LanesGoal, args=[*LANE_ARGS, "--lanes-format=json", "src::"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["lanes"] == {"candidate": 1, "core": 1, "matriz": 1}
    assert document["unlaned"] == []
    assert document["targets"][0] == {
        "address": "src/candidate/dream/engine.py",
        "path": "src/candidate/dream/engine.py",
        "lane": "candidate",
    }


def test_unknown_lane_is_a_one_line_error(rule_runner: RuleRunner) -> None:
    bad = "--lanes-allowed-imports={'candidate': ['core', 'matriz'], 'core': ['lukhas']}"
    result = rule_runner.run_goal_rule(LanesGoal, args=[*LANE_ARGS, bad, "::"])
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: `[lanes].allowed_imports`: lane 'core' may import 'lukhas'")
    assert "add it to `[lanes].order` or `[lanes].libraries`" in line
