"""The side effects of `pants promote --apply`, `--rollback` and `--recover`.

Every change happens inside a journaled `Transaction`: the files, the git index and the audit
log are journaled before the first change, so a failure rolls back from memory and a killed
run is rolled back by `--recover`. What may happen is decided by `lanekeeper.promote.apply`;
this module only does it.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

from lanekeeper.promote import apply as policy
from lanekeeper_pants.transaction import (
    StaleFiles,
    Transaction,
    ensure_unchanged,
    read_if_file,
    remove_empty_parents,
)

# A dot directory: Pants does not watch it, and `git status` ignores it via .gitignore.
JOURNAL = ".lanekeeper/promote.journal"


class ApplyError(Exception):
    """The apply or rollback did not happen (the tree is as it was); the message says why."""


def git(root: Path, *args: str, stdin: Optional[str] = None) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=root, input=stdin, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise ApplyError(f"`git {' '.join(args)}` failed: {completed.stderr.strip()}")
    return completed.stdout


def _git_index(root: Path) -> str:
    """The index file, journaled so that staged moves roll back too (`.git/index` mostly)."""
    return git(root, "rev-parse", "--git-path", "index").strip()


@dataclass(frozen=True)
class Plan:
    """Everything an apply writes, computed before anything is written."""

    moves: tuple[tuple[str, str], ...]  # (old path, new path)
    contents: Mapping[str, bytes]  # final path -> new bytes: moved files and rewritten files
    originals: Mapping[str, bytes]  # path -> the bytes the plan was computed from
    revalidate: tuple[str, ...]  # the command that re-validates the result
    audit_log: str


@dataclass(frozen=True)
class Revalidation:
    command: tuple[str, ...]
    exit_code: int
    output: str

    @property
    def failures(self) -> list[str]:
        return policy.revalidation_failures(self.output)


@dataclass(frozen=True)
class Applied:
    record: Optional[dict[str, Any]]  # None when the re-validation failed (and rolled back)
    revalidation: Revalidation


def _run_streaming(
    root: Path, command: Sequence[str], log_path: Path, echo: Callable[[str], None]
) -> Revalidation:
    """Run `command`, echoing its output line by line and keeping it in `log_path`."""
    env = {**os.environ, "NO_COLOR": "1"}
    lines = []
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        try:
            process = subprocess.Popen(
                command,
                cwd=root,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
            )
        except OSError as e:
            raise ApplyError(
                f"could not re-validate: {command[0]}: {e.strerror} (see `[promote].pants_command`)"
            ) from e
        assert process.stdout is not None
        try:
            for line in process.stdout:
                log.write(line)
                lines.append(line)
                echo(line.rstrip("\n"))
        except BaseException:
            # Interrupted: stop it before the tree is restored under it.
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            raise
        exit_code = process.wait()
    return Revalidation(tuple(command), exit_code, "".join(lines))


def apply_promotion(
    root: Path,
    plan: Plan,
    make_record: Callable[[dict[str, bytes], dict[str, bytes], list[str]], dict[str, Any]],
    log_path: Path,
    echo: Callable[[str], None],
) -> Applied:
    """Move, rewrite, stage, re-validate; keep it all and log it, or roll it all back."""
    try:
        ensure_unchanged(root, plan.originals)
    except StaleFiles as e:
        raise ApplyError(f"nothing changed: {e}") from e
    moved_to = dict(plan.moves)
    paths = [*moved_to, *moved_to.values(), *plan.contents, _git_index(root), plan.audit_log]
    transaction = Transaction.begin(
        root, root / JOURNAL, paths, {"action": "promote", "moves": len(plan.moves)}
    )
    try:
        for old, new in plan.moves:
            transaction.move(old, new)
            remove_empty_parents(root, (root / old).parent)
        for path, data in plan.contents.items():
            transaction.write(path, data)
        touched = sorted({*moved_to, *moved_to.values(), *plan.contents})
        git(root, "add", "-A", "--", *touched)
        echo(f"Re-validating: {' '.join(plan.revalidate)}")
        revalidation = _run_streaming(root, plan.revalidate, log_path, echo)
        if revalidation.exit_code != 0:
            transaction.rollback()
            return Applied(None, revalidation)
        new_paths = set(moved_to.values())
        changed = {p: d for p, d in plan.contents.items() if p not in new_paths}
        created = {new: (root / new).read_bytes() for new in new_paths}
        record = make_record(changed, created, sorted(moved_to))
        transaction.append(plan.audit_log, policy.audit_line(record).encode())
    except BaseException:
        transaction.rollback()
        raise
    transaction.commit()
    return Applied(record, revalidation)


def branch_and_commit(
    root: Path, branch: Optional[str], commit_message: Optional[str], audit_log: str
) -> list[str]:
    """Create the branch and/or commit the promotion (with its audit line); what was done."""
    done = []
    if branch:
        git(root, "switch", "-q", "-c", branch)
        done.append(f"created branch {branch}")
    if commit_message is not None:
        git(root, "add", "--", audit_log)
        git(root, "commit", "-q", "-F", "-", stdin=commit_message)
        done.append(f"committed {git(root, 'rev-parse', '--short', 'HEAD').strip()}")
    return done


def rollback_promotion(
    root: Path, promotion: Mapping[str, Any], audit_log: str, make_record: Callable[[str], dict]
) -> dict[str, Any]:
    """Restore the promotion's files from its start commit and log it; the rollback record."""
    restore, created = policy.rollback_paths(promotion)
    current = {p: read_if_file(root / p) for p in [*restore, *created]}
    problems = policy.rollback_refusals(promotion, current)
    if problems:
        raise ApplyError(
            f"nothing changed: {'; '.join(problems[:10])}. Those changes would be lost: "
            "revert the promotion by hand (or with `git revert`) instead."
        )
    head = git(root, "rev-parse", "HEAD").strip()
    record = make_record(head)
    transaction = Transaction.begin(
        root,
        root / JOURNAL,
        [*restore, *created, _git_index(root), audit_log],
        {"action": "rollback", "promotion": promotion["id"]},
    )
    try:
        git(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *created)
        for path in created:
            transaction.remove(path)
            remove_empty_parents(root, (root / path).parent)
        git(root, "checkout", promotion["start_commit"], "--", *restore)
        transaction.append(audit_log, policy.audit_line(record).encode())
    except BaseException:
        transaction.rollback()
        raise
    transaction.commit()
    return record
