"""Run the real `./pants` on a throwaway copy of this repo, as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench_common import REPO_SNAPSHOT


@dataclass(frozen=True)
class PantsResult:
    exit_code: int
    stdout: str
    stderr: str


def copy_repo(dest: Path) -> Path:
    """Copy the repo snapshot in the test sandbox to `dest`, as a fresh git repo."""
    for name in REPO_SNAPSHOT:
        source = Path(name)
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    (dest / "pants").chmod(0o755)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    return dest


# Pants 2.17 now and then loses a digest it has just stored while other Pants processes share
# the store, and fails the whole run with this engine error (pantsbuild/pants#19748, still
# open). lanekeeper's goals write only after their last engine request (and an apply whose
# re-validation hits it rolls back), so a run that failed with it changed nothing: run it
# once more.
LOST_DIGEST = "Could not identify a process to backtrack to"


def run_pants(repo: Path, *args: str) -> PantsResult:
    """Run `./pants <args>` in `repo` without a daemon, so no process outlives the test."""
    env = {**os.environ, "PANTS_PANTSD": "false", "NO_COLOR": "1"}
    for _ in range(2):
        completed = subprocess.run(
            ["./pants", "--no-dynamic-ui", *args],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if completed.returncode == 0 or LOST_DIGEST not in completed.stderr:
            break
    return PantsResult(completed.returncode, completed.stdout, completed.stderr)
