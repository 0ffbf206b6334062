"""What lanekeeper's report goals share: a date option, the baseline file, the written reports."""

from __future__ import annotations

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
