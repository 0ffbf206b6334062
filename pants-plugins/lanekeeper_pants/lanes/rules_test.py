from __future__ import annotations

import json
from textwrap import dedent

import pytest
from pants.backend.python import target_types_rules
from pants.backend.python.dependency_inference import rules as dependency_inference_rules
from pants.backend.python.target_types import (
    PythonRequirementTarget,
    PythonSourcesGeneratorTarget,
    PythonSourceTarget,
)
from pants.testutil.rule_runner import RuleRunner

from lanekeeper_pants.lanes import edges
from lanekeeper_pants.lanes import rules as lanes_rules
from lanekeeper_pants.lanes.rules import LanesGoal
from lanekeeper_pants.testutil import lane_args, reset_build_root

GLOBAL_ARGS = ["--python-infer-use-rust-parser", "--source-root-patterns=['src', 'tools']"]
LANE_ARGS = lane_args("candidate", "core", "matriz")


# The module's starting tree; every test begins from it (`reset_build_root`).
FILES = {
    "src/candidate/dream/engine.py": "from core import rank\n",
    "src/candidate/dream/BUILD": "python_sources()",
    "src/core/rank.py": "from core import weights\n",
    "src/core/weights.py": "import core.rank\n",
    "src/core/BUILD": "python_sources()",
    "src/matriz/graph.py": "",
    "src/matriz/BUILD": "python_sources()",
    "tools/setup_env.py": "",
    "tools/BUILD": "python_sources()\npython_requirement(name='req', requirements=['six'])",
}


@pytest.fixture(scope="module")
def shared_rule_runner() -> RuleRunner:
    return RuleRunner(
        rules=[
            *lanes_rules.rules(),
            *edges.rules(),
            *target_types_rules.rules(),
            *dependency_inference_rules.rules(),
        ],
        target_types=[PythonSourcesGeneratorTarget, PythonSourceTarget, PythonRequirementTarget],
    )


@pytest.fixture
def rule_runner(shared_rule_runner: RuleRunner) -> RuleRunner:
    return reset_build_root(shared_rule_runner, FILES)


def test_text_listing_shows_every_lane_and_the_unlaned_targets(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(LanesGoal, global_args=GLOBAL_ARGS, args=[*LANE_ARGS, "::"])
    assert result.exit_code == 0
    assert result.stdout == dedent(
        """\
        candidate  src/candidate/dream/engine.py
        core       src/core/rank.py
        core       src/core/weights.py
        matriz     src/matriz/graph.py

        candidate      1 target  (lane)
        core           2 targets  (lane)
        matriz         1 target  (library)
        (none)         1 target in no lane

        Targets in no lane (no glob in `[lanes].paths` matches them):
          tools/setup_env.py
        """
    )


def test_json_listing(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(
        LanesGoal, global_args=GLOBAL_ARGS, args=[*LANE_ARGS, "--lanes-format=json", "src::"]
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["lanes"] == {"candidate": 1, "core": 2, "matriz": 1}
    assert document["unlaned"] == []
    assert document["targets"][0] == {
        "address": "src/candidate/dream/engine.py",
        "path": "src/candidate/dream/engine.py",
        "lane": "candidate",
    }


def test_a_repo_without_lanes_is_told_what_to_add(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(LanesGoal, global_args=GLOBAL_ARGS, args=["::"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: no lanes are configured: add a `[lanes]` section to pants.toml with `order` "
        "(your lanes, least strict first) and `paths` (each lane's path globs); see README.md, "
        '"Adopt lanekeeper in your repo".'
    ]


def test_suggest_prints_a_lanes_section_without_one(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(
        LanesGoal, global_args=GLOBAL_ARGS, args=["--lanes-suggest", "::"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[lanes]",
        'order = ["candidate", "core", "matriz"]',
        "production = []",
        "",
        "[lanes.paths]",
        'candidate = ["src/candidate/**"]',
        'core = ["src/core/**"]',
        'matriz = ["src/matriz/**"]',
        "",
        "[lanes.allowed_imports]",
        'candidate = ["core"]',
    ]


def test_unknown_lane_is_a_one_line_error(rule_runner: RuleRunner) -> None:
    bad = "--lanes-allowed-imports={'candidate': ['core', 'matriz'], 'core': ['lukhas']}"
    result = rule_runner.run_goal_rule(
        LanesGoal, global_args=GLOBAL_ARGS, args=[*LANE_ARGS, bad, "::"]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: `[lanes].allowed_imports`: lane 'core' may import 'lukhas'")
    assert "add it to `[lanes].order` or `[lanes].libraries`" in line


def test_cycles_are_listed_and_fail_in_a_production_lane(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(
        LanesGoal, global_args=GLOBAL_ARGS, args=[*LANE_ARGS, "--lanes-cycles", "::"]
    )
    assert result.exit_code == 1
    assert result.stdout == dedent(
        """\
        cycle 1: 2 modules, lanes core (production)
          src/core/rank.py -> src/core/weights.py -> src/core/rank.py
          cut: src/core/rank.py:1 imports src/core/weights.py (breaks 1 of 1 cycles)

        1 import cycle (1 in production lanes)
        """
    )


def test_no_cycle_outside_the_selection(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(
        LanesGoal, global_args=GLOBAL_ARGS, args=[*LANE_ARGS, "--lanes-cycles", "src/candidate::"]
    )
    assert result.exit_code == 0
    assert result.stdout.strip() == "No import cycles."


def test_report_finds_unused_rules_and_empty_globs(rule_runner: RuleRunner) -> None:
    paths = LANE_ARGS[3].replace("'src/matriz/**'", "'src/matriz/**', 'lib/matriz/**'")
    result = rule_runner.run_goal_rule(
        LanesGoal,
        global_args=GLOBAL_ARGS,
        args=[*LANE_ARGS, paths, "--lanes-report", "--lanes-format=json", "::"],
    )
    assert result.exit_code == 0
    findings = json.loads(result.stdout)["findings"]
    assert [(f["kind"], f["lane"], f["detail"]) for f in findings] == [
        ("glob-matches-nothing", "matriz", "lib/matriz/**"),
        ("allowed-import-unused", "candidate", "matriz"),
        ("allowed-import-unused", "core", "matriz"),
    ]
