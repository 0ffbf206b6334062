"""`pants promote --apply`/`--rollback` side effects, on a real git repository and processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime, timezone
from io import StringIO
from pathlib import Path, PurePath
from typing import Any, Callable

import pytest
from pants.engine.console import Console
from pants.testutil.option_util import create_subsystem

from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.promote import apply as promote_apply
from lanekeeper.promote.gate import GateResult, Status
from lanekeeper.promote.relocation import Relocation
from lanekeeper.promote.report import PromotionReport
from lanekeeper.promote.signoff import SignOff
from lanekeeper_pants.promote.apply import (
    JOURNAL,
    Applied,
    ApplyError,
    Plan,
    apply_promotion,
    branch_and_commit,
    rollback_promotion,
)
from lanekeeper_pants.promote.apply_goal import ApplySetup, run_apply
from lanekeeper_pants.promote.subsystem import PromoteSubsystem
from lanekeeper_pants.testutil import tree_state

AUDIT_LOG = "promotion-audit.log"
OLD_INIT, NEW_INIT = "pkg/candidate/mod/__init__.py", "pkg/core/mod/__init__.py"
OLD_A, NEW_A = "pkg/candidate/mod/a.py", "pkg/core/mod/a.py"
IMPORTER = "app/main.py"
MOVES = ((OLD_INIT, NEW_INIT), (OLD_A, NEW_A))
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

ORIGINAL = {
    OLD_INIT: b'"""The mod module."""\n\nfrom pkg.candidate.mod.a import answer\n\n'
    b'__all__ = ["answer"]\n',
    OLD_A: b'#!/usr/bin/env python3\n"""Answers (pkg.candidate.mod)."""\n\n\n'
    b"def answer() -> int:\n    return 42\n\n\n"
    b'if __name__ == "__main__":\n    print(answer())\n',
    IMPORTER: b"from pkg.candidate.mod import answer\n\nprint(answer())\n",
}
PROMOTED = {
    NEW_INIT: ORIGINAL[OLD_INIT].replace(b"pkg.candidate", b"pkg.core"),
    NEW_A: ORIGINAL[OLD_A].replace(b"pkg.candidate", b"pkg.core"),
    IMPORTER: ORIGINAL[IMPORTER].replace(b"pkg.candidate", b"pkg.core"),
}
OK = ("sh", "-c", "echo '✓ ok'")
FAILING = ("sh", "-c", "echo '✕ demo/x_test.py:tests failed in 0.1s.'; exit 1")

MakeRecord = Callable[[dict[str, bytes], dict[str, bytes], list[str]], dict[str, Any]]


def status(root: Path) -> str:
    return run_git(root, "status", "--porcelain")


def index_bytes(root: Path) -> bytes:
    """The git index, read without letting `git status` refresh it first."""
    return (root / ".git/index").read_bytes()


def run_git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args]
    return subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture(autouse=True)
def hermetic_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config; an identity for the commits `branch_and_commit` makes."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "t")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "t@example.com")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for path, data in ORIGINAL.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    (root / OLD_A).chmod(0o755)
    (root / "pkg/core").mkdir(parents=True)
    (root / "pkg/core/__init__.py").write_bytes(b"")
    (root / "README.md").write_text("untouched\n")
    (root / ".gitignore").write_text("/.lanekeeper/\n")
    run_git(root, "init", "-q")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-qm", "start")
    status(root)  # let git refresh the index once, so that later reads of it are stable
    return root


def plan(revalidate: tuple[str, ...] = OK) -> Plan:
    return Plan(
        moves=MOVES,
        contents=dict(PROMOTED),
        originals=dict(ORIGINAL),
        revalidate=revalidate,
        audit_log=AUDIT_LOG,
    )


class Recorder:
    """A `make_record` that builds the real audit record and remembers what it was given."""

    def __init__(self, start_commit: str) -> None:
        self.start_commit = start_commit
        self.calls: list[tuple[dict[str, bytes], dict[str, bytes], list[str]]] = []

    def __call__(
        self, changed: dict[str, bytes], created: dict[str, bytes], removed: list[str]
    ) -> dict[str, Any]:
        self.calls.append((changed, created, removed))
        return promote_apply.promotion_record(
            report=PromotionReport(
                "pkg/candidate/mod", "candidate", "core", (GateResult("tests", Status.PASS, "ok"),)
            ),
            relocation=Relocation(
                "pkg/candidate/mod", "pkg/core/mod", "pkg.candidate.mod", "pkg.core.mod", MOVES
            ),
            signoff=SignOff("@owner", ("@a (security)", "@b"), "command line"),
            evidence=b"{}",
            start_commit=self.start_commit,
            changed=changed,
            created=created,
            removed=removed,
            when=WHEN,
        )


def head(root: Path) -> str:
    return run_git(root, "rev-parse", "HEAD").strip()


def apply_ok(root: Path, tmp_path: Path) -> Applied:
    applied = apply_promotion(
        root, plan(), Recorder(head(root)), tmp_path / "out/revalidation.log", lambda _: None
    )
    assert applied.record is not None
    return applied


def test_apply_moves_rewrites_stages_and_logs(repo: Path, tmp_path: Path) -> None:
    log_path = tmp_path / "out/revalidation.log"
    echoed: list[str] = []
    recorder = Recorder(head(repo))

    applied = apply_promotion(repo, plan(), recorder, log_path, echoed.append)

    for path, data in PROMOTED.items():
        assert (repo / path).read_bytes() == data
    assert (repo / NEW_A).stat().st_mode & 0o777 == 0o755
    assert not (repo / "pkg/candidate").exists()
    assert status(repo).splitlines() == [
        f"M  {IMPORTER}",
        f"R  {OLD_INIT} -> {NEW_INIT}",
        f"R  {OLD_A} -> {NEW_A}",
        f"?? {AUDIT_LOG}",
    ]
    assert recorder.calls == [
        (
            {IMPORTER: PROMOTED[IMPORTER]},
            {NEW_INIT: PROMOTED[NEW_INIT], NEW_A: PROMOTED[NEW_A]},
            [OLD_INIT, OLD_A],
        )
    ]
    assert applied.record is not None
    lines = (repo / AUDIT_LOG).read_text().splitlines()
    assert [json.loads(line) for line in lines] == [applied.record]
    assert not (repo / JOURNAL).exists()
    assert applied.revalidation.command == OK
    assert applied.revalidation.exit_code == 0
    assert applied.revalidation.failures == []
    assert log_path.read_text(encoding="utf-8") == "✓ ok\n"
    assert echoed == ["Re-validating: sh -c echo '✓ ok'", "✓ ok"]


def test_failed_revalidation_rolls_everything_back(repo: Path, tmp_path: Path) -> None:
    before, index_before = tree_state(repo), index_bytes(repo)
    log_path = tmp_path / "out/revalidation.log"
    recorder = Recorder(head(repo))
    echoed: list[str] = []

    applied = apply_promotion(repo, plan(FAILING), recorder, log_path, echoed.append)

    assert applied.record is None
    assert applied.revalidation.exit_code == 1
    assert applied.revalidation.failures == ["demo/x_test.py:tests failed in 0.1s."]
    assert recorder.calls == []
    assert index_bytes(repo) == index_before
    assert tree_state(repo) == before
    assert not (repo / AUDIT_LOG).exists() and not (repo / JOURNAL).exists()
    assert not (repo / "pkg/core/mod").exists()
    assert "✕ demo/x_test.py:tests failed in 0.1s." in echoed
    assert log_path.read_text(encoding="utf-8") == "✕ demo/x_test.py:tests failed in 0.1s.\n"


def test_apply_refuses_when_a_file_changed_since_the_plan(repo: Path, tmp_path: Path) -> None:
    (repo / IMPORTER).write_bytes(b"from pkg.candidate.mod import answer  # edited\n")
    before, index_before = tree_state(repo), index_bytes(repo)
    recorder = Recorder(head(repo))

    with pytest.raises(ApplyError) as error:
        apply_promotion(repo, plan(), recorder, tmp_path / "out/revalidation.log", print)

    assert str(error.value) == (
        f"nothing changed: {IMPORTER} changed on disk during the run; run it again."
    )
    assert index_bytes(repo) == index_before
    assert tree_state(repo) == before
    assert recorder.calls == [] and not (tmp_path / "out/revalidation.log").exists()
    assert not (repo / JOURNAL).exists()


def failing_record(
    changed: dict[str, bytes], created: dict[str, bytes], removed: list[str]
) -> dict[str, Any]:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    "revalidate, make_record, raised, message",
    [
        (OK, failing_record, RuntimeError, "boom"),
        (
            ("lanekeeper-no-such-command",),
            Recorder("0" * 40),
            ApplyError,
            "could not re-validate: lanekeeper-no-such-command: No such file or directory "
            "(see `[promote].pants_command`)",
        ),
    ],
    ids=["make_record-raises", "revalidate-command-missing"],
)
def test_an_exception_rolls_back_and_propagates(
    repo: Path,
    tmp_path: Path,
    revalidate: tuple[str, ...],
    make_record: MakeRecord,
    raised: type[BaseException],
    message: str,
) -> None:
    before, index_before = tree_state(repo), index_bytes(repo)

    with pytest.raises(raised) as error:
        apply_promotion(
            repo, plan(revalidate), make_record, tmp_path / "out/revalidation.log", print
        )

    assert str(error.value) == message

    assert index_bytes(repo) == index_before
    assert tree_state(repo) == before
    assert not (repo / AUDIT_LOG).exists() and not (repo / JOURNAL).exists()
    assert not (repo / "pkg/core/mod").exists()


def rollback_record(promotion: dict[str, Any]) -> Callable[[str], dict[str, Any]]:
    return lambda head: promote_apply.rollback_record(promotion, head, WHEN)


def test_rollback_restores_the_start_commit_and_logs_it(repo: Path, tmp_path: Path) -> None:
    before = tree_state(repo)
    start = head(repo)
    promotion = apply_ok(repo, tmp_path).record
    assert promotion is not None and promotion["start_commit"] == start

    record = rollback_promotion(repo, promotion, AUDIT_LOG, rollback_record(promotion))

    assert status(repo) == f"?? {AUDIT_LOG}\n"
    after = tree_state(repo)
    del after[AUDIT_LOG]
    assert after == {**before, "git status": f"?? {AUDIT_LOG}\n"}
    for path, data in ORIGINAL.items():
        assert (repo / path).read_bytes() == data
    assert not (repo / "pkg/core/mod").exists() and (repo / "pkg/core/__init__.py").is_file()
    assert record["rolls_back"] == promotion["id"] and record["head"] == start
    log = (repo / AUDIT_LOG).read_text().splitlines()
    assert [json.loads(line) for line in log] == [promotion, record]
    assert not (repo / JOURNAL).exists()


def edit_created_file(root: Path) -> None:
    (root / NEW_A).write_bytes(b"# edited after the promotion\n")


def delete_changed_file(root: Path) -> None:
    (root / IMPORTER).unlink()


def recreate_removed_file(root: Path) -> None:
    (root / OLD_A).parent.mkdir(parents=True)
    (root / OLD_A).write_bytes(b"# a new file where the module was\n")


@pytest.mark.parametrize(
    "edit, problem",
    [
        (edit_created_file, f"{NEW_A} changed after the promotion"),
        (delete_changed_file, f"{IMPORTER} is gone"),
        (recreate_removed_file, f"{OLD_A} exists again"),
    ],
    ids=["created-file-edited", "changed-file-deleted", "removed-file-recreated"],
)
def test_rollback_refuses_to_lose_a_later_change(
    repo: Path, tmp_path: Path, edit: Callable[[Path], None], problem: str
) -> None:
    promotion = apply_ok(repo, tmp_path).record
    assert promotion is not None
    edit(repo)
    before, index_before = tree_state(repo), index_bytes(repo)

    with pytest.raises(ApplyError) as error:
        rollback_promotion(repo, promotion, AUDIT_LOG, rollback_record(promotion))

    assert str(error.value) == (
        f"nothing changed: {problem}. Those changes would be lost: revert the promotion by hand "
        "(or with `git revert`) instead."
    )
    assert index_bytes(repo) == index_before
    assert tree_state(repo) == before
    assert len((repo / AUDIT_LOG).read_text().splitlines()) == 1
    assert not (repo / JOURNAL).exists()


def test_a_failed_git_step_rolls_the_rollback_back(repo: Path, tmp_path: Path) -> None:
    promotion = apply_ok(repo, tmp_path).record
    assert promotion is not None
    gone = {**promotion, "start_commit": "1" * 40}  # e.g. a commit lost to a rebase and gc
    before, index_before = tree_state(repo), index_bytes(repo)

    with pytest.raises(ApplyError) as error:
        rollback_promotion(repo, gone, AUDIT_LOG, rollback_record(gone))

    assert str(error.value) == (
        f"`git checkout {'1' * 40} -- app/main.py pkg/candidate/mod/__init__.py "
        f"pkg/candidate/mod/a.py` failed: fatal: reference is not a tree: {'1' * 40}"
    )
    assert index_bytes(repo) == index_before  # the created files are back in the index too
    assert tree_state(repo) == before
    assert len((repo / AUDIT_LOG).read_text().splitlines()) == 1
    assert not (repo / JOURNAL).exists()


def test_branch_and_commit_commits_the_promotion_with_its_audit_log(
    repo: Path, tmp_path: Path
) -> None:
    start = head(repo)
    apply_ok(repo, tmp_path)
    message = "Promote pkg.candidate.mod to pkg.core.mod\n\nWhy it is ready.\n\nAudit-Id: abc\n"

    done = branch_and_commit(repo, "promote/mod-20240102", message, AUDIT_LOG)

    short = run_git(repo, "rev-parse", "--short", "HEAD").strip()
    assert done == ["created branch promote/mod-20240102", f"committed {short}"]
    assert run_git(repo, "branch", "--show-current") == "promote/mod-20240102\n"
    assert run_git(repo, "log", "-1", "--format=%B") == message + "\n"
    assert run_git(repo, "rev-parse", "HEAD~1").strip() == start
    assert status(repo) == ""
    diff = run_git(repo, "diff", "--name-status", "-M", "HEAD~1", "HEAD").splitlines()
    committed = sorted((line[0], *line.split("\t")[1:]) for line in diff)
    assert committed == [
        ("A", AUDIT_LOG),
        ("M", IMPORTER),
        ("R", OLD_INIT, NEW_INIT),
        ("R", OLD_A, NEW_A),
    ]
    assert run_git(repo, "show", f"HEAD:{AUDIT_LOG}") == (repo / AUDIT_LOG).read_text()


def test_branch_and_commit_does_only_what_it_is_asked(repo: Path, tmp_path: Path) -> None:
    start = head(repo)
    apply_ok(repo, tmp_path)
    before = tree_state(repo)

    assert branch_and_commit(repo, None, None, AUDIT_LOG) == []
    assert tree_state(repo) == before and head(repo) == start

    assert branch_and_commit(repo, "promote/only-a-branch", None, AUDIT_LOG) == [
        "created branch promote/only-a-branch"
    ]
    assert run_git(repo, "branch", "--show-current") == "promote/only-a-branch\n"
    assert tree_state(repo) == before and head(repo) == start


def test_the_goal_reports_a_failed_revalidation_as_one_error_naming_the_check(
    repo: Path, tmp_path: Path
) -> None:
    """What `pants promote --apply` prints when the re-validation fails after the move."""
    stdout, stderr = StringIO(), StringIO()
    before = tree_state(repo)
    lanes = LaneConfig.parse(
        order=["candidate", "core"],
        libraries=[],
        paths={"candidate": ["pkg/candidate/**"], "core": ["pkg/core/**"]},
        allowed_imports={},
        production=["core"],
    )
    relocation = Relocation(
        "pkg/candidate/mod", "pkg/core/mod", "pkg.candidate.mod", "pkg.core.mod", MOVES
    )
    report = PromotionReport(
        "pkg/candidate/mod", "candidate", "core", (GateResult("tests", Status.PASS, "ok"),)
    )
    exit_code = run_apply(
        Console(stdout=stdout, stderr=stderr, use_colors=False),
        ApplySetup(plan(FAILING), relocation, head(repo)),
        report,
        SignOff("@owner", ("@a (security)", "@b"), "command line"),
        b"{}",
        lanes,
        create_subsystem(PromoteSubsystem, audit_log=AUDIT_LOG, branch=False, commit=False),
        repo,
        PurePath("dist/promote/pkg.candidate.mod"),
    )
    assert exit_code == 1
    assert stdout.getvalue() == ""
    assert stderr.getvalue().splitlines()[-1] == (
        "error: re-validation failed, so the promotion was rolled back and the tree is as it "
        "was: demo/x_test.py:tests failed in 0.1s.. Full output: "
        "dist/promote/pkg.candidate.mod/revalidation.log"
    )
    log = repo / "dist/promote/pkg.candidate.mod/revalidation.log"
    assert log.read_text(encoding="utf-8") == "✕ demo/x_test.py:tests failed in 0.1s.\n"
    shutil.rmtree(repo / "dist")
    assert tree_state(repo) == before
