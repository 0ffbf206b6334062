"""Run the real `./pants` on a throwaway copy of this repo, as a user would.

A copy lives in the test's sandbox (its working directory), not in pytest's temporary
directories: Pants deletes the sandbox when the test process ends, however it ends, and a
pantsd whose build root is gone exits within seconds (it checks its pid file). So no daemon
outlives the test run even when a test is killed before its teardown stops it.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from bench_common import PANTSD_NOT_STARTED, copy_repo_snapshot, stop_pantsd


@dataclass(frozen=True)
class PantsResult:
    exit_code: int
    stdout: str
    stderr: str


_COPIES = itertools.count()


def sandbox_dir(name: str) -> Path:
    """A new, empty directory in the test's sandbox."""
    path = Path.cwd() / ".e2e" / f"{name}-{next(_COPIES)}"
    path.mkdir(parents=True)
    return path


def git(repo: Path, *args: str) -> str:
    """`git <args>` in `repo`; its stdout."""
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


def reset_to(root: Path, tag: str) -> None:
    """Put a git copy of the repo back as it was at `tag`, on `main`, with no other branch and
    no untracked files or reports (ignored ones too: `dist`, `.lanekeeper`)."""
    git(root, "checkout", "-q", "-f", "main")
    git(root, "reset", "-q", "--hard", tag)
    git(root, "clean", "-qfd")
    for branch in git(root, "branch", "--format=%(refname:short)").split():
        if branch != "main":
            git(root, "branch", "-q", "-D", branch)
    for leftover in ("dist", ".lanekeeper"):
        shutil.rmtree(root / leftover, ignore_errors=True)


def commit_tagged(root: Path, message: str, tag: str) -> None:
    """Commit every change in `root` as `message` and tag the commit `tag`."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    git(root, "tag", "-f", tag)


def copy_repo(dest: Path) -> Path:
    """Copy the repo snapshot in the test sandbox to `dest`, as a fresh git repo."""
    return copy_repo_snapshot(dest, Path.cwd())


# Pants 2.17 now and then loses a digest it has just stored while other Pants processes share
# the store, and fails the whole run with this engine error (pantsbuild/pants#19748, still
# open). lanekeeper's goals write only after their last engine request (and an apply whose
# re-validation hits it rolls back), so a run that failed with it changed nothing: run it
# once more.
LOST_DIGEST = "Could not identify a process to backtrack to"


def run_pants(
    repo: Path, *args: str, pantsd: bool = False, env: dict[str, str] | None = None
) -> PantsResult:
    """Run `./pants <args>` in `repo`; without a daemon unless `pantsd` (see `PantsRepo`)."""
    result = _run(repo, args, pantsd, env)
    if pantsd and PANTSD_NOT_STARTED in result.stderr:
        # The daemon may be up by now; if not, the same run without it (only slower).
        result = _run(repo, args, True, env)
        if PANTSD_NOT_STARTED in result.stderr:
            result = _run(repo, args, False, env)
    return result


def _run(
    repo: Path, args: tuple[str, ...], pantsd: bool, env: dict[str, str] | None
) -> PantsResult:
    run_env = {
        **os.environ,
        **(env or {}),
        "PANTS_PANTSD": "true" if pantsd else "false",
        "NO_COLOR": "1",
    }
    for _ in range(2):
        completed = subprocess.run(
            ["./pants", "--no-dynamic-ui", *args],
            cwd=repo,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if completed.returncode == 0 or LOST_DIGEST not in completed.stderr:
            break
    return PantsResult(completed.returncode, completed.stdout, completed.stderr)


@dataclass(frozen=True)
class PantsRepo:
    """A copy of this repo whose `./pants` runs use pantsd, as Pants does by default.

    The first run starts the daemon (Pants' own start-up: about 30 s on the 2-core machines);
    every later run reuses its rule graph and memoized work, so a test module pays the
    start-up once rather than once per run. `pants_repo()` stops the daemon at the end.
    """

    root: Path

    def run(self, *args: str) -> PantsResult:
        return run_pants(self.root, *args, pantsd=True)


@contextmanager
def pantsd_in(root: Path) -> Iterator[PantsRepo]:
    """`./pants` runs in `root` with pantsd; the daemon is stopped at exit (SIGTERM, then
    SIGKILL after 30 s), and this returns once it is gone."""
    try:
        yield PantsRepo(root)
    finally:
        stop_pantsd(root)


@contextmanager
def pants_repo(name: str) -> Iterator[PantsRepo]:
    """A fresh copy of this repo in the sandbox, run with pantsd (see `pantsd_in`)."""
    with pantsd_in(copy_repo(sandbox_dir(name))) as repo:
        yield repo
