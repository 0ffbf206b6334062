from __future__ import annotations

import json
from pathlib import Path

import pytest
from pants.core.goals.fix import FixResult
from pants.engine.fs import DigestContents
from pants.testutil.rule_runner import RuleRunner

from lanekeeper.testing import RENAMES
from lanekeeper_pants.analyzer.testutil import analyzer_rule_runner
from lanekeeper_pants.matriz_migrate.rules import (
    JOURNAL,
    MatrizMigrateFixRequest,
    MatrizMigrateGoal,
)
from lanekeeper_pants.testutil import ENV_INHERIT, lane_args, pex_global_args
from lanekeeper_pants.transaction import Transaction

RENAME_ARG = f"--matriz-migrate-renames={dict(RENAMES)!r}"
LANE_ARGS = [
    "--source-root-patterns=['src']",
    *lane_args("candidate", "core", "matriz", "MATRIZ"),
    RENAME_ARG,
]
RANK = b"import matriz.graph\r\n\r\n\r\ndef rank():\r\n    return matriz.graph.order()  # keep\r\n"
DREAM = b'from matriz import Node as N\nimport matriz_utils\nmock_target = "matriz.graph.f"\n'


# The module's starting tree; every test begins from it (`analyzer_rule_runner`).
FILES: dict[str, str | bytes] = {
    "src/core/rank.py": RANK,
    "src/core/BUILD": "python_sources()",
    "src/candidate/dream.py": DREAM,
    "src/candidate/BUILD": "python_sources()",
}


@pytest.fixture
def rule_runner() -> RuleRunner:
    return analyzer_rule_runner(FILES)


def run(rule_runner: RuleRunner, *args: str):
    return rule_runner.run_goal_rule(
        MatrizMigrateGoal,
        global_args=[*pex_global_args(), *LANE_ARGS],
        args=[*args, "::"],
        env_inherit=ENV_INHERIT,
    )


def test_fixer_rewrites_the_snapshot_and_keeps_crlf(rule_runner: RuleRunner) -> None:
    rule_runner.set_options(
        [*pex_global_args(), RENAME_ARG],
        env_inherit=ENV_INHERIT,
    )
    files = {"src/core/rank.py": RANK, "src/candidate/dream.py": DREAM}
    snapshot = rule_runner.make_snapshot(files)
    batch = MatrizMigrateFixRequest.Batch("matriz-migrate", tuple(sorted(files)), None, snapshot)
    result = rule_runner.request(FixResult, [batch])
    assert result.did_change
    contents = {
        c.path: c.content for c in rule_runner.request(DigestContents, [result.output.digest])
    }
    assert contents["src/core/rank.py"] == RANK.replace(b"matriz", b"MATRIZ")
    assert contents["src/candidate/dream.py"] == DREAM.replace(
        b"from matriz import", b"from MATRIZ import"
    )
    assert result.stdout == (
        "src/candidate/dream.py:3: string reference 'matriz.graph.f' left "
        "(see `--matriz-migrate-rewrite-strings`)"
    )


def test_dry_run_check_and_apply(rule_runner: RuleRunner) -> None:
    dry = run(rule_runner, "--group-by=lane")
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout.splitlines()[:4] == [
        "group      files  imports  use sites  dynamic left  errors  rename lines  format lines",
        "candidate      1        1          0             1       0             1             0",
        "core           1        1          1             0       0             2             0",
        "total          2        2          1             1       0             3             0",
    ]
    dist = Path(rule_runner.build_root, "dist", "matriz-migrate")
    assert sorted(p.name for p in dist.iterdir()) == [
        "dryrun_candidate.html",
        "dryrun_candidate.json",
        "dryrun_core.html",
        "dryrun_core.json",
        "matriz-migrate.sarif",
        "migration-summary.md",
        "report.json",
    ]
    assert json.loads((dist / "dryrun_core.json").read_text())["changes"][0] == {
        "file": "src/core/rank.py",
        "line": 1,
        "kind": "import",
        "before": "matriz.graph",
        "after": "MATRIZ.graph",
    }
    assert Path(rule_runner.build_root, "src/core/rank.py").read_bytes() == RANK

    check = run(rule_runner, "--check")
    assert check.exit_code == 1
    assert (
        "src/core/rank.py:1: legacy import `matriz.graph` in production lane core; "
        "use `MATRIZ.graph`"
    ) in check.stdout.splitlines()
    assert "src/candidate/dream.py" not in check.stdout.split("Summary:")[1]

    applied = run(rule_runner, "--apply", "--check")
    assert applied.exit_code == 0, applied.stdout
    assert "Rewrote 2 files." in applied.stdout
    assert not Path(rule_runner.build_root, JOURNAL).exists()
    assert Path(rule_runner.build_root, "src/core/rank.py").read_bytes() == RANK.replace(
        b"matriz", b"MATRIZ"
    )
    again = run(rule_runner)
    assert again.stdout.splitlines()[:3] == [
        "group          files  imports  use sites  dynamic left  errors  rename lines  "
        "format lines",
        "src/candidate      0        0          0             1       0             0  "
        "           0",
        "total              0        0          0             1       0             0  "
        "           0",
    ]


def test_recover_finishes_the_rollback_of_a_killed_apply(rule_runner: RuleRunner) -> None:
    root = Path(rule_runner.build_root)
    # What a kill half-way through `--apply` leaves: the journal, one file already rewritten.
    paths = ["src/core/rank.py", "src/candidate/dream.py"]
    transaction = Transaction.begin(root, root / JOURNAL, paths, {"action": "matriz-migrate"})
    transaction.write("src/core/rank.py", RANK.replace(b"matriz", b"MATRIZ"))

    refused = run(rule_runner, "--apply")
    assert refused.exit_code == 1
    assert f"an interrupted `--apply` left {JOURNAL}" in refused.stderr

    recovered = run(rule_runner, "--recover")
    assert recovered.exit_code == 0, recovered.stderr
    assert recovered.stdout.startswith("Recovered: the interrupted matriz-migrate is rolled back")
    assert (root / "src/core/rank.py").read_bytes() == RANK
    assert (root / "src/candidate/dream.py").read_bytes() == DREAM
    assert not (root / JOURNAL).exists()
    nothing = run(rule_runner, "--recover")
    assert nothing.stdout == f"Nothing to recover: there is no {JOURNAL}.\n"


def test_pull_request_groups_apply_one_at_a_time(rule_runner: RuleRunner) -> None:
    # Python 2: it cannot be parsed, but no import in it names a legacy module.
    rule_runner.write_files({"src/candidate/py2.py": b'print "matriz is the old name"\n'})
    args = ("--group-by=pull-request", "--max-lines=2")
    dry = run(rule_runner, *args)
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout.splitlines()[:4] == [
        "group          files  imports  use sites  dynamic left  errors  rename lines  "
        "format lines",
        "src/candidate      1        1          0             1       1             1  "
        "           0",
        "src/core           1        1          1             0       0             2  "
        "           0",
        "total              2        2          1             1       1             3  "
        "           0",
    ]
    summary = Path(rule_runner.build_root, "dist/matriz-migrate/migration-summary.md")
    lines = summary.read_text().splitlines()
    assert (
        "In order; apply one at a time with `pants matriz-migrate --apply "
        "--group-by=pull-request --max-lines=2 --group=<group> <specs>`."
    ) in lines
    assert "- `src/core`: `src/core`" in lines

    applied = run(rule_runner, "--apply", "--group=src/core", *args)
    assert applied.exit_code == 0, applied.stderr
    assert "Rewrote 1 file (group src/core)." in applied.stdout
    assert Path(rule_runner.build_root, "src/core/rank.py").read_bytes() == RANK.replace(
        b"matriz", b"MATRIZ"
    )
    assert Path(rule_runner.build_root, "src/candidate/dream.py").read_bytes() == DREAM

    unknown = run(rule_runner, "--apply", "--group=src/core", *args)
    assert unknown.exit_code == 1
    assert unknown.stderr == (
        "error: `[matriz-migrate].group`: no group 'src/core' with `--group-by=pull-request` "
        "(groups: `src/candidate`); see dist/matriz-migrate/migration-summary.md of a dry run.\n"
    )


@pytest.mark.parametrize(
    "option, message",
    [
        (
            "--renames={'matriz': 'matriz.v2'}",
            "error: `[matriz-migrate].renames`: 'matriz' -> 'matriz.v2' renames a module under "
            "its own name, so a second run would rewrite it again; pick a name outside it.",
        ),
        (
            "--allowed-paths=['src/**/']",
            "error: `[matriz-migrate].allowed_paths`: 'src/**/' is not a valid path glob: it "
            "has an empty segment; remove the extra '/'.",
        ),
    ],
)
def test_bad_options_are_one_line_errors(
    rule_runner: RuleRunner, option: str, message: str
) -> None:
    result = run(rule_runner, option)
    assert result.exit_code == 1
    assert result.stderr == message + "\n"
