from __future__ import annotations

import json
from textwrap import dedent

import pytest
from pants.core.goals.lint import LintResult
from pants.engine.fs import DigestContents
from pants.testutil.rule_runner import RuleRunner

from lanekeeper_pants.lanes.testutil import lanes_rule_runner, run_lanes_lint
from lanekeeper_pants.testutil import THREE_LANES_ARGS, reset_build_root

# The module's starting tree; every test begins from it (`reset_build_root`).
FILES = {
    "src/candidate/__init__.py": "",
    "src/candidate/dream.py": "from lukhas import service\n",
    "src/candidate/BUILD": "python_sources()",
    "src/core/__init__.py": "",
    "src/core/rank.py": dedent(
        """\
        import matriz.graph
        import lukhas.service

        def late():
            from candidate import dream
        """
    ),
    "src/core/BUILD": "python_sources()",
    "src/lukhas/__init__.py": "",
    "src/lukhas/service.py": "from core import rank\n",
    "src/lukhas/BUILD": "python_sources()",
    "src/matriz/__init__.py": "",
    "src/matriz/graph.py": "",
    "src/matriz/BUILD": "python_sources()",
}


@pytest.fixture(scope="module")
def shared_rule_runner() -> RuleRunner:
    return lanes_rule_runner({})


@pytest.fixture
def rule_runner(shared_rule_runner: RuleRunner) -> RuleRunner:
    return reset_build_root(shared_rule_runner, FILES)


def run_lint(rule_runner: RuleRunner, *specs: str, extra_args: tuple[str, ...] = ()) -> LintResult:
    return run_lanes_lint(rule_runner, [*THREE_LANES_ARGS, *extra_args], *specs)


def test_every_violation_of_a_file_is_reported_with_its_line(rule_runner: RuleRunner) -> None:
    result = run_lint(rule_runner, "src/core/rank.py")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "src/core/rank.py:2:1 LK001 lukhas.service (lane lukhas) may not be imported from "
        "lane core",
        "  fix: lane 'core' may import core, matriz; promote lukhas.service into one of those "
        "lanes, or move src/core/rank.py to a lane that may import 'lukhas' (lukhas)",
        "src/core/rank.py:5:5 LK001 candidate.dream (lane candidate) may not be imported from "
        "lane core",
        "  fix: lane 'core' may import core, matriz; promote candidate.dream into one of those "
        "lanes, or move src/core/rank.py to a lane that may import 'candidate' (candidate)",
        "2 lane violations in 1 file.",
    ]


def test_allowed_imports_pass(rule_runner: RuleRunner) -> None:
    result = run_lint(rule_runner, "src/lukhas::", "src/matriz::")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_skip_lanes_field_opts_a_file_out(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {"src/core/BUILD": "python_sources(overrides={'rank.py': {'skip_lanes': True}})"}
    )
    result = run_lint(rule_runner, "src/core::")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_all_violations_across_files(rule_runner: RuleRunner) -> None:
    result = run_lint(rule_runner, "::")
    lines = [line.split(" LK001 ")[0] for line in result.stdout.splitlines() if " LK001 " in line]
    assert lines == ["src/candidate/dream.py:1:1", "src/core/rank.py:2:1", "src/core/rank.py:5:5"]
    assert result.stdout.endswith("3 lane violations in 2 files.\n")


def test_explicit_build_dependency_is_checked(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {"src/matriz/BUILD": "python_sources(dependencies=['src/lukhas/service.py'])"}
    )
    result = run_lint(rule_runner, "src/matriz/graph.py")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "src/matriz/graph.py: LK001 src/lukhas/service.py (lane lukhas) may not be imported from "
        "lane matriz (explicit dependency in a BUILD file)"
    )


def test_unknown_lane_fails_the_linter_with_one_line(rule_runner: RuleRunner) -> None:
    result = run_lint(rule_runner, "::", extra_args=("--lanes-production=['core', 'lukas']",))
    assert result.exit_code == 1
    assert result.stderr == (
        "`[lanes].production`: 'lukas' is not a lane (lanes: candidate, core, lukhas); fix the "
        "name or add it to `[lanes].order`.\n"
    )


def test_the_report_pants_lint_writes_holds_the_sarif_and_the_json(
    rule_runner: RuleRunner,
) -> None:
    result = run_lint(rule_runner, "src/core/rank.py")
    files = {
        f.path: json.loads(f.content) for f in rule_runner.request(DigestContents, [result.report])
    }
    assert sorted(files) == ["lanes.sarif", "report.json"]
    (run,) = files["lanes.sarif"]["runs"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]
    ] == [
        ("LK001", {"startLine": 2, "startColumn": 1}),
        ("LK001", {"startLine": 5, "startColumn": 5}),
    ]
    assert files["report.json"]["counts"]["error"] == 2


def test_annotations_follow_the_linters_report(rule_runner: RuleRunner) -> None:
    result = run_lint(rule_runner, "src/core/rank.py", extra_args=("--lanes-annotations",))
    assert result.stdout.splitlines()[-2].startswith(
        "::error file=src/core/rank.py,line=2,col=1,title=LK001::lukhas.service (lane lukhas) may"
    )
