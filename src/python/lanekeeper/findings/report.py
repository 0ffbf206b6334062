"""The part of every goal's JSON report that is the same for all goals, and the files written.

    {"report_version": 1,
     "tool": {"name": "lanekeeper", "version": "...", "goal": "import-health"},
     "findings": [{"path", "line", "col", "code", "message", "severity", "lane",
                   "fingerprint", "suppression", ...the goal's own fields}],
     "counts": {"findings", "error", "warning", "note", "suppressed", "by_code"},
     ...the goal's own keys}
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any, Mapping, Optional, Sequence, TypeVar

from lanekeeper.findings.model import (
    SEVERITIES,
    TOOL_NAME,
    TOOL_VERSION,
    Finding,
    fingerprints,
)
from lanekeeper.findings.sarif import sarif_log

REPORT_VERSION = 1
P = TypeVar("P", bound=PurePath)


def _finding_json(finding: Finding, fingerprint: str) -> dict[str, Any]:
    suppression = finding.suppression
    return {
        **finding.extra,
        "path": finding.path,
        "line": finding.line,
        "col": finding.col,
        "code": finding.code,
        "message": finding.message,
        "severity": finding.severity,
        "lane": finding.lane,
        "fingerprint": fingerprint,
        "suppression": (
            None
            if suppression is None
            else {"kind": suppression.kind, "justification": suppression.justification}
        ),
    }


def counts(findings: Sequence[Finding]) -> dict[str, Any]:
    """Unsuppressed findings per severity and per code, and how many were suppressed."""
    active = [finding for finding in findings if not finding.suppressed]
    by_code: dict[str, int] = {}
    for finding in active:
        by_code[finding.code] = by_code.get(finding.code, 0) + 1
    return {
        "findings": len(active),
        **{severity: sum(1 for f in active if f.severity == severity) for severity in SEVERITIES},
        "suppressed": len(findings) - len(active),
        "by_code": dict(sorted(by_code.items())),
    }


def report_document(
    goal: str, findings: Sequence[Finding], document: Optional[Mapping[str, Any]] = None
) -> dict[str, Any]:
    """The common part first, then the goal's own keys (`document`) that it does not replace:
    the goal's per-finding fields travel in each finding's `extra`."""
    common: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION, "goal": goal},
        "findings": [_finding_json(f, p) for f, p in zip(findings, fingerprints(findings))],
        "counts": counts(findings),
    }
    own = {key: value for key, value in (document or {}).items() if key not in common}
    return {**common, **own}


def sarif_path(out_dir: P, goal: str) -> P:
    return out_dir / f"{goal}.sarif"


def machine_output(
    out_dir: P,
    goal: str,
    findings: Sequence[Finding],
    document: Optional[Mapping[str, Any]] = None,
    report_name: str = "report.json",
) -> dict[P, str]:
    """The JSON report (`report_name`) and `<goal>.sarif` under `out_dir`, by path."""
    report = report_document(goal, findings, document)
    return {
        out_dir / report_name: json.dumps(report, indent=2) + "\n",
        sarif_path(out_dir, goal): json.dumps(sarif_log(goal, findings), indent=2) + "\n",
    }
