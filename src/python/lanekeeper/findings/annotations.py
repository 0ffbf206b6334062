"""GitHub workflow commands (`::error file=...,line=...::message`) for a goal's findings.

GitHub shows at most 50 annotations per job: beyond that, the ones that matter most (production
lanes first, then errors before warnings) and a notice saying where the SARIF file with every
finding is, so that the notice itself is never cut.
"""

from __future__ import annotations

from typing import Collection, Sequence

from lanekeeper.findings.model import ERROR, NOTE, SEVERITIES, Finding

LIMIT = 50
_COMMAND = {ERROR: "error", NOTE: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(finding: Finding) -> str:
    properties = []
    if finding.path:
        properties.append(f"file={_property(finding.path)}")
        if finding.line > 0:
            properties.append(f"line={finding.line}")
            if finding.col > 0:
                properties.append(f"col={finding.col}")
    properties.append(f"title={_property(finding.code)}")
    command = _COMMAND.get(finding.severity, finding.severity)
    return f"::{command} {','.join(properties)}::{_data(finding.message)}"


def workflow_commands(
    findings: Sequence[Finding],
    production_lanes: Collection[str],
    sarif_path: str,
    limit: int = LIMIT,
) -> list[str]:
    """One command per unsuppressed finding, most important first, at most `limit` in all."""
    shown = sorted(
        (finding for finding in findings if not finding.suppressed),
        key=lambda f: (
            f.lane not in production_lanes,
            SEVERITIES.index(f.severity),
            f.path,
            f.line,
            f.col,
        ),
    )
    if len(shown) <= limit:
        return [_command(finding) for finding in shown]
    kept = limit - 1
    return [_command(finding) for finding in shown[:kept]] + [
        f"::notice title=lanekeeper::{len(shown) - kept} more findings are not shown here; all "
        f"{len(shown)} are in {_data(sarif_path)}"
    ]
