"""The gates of the repo's own tools, as Pants runs them: its linters (`lint`), formatters
(`format`) and type checkers (`type-check`), whichever the repo enables."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from lanekeeper.promote.gate import Finding, GateResult, could_not_check, details, judged, skip
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
    """One formatter run on the module's files: the files it would change, and its exit code
    and output (a formatter that stopped, as black on a file it cannot parse, exits non-zero)."""

    tool: str
    changed: tuple[str, ...]
    exit_code: int = 0
    output: str = ""


def _not_run(gate: str, kind: str, enabled: Sequence[str]) -> GateResult:
    if not enabled:
        return skip(gate, f"no {kind} is enabled in `[GLOBAL].backend_packages`")
    return skip(gate, f"{', '.join(enabled)} did not run on the module (skipped by its options)")


# Errors of tools that could not run whose cause lanekeeper can tell: (text in the output, cause).
_LIKELY_CAUSES = (
    (
        "is not a valid Python package name",
        "an `__init__.py` at the repo's root (a source root of `/`) makes mypy take Pants' "
        "sandbox folder for a package: remove it",
    ),
)


def _could_not_run(run: ToolRun) -> bool:
    """A tool that stopped (exit 2 and up, by ruff's and mypy's convention, or a traceback)
    without one `path:line:` finding anywhere did not check the module (mypy on a bad config):
    that is not a finding."""
    lines = run.output.splitlines()
    if any(_TOOL_LINE.match(line.strip()) for line in lines):
        return False
    return run.exit_code >= 2 or "Traceback (most recent call last):" in lines


def _why_not_run(run: ToolRun) -> str:
    """The tool, its exit code, its own first error line (a traceback's last) and, where known,
    the likely cause."""
    lines = [line.strip() for line in run.output.splitlines() if line.strip()] or ["no output"]
    first = lines[-1] if "Traceback (most recent call last):" in lines else lines[0]
    causes = [cause for text, cause in _LIKELY_CAUSES if text in run.output]
    return f"{run.tool} exited {run.exit_code}: {first}" + "".join(
        f" (likely cause: {cause})" for cause in causes
    )


def tool_gate(
    gate: str, module: str, runs: Sequence[ToolRun], enabled: Sequence[str], kind: str
) -> GateResult:
    """`lint` (kind "linter") or `type-check` (kind "type checker"): every finding of the
    enabled tools (`enabled`, by name) in the module's files."""
    if not runs:
        return _not_run(gate, kind, enabled)
    data = {"runs": [{"tool": r.tool, "exit_code": r.exit_code} for r in runs]}
    failed = [run for run in runs if run.exit_code != 0]
    crashed = [run for run in failed if _could_not_run(run)]
    if crashed:
        why = "; ".join(_why_not_run(run) for run in crashed)
        return replace(could_not_check(gate, why), details=details(data))
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
        data,
    )


def format_gate(runs: Sequence[FormatRun], enabled: Sequence[str]) -> GateResult:
    """Every file of the module that one of the enabled formatters would change; "could not
    check" when one stopped (black on a file it cannot parse)."""
    if not runs:
        return _not_run("format", "formatter", enabled)
    stopped = [ToolRun(r.tool, r.exit_code, r.output) for r in runs if r.exit_code != 0]
    if stopped:
        return could_not_check("format", "; ".join(_why_not_run(run) for run in stopped))
    changed = sorted({path for run in runs for path in run.changed})
    findings = [Finding(path, 1, "would be reformatted") for path in changed]
    tools = ", ".join(sorted({run.tool for run in runs}))
    return judged("format", findings, f"{tools}: no file would change", "{n} files would change")
