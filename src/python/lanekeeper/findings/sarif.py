"""Findings as a SARIF 2.1.0 log: one run, one rule per code, suppressed results kept."""

from __future__ import annotations

from typing import Any, Sequence

from lanekeeper.findings.catalogue import rule_for
from lanekeeper.findings.model import TOOL_NAME, TOOL_VERSION, Finding, fingerprints

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# The partialFingerprints key: ours, versioned, so a change of recipe is a new key.
FINGERPRINT = "lanekeeper/v1"


def _location(finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": finding.path}}
    if finding.line > 0:
        region = {"startLine": finding.line}
        if finding.col > 0:
            region["startColumn"] = finding.col
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(finding: Finding, index: int, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": finding.severity,
        "message": {"text": finding.message},
    }
    if finding.path:
        result["locations"] = [_location(finding)]
    result["partialFingerprints"] = {FINGERPRINT: fingerprint}
    if finding.suppression is not None:
        result["suppressions"] = [
            {
                "kind": finding.suppression.kind,
                "status": "accepted",
                "justification": finding.suppression.justification,
            }
        ]
    if finding.lane is not None:
        result["properties"] = {"lane": finding.lane}
    return result


def sarif_log(goal: str, findings: Sequence[Finding]) -> dict[str, Any]:
    """The log of one goal's run: a rule for each code found, in order of first appearance."""
    codes = list(dict.fromkeys(finding.code for finding in findings))
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        rule = rule_for(code)
        rules.append(
            {
                "id": rule.code,
                "shortDescription": {"text": rule.short},
                "help": {"text": rule.help, "markdown": rule.help_markdown},
            }
        )
    results = [
        _result(finding, index[finding.code], fingerprint)
        for finding, fingerprint in zip(findings, fingerprints(findings))
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "version": TOOL_VERSION, "rules": rules}},
                # Code scanning keeps one set of alerts per category: one per goal.
                "automationDetails": {"id": f"{TOOL_NAME}/{goal}/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
