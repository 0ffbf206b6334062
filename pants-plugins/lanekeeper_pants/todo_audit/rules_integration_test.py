from __future__ import annotations

import csv
import io
import json
from textwrap import dedent

import pytest
from pants.backend.python import target_types_rules
from pants.backend.python.target_types import PythonSourcesGeneratorTarget, PythonSourceTarget
from pants.backend.python.util_rules import pex
from pants.core.util_rules import distdir, source_files
from pants.testutil.rule_runner import RuleRunner

from lanekeeper_pants.analyzer import rules as analyzer_rules
from lanekeeper_pants.testutil import ENV_INHERIT, pex_global_args
from lanekeeper_pants.todo_audit import rules as todo_audit_rules
from lanekeeper_pants.todo_audit.rules import TodoAuditGoal

LANE_ARGS = [
    "--source-root-patterns=['src']",
    "--lanes-order=['candidate', 'core']",
    "--lanes-libraries=[]",
    "--lanes-production=['core']",
    "--lanes-paths={'candidate': ['src/candidate/**'], 'core': ['src/core/**']}",
    "--lanes-allowed-imports={'candidate': ['core']}",
]


@pytest.fixture
def rule_runner() -> RuleRunner:
    runner = RuleRunner(
        rules=[
            *todo_audit_rules.rules(),
            *analyzer_rules.rules(),
            *pex.rules(),
            *source_files.rules(),
            *distdir.rules(),
            *target_types_rules.rules(),
        ],
        target_types=[PythonSourcesGeneratorTarget, PythonSourceTarget],
    )
    runner.write_files(
        {
            "src/core/rank.py": dedent(
                '''\
                """TODO in a docstring is not a TODO."""
                # TODO[2026-01-01][PRIORITY:HIGH][OWNER:@ann][SCOPE:PROD][ISSUE:9] : use heapq
                # FIXME the weights are wrong
                x = "TODO in a string"
                '''
            ),
            "src/core/BUILD": "python_sources()",
            "src/candidate/dream.py": "# TODO[2026-01-01][PRIORITY:MED][OWNER:@bo][SCOPE:X] : y\n",
            "src/candidate/BUILD": "python_sources()",
        }
    )
    return runner


def run(rule_runner: RuleRunner, *args: str):
    return rule_runner.run_goal_rule(
        TodoAuditGoal,
        global_args=[*pex_global_args(), *LANE_ARGS],
        args=["--today=2026-11-22", *args, "::"],
        env_inherit=ENV_INHERIT,
    )


def test_inventory_score_and_reports(rule_runner: RuleRunner) -> None:
    result = run(rule_runner)
    assert result.exit_code == 0, result.stderr
    dist = rule_runner.build_root + "/dist/todo-audit"
    with open(f"{dist}/todo_inventory.csv") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    assert [
        (r["file"], r["line"], r["status"], r["priority"], r["scope"], r["age_days"]) for r in rows
    ] == [
        ("src/candidate/dream.py", "1", "structured", "MED", "UNKNOWN", "325"),
        ("src/core/rank.py", "2", "structured", "HIGH", "PROD", "325"),
        ("src/core/rank.py", "3", "plain", "", "", ""),
    ]
    assert "production total" in result.stdout
    with open(f"{dist}/todo_audit.json") as f:
        document = json.load(f)
    assert document["production_total"]["score"] == 10
    assert document["non_production_total"]["score"] == 3
    assert [item["line"] for item in document["items"]] == [1, 2, 3]
    assert "No baseline at todo-audit-baseline.json" in result.stdout


def test_baseline_rise_fails_naming_the_file(rule_runner: RuleRunner) -> None:
    assert run(rule_runner, "--update-baseline").exit_code == 0
    rule_runner.write_files({"src/core/weights.py": "# TODO fill in\n# XXX and this\n"})
    result = run(rule_runner)
    assert result.exit_code == 1
    assert "src/core/weights.py" in result.stdout


def test_bad_today_is_a_one_line_error(rule_runner: RuleRunner) -> None:
    result = rule_runner.run_goal_rule(
        TodoAuditGoal,
        global_args=[*pex_global_args(), *LANE_ARGS],
        args=["--today=22/11/2026", "::"],
        env_inherit=ENV_INHERIT,
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: `[todo-audit].today`: '22/11/2026' is not a date; write it as YYYY-MM-DD."
    )


def test_batches_of_one_file_report_what_one_batch_reports(rule_runner: RuleRunner) -> None:
    dist = rule_runner.build_root + "/dist/todo-audit"
    reports = []
    for batch_size in ("1", "128"):
        result = run(rule_runner, f"--lanekeeper-analyzer-batch-size={batch_size}")
        assert result.exit_code == 0, result.stderr
        with open(f"{dist}/todo_inventory.csv") as f:
            reports.append((f.read(), result.stdout))
    assert reports[0] == reports[1]
    assert reports[0][0].count("\n") == 4  # the header and the three TODOs


def test_a_batch_size_below_one_is_a_one_line_error(rule_runner: RuleRunner) -> None:
    result = run(rule_runner, "--lanekeeper-analyzer-batch-size=0")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: `[lanekeeper-analyzer].batch_size` must be at least 1, not 0: it is the number "
        "of files each analyzer process takes (default 128)."
    )
