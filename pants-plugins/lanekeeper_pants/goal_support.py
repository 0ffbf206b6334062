"""What lanekeeper's goals share: a date option, the baseline file, the written reports, and
the checks, journaled write and recovery of the goals that change files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

from pants.base.build_root import BuildRoot
from pants.engine.console import Console
from pants.engine.fs import (
    CreateDigest,
    Digest,
    DigestContents,
    FileContent,
    GlobMatchErrorBehavior,
    PathGlobs,
    Workspace,
)
from pants.engine.rules import Get
from pants.util.strutil import pluralize
from pants.vcs.git import GitWorktreeRequest, MaybeGitWorktree

from lanekeeper_pants.transaction import Transaction, TransactionError, ensure_unchanged, recover


def date_option(scope: str, value: Optional[str]) -> date:
    """`[<scope>].today` as a date (today when unset); ValueError naming the option and fix."""
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"`[{scope}].today`: {value!r} is not a date; write it as YYYY-MM-DD.")


async def read_build_root_file(path: str) -> Optional[str]:
    """The text of `path` (relative to the build root), or None when there is no such file."""
    contents = await Get(
        DigestContents,
        PathGlobs([path], glob_match_error_behavior=GlobMatchErrorBehavior.ignore),
    )
    return contents[0].content.decode() if contents else None


async def write_files(workspace: Workspace, files: Mapping[Path, str]) -> None:
    """Write every report in one digest, so a run never leaves half of them."""
    digest = await Get(
        Digest,
        CreateDigest(FileContent(str(path), text.encode()) for path, text in files.items()),
    )
    workspace.write_digest(digest)


async def rewrite_refusal(
    errors: Sequence[tuple[str, str]], paths: Iterable[str], build_root: BuildRoot
) -> Optional[str]:
    """Why a rewrite must write nothing, or None: a file it could not rewrite (`errors`, path
    and error), or a file to rewrite (`paths`) with uncommitted git changes."""
    if errors:
        listed = "; ".join(f"{path}: {error}" for path, error in errors[:10])
        return (
            f"nothing written: {pluralize(len(errors), 'file')} could not be "
            f"rewritten ({listed}). Fix them, or leave them out of the specs."
        )
    maybe = await Get(MaybeGitWorktree, GitWorktreeRequest())
    if maybe.git_worktree is None:
        return None  # not a git repo: the write is still all-or-nothing
    dirty = maybe.git_worktree.changed_files(include_untracked=True, relative_to=build_root.path)
    touched = sorted(dirty & set(paths))
    if touched:
        return (
            f"nothing written: {pluralize(len(touched), 'file')} to rewrite "
            f"{'has' if len(touched) == 1 else 'have'} uncommitted changes "
            f"({', '.join(touched[:10])}). Commit or stash them first, so the rewrite can be "
            "reviewed and undone on its own."
        )
    return None


def write_all_or_nothing(
    root: Path, files: Mapping[str, tuple[bytes, bytes]], journal: Path, action: str
) -> None:
    """Replace each file's `old` bytes by `new`: all files, or (on any error) none of them.

    Raises StaleFiles, writing nothing, when a file no longer holds the bytes the rewrite was
    computed from. The old bytes are journaled first, so `recover_interrupted` can finish the
    rollback of a run that was killed part-way.
    """
    ensure_unchanged(root, {path: old for path, (old, _) in files.items()})
    transaction = Transaction.begin(root, journal, files, {"action": action})
    try:
        for path, (_, new) in files.items():
            transaction.write(path, new)
    except BaseException:
        transaction.rollback()
        raise
    transaction.commit()


def recover_interrupted(console: Console, root: Path, journal: Path) -> int:
    """`--recover`: roll back what a killed run left from its journal; the exit code."""
    try:
        meta = recover(root, journal)
    except TransactionError as e:
        console.print_stderr(f"{console.red('error:')} {e}")
        return 1
    if meta is None:
        console.print_stdout(f"Nothing to recover: there is no {journal.relative_to(root)}.")
    else:
        console.print_stdout(
            f"Recovered: the interrupted {meta.get('action', 'run')} is rolled back; every file "
            "it was changing (the git index too, for a promotion) is as it was before it started."
        )
    return 0
