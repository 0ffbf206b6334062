"""A tool process whose answer is cached even when the answer is "findings".

Pants 2.17 caches and memoizes a process (default `ProcessCacheScope.SUCCESSFUL`) only when it
exits 0, so a linter that finds something runs again in every run. The gates hold modules to
the next lane's bar, so their tools usually find something: each runs inside a shell wrapper
that writes the tool's real exit status to a file and exits 0 whenever the tool answered,
findings or a deterministic error (mypy's exit 2 on a bad config, black's 123 on a file it
cannot parse) alike. A tool killed by a signal (status above 128: Ctrl-C, the OOM killer) gave
no answer: the wrapper exits with its status, Pants keeps nothing, and the next run runs it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pants.engine.fs import Digest, DigestContents, DigestSubset, PathGlobs
from pants.engine.process import FallibleProcessResult, Process, ProcessCacheScope
from pants.engine.rules import Get, collect_rules, rule
from pants.util.strutil import strip_v2_chroot_path

STATUS_FILE = "__lanekeeper_tool_status"

_ANSWERED_IS_SUCCESS = (
    f'"$0" "$@"; status=$?; echo "$status" > {STATUS_FILE}; '
    '[ "$status" -gt 128 ] && exit "$status"; exit 0'
)


@dataclass(frozen=True)
class AnsweredProcess:
    """Run `process` (its argv[0] a path, not a bare name) so that its answer is cached."""

    process: Process


@dataclass(frozen=True)
class ToolAnswer:
    """The tool's real exit code, its stdout and stderr (sandbox paths made relative), and its
    output files (with the status file beside them)."""

    exit_code: int
    output: str
    output_digest: Digest


@rule
async def tool_answer(request: AnsweredProcess) -> ToolAnswer:
    process = request.process
    result = await Get(
        FallibleProcessResult,
        Process,
        dataclasses.replace(
            process,
            argv=("/bin/sh", "-c", _ANSWERED_IS_SUCCESS, *process.argv),
            output_files=(*process.output_files, STATUS_FILE),
            cache_scope=ProcessCacheScope.SUCCESSFUL,
        ),
    )
    status = await Get(DigestContents, DigestSubset(result.output_digest, PathGlobs([STATUS_FILE])))
    written = status[0].content.decode().strip() if status else ""
    exit_code = int(written) if written.lstrip("-").isdigit() else result.exit_code
    output = strip_v2_chroot_path(result.stdout) + "\n" + strip_v2_chroot_path(result.stderr)
    return ToolAnswer(exit_code, output, result.output_digest)


def rules():
    return collect_rules()
