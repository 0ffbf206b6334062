"""A tool process whose answer is cached even when the answer is "findings".

Pants 2.17 caches and memoizes a process (default `ProcessCacheScope.SUCCESSFUL`) only when it
exits 0, so a linter that finds something runs again in every run. The gates hold modules to
the next lane's bar, so their tools usually find something: each runs inside a shell wrapper
that writes the tool's real exit status to a file and exits 0 whenever the tool answered,
findings or a deterministic error (mypy's exit 2 on a bad config, black's 123 on a file it
cannot parse) alike. A tool killed by a signal (status above 128: Ctrl-C, the OOM killer) gave
no answer: the wrapper exits with its status, Pants keeps nothing, and the next run runs it.
A tool that can fail to answer in other ways (pip-audit when the advisory service does not
answer) names the report file whose presence is its answer instead.
"""

from __future__ import annotations

import dataclasses
import shlex
from dataclasses import dataclass
from typing import Optional

from pants.engine.fs import Digest, DigestContents, DigestSubset, PathGlobs
from pants.engine.process import FallibleProcessResult, Process, ProcessCacheScope
from pants.engine.rules import Get, collect_rules, rule
from pants.util.strutil import strip_v2_chroot_path

STATUS_FILE = "__lanekeeper_tool_status"

_RUN = f'"$0" "$@"; status=$?; echo "$status" > {STATUS_FILE}; '
_UNLESS_KILLED = '[ "$status" -gt 128 ] && exit "$status"; exit 0'


@dataclass(frozen=True)
class AnsweredProcess:
    """Run `process` (its argv[0] a path, not a bare name) so that its answer is cached: any
    exit but a signal's, or, with `report`, only a run that wrote that output file."""

    process: Process
    report: Optional[str] = None


@dataclass(frozen=True)
class ToolAnswer:
    """The tool's real exit code, its stdout and stderr (sandbox paths made relative), and its
    output files (with the status file beside them)."""

    exit_code: int
    stdout: str
    stderr: str
    output_digest: Digest

    @property
    def output(self) -> str:
        return f"{self.stdout}\n{self.stderr}"


def _answered(report: Optional[str]) -> str:
    if report is None:
        return _UNLESS_KILLED
    return f'[ -s {shlex.quote(report)} ] && exit 0; exit "$status"'


@rule
async def tool_answer(request: AnsweredProcess) -> ToolAnswer:
    process = request.process
    result = await Get(
        FallibleProcessResult,
        Process,
        dataclasses.replace(
            process,
            argv=("/bin/sh", "-c", _RUN + _answered(request.report), *process.argv),
            output_files=(*process.output_files, STATUS_FILE),
            cache_scope=ProcessCacheScope.SUCCESSFUL,
        ),
    )
    status = await Get(DigestContents, DigestSubset(result.output_digest, PathGlobs([STATUS_FILE])))
    written = status[0].content.decode().strip() if status else ""
    exit_code = int(written) if written.lstrip("-").isdigit() else result.exit_code
    return ToolAnswer(
        exit_code,
        strip_v2_chroot_path(result.stdout.decode(errors="replace")),
        strip_v2_chroot_path(result.stderr.decode(errors="replace")),
        result.output_digest,
    )


def rules():
    return collect_rules()
