"""What lanekeeper's report goals share: a date option, the baseline file, the written reports."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Mapping, Optional

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


class StaleFiles(Exception):
    """Files changed on disk after they were read: writing would lose those changes."""


def write_all_or_nothing(root: Path, files: Mapping[str, tuple[bytes, bytes]]) -> None:
    """Replace each file's `old` bytes by `new`: all files, or (on any error) none of them.

    Every new version is written beside its file first; only then are they renamed into place.
    If a rename fails, the files already replaced get their old bytes back. Raises StaleFiles,
    writing nothing, when a file no longer holds the bytes the rewrite was computed from.
    """
    stale = [path for path, (old, _) in files.items() if (root / path).read_bytes() != old]
    if stale:
        raise StaleFiles(
            f"{', '.join(sorted(stale)[:10])} changed on disk during the run; run it again."
        )
    staged: dict[str, Path] = {}
    replaced: list[str] = []
    try:
        for path, (_, new) in files.items():
            target = root / path
            temporary = target.with_name(f".{target.name}.lanekeeper-new")
            temporary.write_bytes(new)
            shutil.copymode(target, temporary)
            staged[path] = temporary
        for path, temporary in staged.items():
            os.replace(temporary, root / path)
            replaced.append(path)
    except BaseException:
        for path in replaced:
            (root / path).write_bytes(files[path][0])
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        raise
