from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from textwrap import dedent

import pytest
from pants.testutil.rule_runner import RuleRunner

from lanekeeper_pants.analyzer.testutil import analyzer_rule_runner
from lanekeeper_pants.testutil import ENV_INHERIT, lane_args, pex_global_args
from lanekeeper_pants.todo_audit.rules import JOURNAL, TodoAuditGoal
from lanekeeper_pants.transaction import Transaction

LANE_ARGS = ["--source-root-patterns=['src']", *lane_args("candidate", "core")]


# The module's starting tree; every test begins from it (`analyzer_rule_runner`).
FILES = {
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


@pytest.fixture
def rule_runner() -> RuleRunner:
    return analyzer_rule_runner(FILES)


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


def test_baseline_rise_fails_naming_the_file_and_a_fall_is_slack(rule_runner: RuleRunner) -> None:
    assert run(rule_runner, "--update-baseline").exit_code == 0
    rule_runner.write_files({"src/core/weights.py": "# TODO fill in\n# XXX and this\n"})
    result = run(rule_runner)
    assert result.exit_code == 1
    assert "src/core/weights.py" in result.stdout
    # One plain TODO fewer than the baseline's: the run passes and says how to lower it.
    Path(rule_runner.build_root, "src/core/weights.py").unlink()
    rule_runner.write_files({"src/core/rank.py": FILES["src/core/rank.py"].replace("FIXME", "NB")})
    fell = run(rule_runner)
    assert fell.exit_code == 0, fell.stdout
    assert (
        "slack: core: plain TODOs fell from 1 to 0 (-1); lower the baseline with "
        "`--update-baseline`"
    ) in fell.stdout.splitlines(), fell.stdout


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


T4 = (
    "--formats={'t4': {'tag': 'T4-[A-Z]+', 'fields': {'issue': 'ticket', 'message': 'reason'}, "
    "'values': {'priority': {'medium': 'MED'}, 'issue': 'GH-([0-9]+)'}, 'drop': ['estimate']}}"
)
TICKETS = (
    b'import os  # noqa: F401  # TODO[T4-UNUSED]: {"ticket":"GH-7","owner":"ann",'
    b'"reason":"drop os","priority":"medium","estimate":"1h"}\r\n'
    b'# FIXME[T4-ISSUE]: {"owner":"ann","reason":"a \\"quoted\\" word",'
    b'"priority":"low","code":"B008"}\r\n'
    b'# TODO[T4-ISSUE]: {"owner":"ann","reason":"broken" json}\r\n'
)
REWRITTEN = (
    b"import os  # noqa: F401  # TODO[2026-11-22][PRIORITY:MED][OWNER:@ann][SCOPE:UNKNOWN]"
    b"[ISSUE:7] : drop os (tag: T4-UNUSED)\r\n"
    b'# FIXME[2026-11-22][PRIORITY:LOW][OWNER:@ann][SCOPE:UNKNOWN] : a "quoted" word '
    b"(tag: T4-ISSUE; code: B008)\r\n"
    b'# TODO[T4-ISSUE]: {"owner":"ann","reason":"broken" json}\r\n'
)
LEFT = (
    "left: src/core/tickets.py:3 (t4): the payload is not JSON: Expecting ',' delimiter at "
    "character 34"
)


def inventory(rule_runner: RuleRunner) -> list[tuple[str, ...]]:
    with open(f"{rule_runner.build_root}/dist/todo-audit/todo_inventory.csv") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    return [(r["file"], r["line"], r["status"], r["priority"], r["format"]) for r in rows]


def test_declared_format_counts_then_rewrites_dry_run_then_apply(rule_runner: RuleRunner) -> None:
    rule_runner.write_files({"src/core/tickets.py": TICKETS})
    tickets = Path(rule_runner.build_root, "src/core/tickets.py")

    dry = run(rule_runner, T4, "--rewrite")
    assert dry.exit_code == 0, dry.stderr
    assert [row for row in inventory(rule_runner) if "tickets" in row[0]] == [
        ("src/core/tickets.py", "1", "structured", "MED", "t4"),
        ("src/core/tickets.py", "2", "structured", "LOW", "t4"),
        ("src/core/tickets.py", "3", "malformed", "", "t4"),
    ]
    assert dry.stdout.splitlines()[-5:] == [
        "Rewrite to the guide's grammar: 2 TODOs in 1 file; 1 left as they are.",
        "Left out of the messages (`drop`): estimate; every value is in the JSON report.",
        "2 TODOs had no date: dated with the run's date.",
        LEFT,
        "Dry run: nothing written; the diff is dist/todo-audit/todo_rewrite.diff. Rerun with "
        "`--todo-audit-apply` to write it.",
    ]
    dist = Path(rule_runner.build_root, "dist/todo-audit")
    assert "+" + REWRITTEN.decode().splitlines()[0] in (dist / "todo_rewrite.diff").read_text()
    assert json.loads((dist / "todo_rewrite.json").read_text())["todos_rewritten"] == 2
    assert tickets.read_bytes() == TICKETS

    applied = run(rule_runner, T4, "--rewrite", "--apply")
    assert applied.exit_code == 0, applied.stderr
    assert applied.stdout.splitlines()[-1] == (
        "Rewrote 2 TODOs in 1 file. The reports above describe the files before the rewrite."
    )
    assert tickets.read_bytes() == REWRITTEN
    assert not Path(rule_runner.build_root, JOURNAL).exists()

    again = run(rule_runner, T4, "--rewrite", "--apply")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[-2:] == [
        "Rewrite to the guide's grammar: 0 TODOs in 0 files; 1 left as they are.",
        LEFT,
    ]
    assert [row for row in inventory(rule_runner) if "tickets" in row[0]] == [
        ("src/core/tickets.py", "1", "structured", "MED", "canonical"),
        ("src/core/tickets.py", "2", "structured", "LOW", "canonical"),
        ("src/core/tickets.py", "3", "malformed", "", "t4"),
    ]


def test_recover_rolls_back_a_killed_apply(rule_runner: RuleRunner) -> None:
    rule_runner.write_files({"src/core/tickets.py": TICKETS})
    root = Path(rule_runner.build_root)
    # What a kill half-way through `--apply` leaves: the journal, the file already rewritten.
    transaction = Transaction.begin(root, root / JOURNAL, ["src/core/tickets.py"], {"action": "x"})
    transaction.write("src/core/tickets.py", REWRITTEN)
    refused = run(rule_runner, T4, "--rewrite", "--apply")
    assert refused.exit_code == 1
    assert f"an interrupted `--apply` left {JOURNAL}" in refused.stderr
    recovered = run(rule_runner, "--recover")
    assert recovered.exit_code == 0, recovered.stderr
    assert (root / "src/core/tickets.py").read_bytes() == TICKETS
    assert not (root / JOURNAL).exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--formats={'t4': {'tag': 'T4-[A-Z'}}"],
            "error: `[todo-audit].formats.t4.tag`: 'T4-[A-Z' is not a regular expression "
            "(unterminated character set at position 3); fix it.",
        ),
        (
            [T4, "--apply"],
            "error: `[todo-audit].apply` writes what `--rewrite` changes: run `pants todo-audit "
            "--rewrite --apply ::` (after a dry run without `--apply`).",
        ),
    ],
)
def test_bad_format_options_are_one_line_errors(
    rule_runner: RuleRunner, args: list[str], message: str
) -> None:
    result = run(rule_runner, *args)
    assert (result.exit_code, result.stderr) == (1, message + "\n")


def test_batches_of_one_file_report_what_one_batch_reports(rule_runner: RuleRunner) -> None:
    # Two files with declared-format TODOs, so that the rewrite takes two batches of one too.
    rule_runner.write_files({"src/core/tickets.py": TICKETS, "src/candidate/tickets.py": TICKETS})
    dist = Path(rule_runner.build_root, "dist/todo-audit")
    reports = []
    for batch_size in ("1", "128"):
        result = run(rule_runner, T4, "--rewrite", f"--lanekeeper-analyzer-batch-size={batch_size}")
        assert result.exit_code == 0, result.stderr
        written = ("todo_inventory.csv", "todo_rewrite.diff", "todo_rewrite.json")
        reports.append((result.stdout, *((dist / name).read_text() for name in written)))
    assert reports[0] == reports[1]
    assert reports[0][1].count("\n") == 10  # the header, three TODOs and 2 x three in tickets
    assert (
        "Rewrite to the guide's grammar: 4 TODOs in 2 files; 2 left as they are." in reports[0][0]
    )


def test_a_batch_size_below_one_is_a_one_line_error(rule_runner: RuleRunner) -> None:
    result = run(rule_runner, "--lanekeeper-analyzer-batch-size=0")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: `[lanekeeper-analyzer].batch_size` must be at least 1, not 0: it is the number "
        "of files each analyzer process takes (default 128)."
    )
