"""The gates of the repo's own tools, as Pants runs them: its linters (`lint`), formatters
(`format`) and type checkers (`type-check`), whichever the repo enables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from lanekeeper.promote.gate import Finding, GateResult, judged, skip
from lanekeeper.promote.module import in_module

_TOOL_LINE = re.compile(r"^(?P<file>[^\s:][^:]*\.pyi?):(?P<line>\d+):(?:\d+:)?\s*(?P<msg>.*)$")


def tool_findings(output: str, module: str) -> list[Finding]:
    """`path:line[:col]: message` lines of a tool's output that name a file of the module."""
    found = []
    for raw in output.splitlines():
        match = _TOOL_LINE.match(raw.strip())
        if match and in_module(module, match["file"]):
            found.append(Finding(match["file"], int(match["line"]), match["msg"].strip()))
    return found


@dataclass(frozen=True)
class ToolRun:
    """One Pants lint or check result: the tool, its exit code and its output."""

    tool: str
    exit_code: int
    output: str


@dataclass(frozen=True)
class FormatRun:
    """One formatter run on the module's files: the files it would change."""

    tool: str
    changed: tuple[str, ...]


def _not_run(gate: str, kind: str, enabled: Sequence[str]) -> GateResult:
    if not enabled:
        return skip(gate, f"no {kind} is enabled in `[GLOBAL].backend_packages`")
    return skip(gate, f"{', '.join(enabled)} did not run on the module (skipped by its options)")


def tool_gate(
    gate: str, module: str, runs: Sequence[ToolRun], enabled: Sequence[str], kind: str
) -> GateResult:
    """`lint` (kind "linter") or `type-check` (kind "type checker"): every finding of the
    enabled tools (`enabled`, by name) in the module's files."""
    if not runs:
        return _not_run(gate, kind, enabled)
    failed = [run for run in runs if run.exit_code != 0]
    findings = [f for run in failed for f in tool_findings(run.output, module)]
    if failed and not findings:
        # A failure that names no file of the module is still a failure.
        last = next((ln for run in failed for ln in reversed(run.output.splitlines()) if ln), "")
        findings = [Finding(module, 0, f"{failed[0].tool} exited {failed[0].exit_code}: {last}")]
    tools = ", ".join(sorted({run.tool for run in runs}))
    return judged(
        gate,
        findings,
        f"{tools} clean",
        "{n} findings from " + tools,
        {"runs": [{"tool": r.tool, "exit_code": r.exit_code} for r in runs]},
    )


def format_gate(runs: Sequence[FormatRun], enabled: Sequence[str]) -> GateResult:
    """Every file of the module that one of the enabled formatters would change."""
    if not runs:
        return _not_run("format", "formatter", enabled)
    changed = sorted({path for run in runs for path in run.changed})
    findings = [Finding(path, 1, "would be reformatted") for path in changed]
    tools = ", ".join(sorted({run.tool for run in runs}))
    return judged("format", findings, f"{tools}: no file would change", "{n} files would change")
