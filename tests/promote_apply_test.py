"""End to end: `./pants promote --apply`, `--rollback` and `--recover` on a git copy of demo/."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from pants_repo import PantsRepo, PantsResult, commit_tagged, git, reset_to

READY = "demo/candidate/memory_index"
PROMOTED = "demo/core/memory_index"
NOT_READY = "demo/candidate/dream_engine"
IMPORTERS = (
    "demo/candidate/orchestrator/executor.py",
    "demo/candidate/orchestrator/planner.py",
    "demo/candidate/orchestrator/planner_test.py",
)
ORCHESTRATOR_BUILD = "demo/candidate/orchestrator/BUILD"
AUDIT_LOG = "promotion-audit.log"
JOURNAL = ".lanekeeper/promote.journal"
# What a run may write besides the tree it works on: Pants' own folders and the reports.
NOT_THE_TREE = {".git", ".pants.d", "dist", ".lanekeeper", "__pycache__", ".pids"}


@pytest.fixture(scope="module")
def committed(promote_repo: PantsRepo) -> PantsRepo:
    """The repo, committed as `start` with an explicit dependency on the module's old address
    in a BUILD file, which a move must follow."""
    reset_to(promote_repo.root, "base")
    (promote_repo.root / ORCHESTRATOR_BUILD).write_text(
        f'python_sources(dependencies=["{READY}/index.py"])\n\npython_tests(name="tests")\n'
    )
    commit_tagged(promote_repo.root, "start", "start")
    return promote_repo


def reset(root: Path) -> None:
    """Put the committed repo back as it was at `start`."""
    reset_to(root, "start")


@pytest.fixture
def repo(committed: PantsRepo) -> PantsRepo:
    """The committed repo, as it was at `start`, before each test."""
    reset(committed.root)
    return committed


def tree_state(repo: Path) -> dict[str, object]:
    """Every file's bytes and mode, the index entries and `git status`: what must not change."""
    files = {}
    for path in sorted(repo.rglob("*")):
        relative = path.relative_to(repo)
        if path.is_file() and not NOT_THE_TREE & set(relative.parts):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files[str(relative)] = (digest, path.stat().st_mode)
    return {
        "files": files,
        "index": git(repo, "ls-files", "--stage"),
        "status": git(repo, "status", "--porcelain", "--untracked-files=all"),
    }


def apply(repo: PantsRepo, module: str, *args: str) -> PantsResult:
    return repo.run("promote", "--to=core", "--apply", *args, f"{module}::")


def test_a_dirty_tree_is_refused_and_nothing_changes(repo: PantsRepo) -> None:
    planner = repo.root / IMPORTERS[1]
    planner.write_text(planner.read_text() + "\n# an edit nobody committed\n")
    before = tree_state(repo.root)
    result = apply(repo, READY)
    assert result.exit_code == 1
    assert "not applied, nothing changed" in result.stderr
    assert f"1 uncommitted change ({IMPORTERS[1]})" in result.stderr
    assert tree_state(repo.root) == before


def test_apply_rollback_and_a_killed_apply_recovered(repo: PantsRepo, tmp_path: Path) -> None:
    """`--apply --branch --commit`, `--rollback`, then an apply killed mid-way and `--recover`,
    in one test: the killed apply relies on the gates the first apply ran (see below)."""
    root = repo.root
    start = git(root, "rev-parse", "HEAD").strip()
    before = tree_state(root)

    # The sign-off as people type it (`alice` is `@alice`), with a space before a value.
    signoff = ("--owner", "alice", "--reviewers=bob,@carol (security)")
    result = apply(repo, READY, *signoff, "--branch", "--commit")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Promoted candidate.memory_index -> core.memory_index" in result.stdout
    # The module moved, as git renames: its history follows it.
    renames = git(root, "diff", "--name-status", "-M", start, "HEAD").splitlines()
    for name in ("__init__.py", "index.py", "BUILD", "PROMOTE.md"):
        assert f"R100\t{READY}/{name}\t{PROMOTED}/{name}" in renames
    assert not (root / READY).exists()
    # Every importer now imports the new module, and nothing names the old one.
    for importer in IMPORTERS:
        assert "from core.memory_index.index import MemoryIndex" in (root / importer).read_text()
    mentions = [p for p in (root / "demo").rglob("*") if p.suffix in (".py", "") and p.is_file()]
    assert [p for p in mentions if b"candidate.memory_index" in p.read_bytes()] == []
    # The re-validation ran the moved module's tests where they now are, and the importers'
    # tests too: the promoted monorepo's tests that the move could break pass.
    revalidation = (root / "dist/promote/candidate.memory_index/revalidation.log").read_text()
    for test in (f"{PROMOTED}/index_test.py", IMPORTERS[2]):
        assert f"✓ {test}:tests succeeded" in revalidation
    # The audit record, and the commit and branch it asked for.
    (line,) = (root / AUDIT_LOG).read_text().splitlines()
    record = json.loads(line)
    evidence = root / "dist/promote/candidate.memory_index/evidence.json"
    assert record["module"] == "candidate.memory_index"
    assert record["new_module"] == "core.memory_index"
    assert (record["from"], record["to"], record["start_commit"]) == ("candidate", "core", start)
    assert (record["owner"], record["reviewers"]) == ("@alice", ["@bob", "@carol (security)"])
    assert record["evidence_sha256"] == hashlib.sha256(evidence.read_bytes()).hexdigest()
    assert record["gates"]["tests"] == "PASS" and record["gates"]["sign-off"] == "NEEDS-HUMAN"
    assert sorted(record["changed"]) == sorted([ORCHESTRATOR_BUILD, *IMPORTERS])
    assert f'"{PROMOTED}/index.py"' in (root / ORCHESTRATOR_BUILD).read_text()
    today = date.today().strftime("%Y%m%d")
    assert git(root, "branch", "--show-current").strip() == f"promote/memory_index-{today}"
    message = git(root, "log", "-1", "--format=%B")
    assert message.startswith("Promote candidate.memory_index to core.memory_index\n")
    assert f"Audit-Id: {record['id']}" in message
    assert git(root, "status", "--porcelain") == ""

    # The id as people type it after git's habit: with a space.
    rollback = repo.run("promote", "--rollback", record["id"][:8])
    assert rollback.exit_code == 0, rollback.stdout + rollback.stderr
    assert f"Rolled back promotion {record['id']}" in rollback.stdout
    # Every file is as it was at the start commit; only the audit log is new.
    after = tree_state(root)
    audit = after["files"].pop(AUDIT_LOG)  # type: ignore[attr-defined]
    assert audit and after["files"] == before["files"]
    assert git(root, "diff", "--name-only", start).split() == [AUDIT_LOG]
    rolled_back = json.loads((root / AUDIT_LOG).read_text().splitlines()[1])
    assert rolled_back["action"] == "rollback" and rolled_back["rolls_back"] == record["id"]

    # The module is back as it was when the first apply evaluated its gates.
    reset(root)
    a_killed_apply_is_recovered(repo, tmp_path / "apply.stderr")


# Tool processes that a run must not start again when the module has not changed.
TOOL_PROCESSES = re.compile(
    r'description: "(Run Pytest|Run ruff|Run mypy|Run black|Run detect-secrets|Check syntax'
    r"|Run lanekeeper)"
)


def a_killed_apply_is_recovered(repo: PantsRepo, debug_log: Path) -> None:
    """A run killed after the move leaves its journal; `--recover` restores the tree. The run
    is without pantsd, as in CI, so it also shows that the gates of a module that has not
    changed since an earlier run evaluated them come from the disk cache: no tool process
    runs again."""
    root = repo.root
    before = tree_state(root)
    log = root / "dist/promote/candidate.memory_index/revalidation.log"
    # Without pantsd: the process that moves the files is the one killed.
    with debug_log.open("w") as stderr:
        process = subprocess.Popen(
            ["./pants", "--no-dynamic-ui", "-ldebug", "promote", "--to=core", "--apply"]
            + [f"{READY}::"],
            cwd=root,
            env={**os.environ, "PANTS_PANTSD": "false", "NO_COLOR": "1"},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 600
            # The re-validation has started: the files are moved and rewritten.
            while not log.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            assert process.poll() is None, "the apply ended before it could be killed"
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert (root / JOURNAL).exists()
    assert (root / PROMOTED / "index.py").exists() and tree_state(root) != before
    spawned = [line for line in debug_log.read_text().splitlines() if "spawned local" in line]
    assert [m.group(1) for line in spawned for m in [TOOL_PROCESSES.search(line)] if m] == []

    result = repo.run("promote", "--recover")
    assert result.exit_code == 0, result.stderr
    assert "Recovered: the interrupted promote is rolled back" in result.stdout
    assert tree_state(root) == before
    assert not (root / JOURNAL).exists()
