"""Each goal's findings as `Finding`s: the one place that knows both the goals' types and the
machine formats. A goal's plugin calls one of these and hands the result to `report`."""

from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Optional

from lanekeeper.findings.catalogue import PROMOTE_GATE
from lanekeeper.findings.model import (
    ERROR,
    EXTERNAL,
    IN_SOURCE,
    NOTE,
    WARNING,
    Finding,
    Suppression,
)
from lanekeeper.import_health.categories import (
    E402,
    NOQA_CATEGORIES,
    NOQA_EXPIRING_SOON,
    NOQA_JUSTIFIED,
    POLICY_CATEGORIES,
)
from lanekeeper.import_health.report import ImportHealthReport
from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.lanes.adoption import Adoption
from lanekeeper.lanes.report import BASELINE_STALE, LaneConfigFinding
from lanekeeper.lanes.violations import LaneViolation
from lanekeeper.promote.gate import Status
from lanekeeper.promote.report import PromotionReport
from lanekeeper.rename.migration import Migration
from lanekeeper.todos.audit import TodoAudit
from lanekeeper.todos.grammar import MALFORMED, PLAIN

_ERROR_LINE = re.compile(r"line ([0-9]+): ")


def _lane_finding(
    config: LaneConfig, violation: LaneViolation, suppression: Optional[Suppression] = None
) -> Finding:
    # `render` is the linter's own text: `<where> <code> <finding>\n  fix: <fix>`.
    first, _, fix = violation.render(config).partition("\n  fix: ")
    message = first.split(f" {violation.code} ", 1)[1]
    extra = violation.to_json_dict()
    return Finding(
        violation.path,
        violation.line,
        violation.col,
        violation.code,
        f"{message}; fix: {fix}",
        ERROR,
        violation.importer_lane or None,
        identity=violation.module,
        suppression=suppression,
        extra={"importer_lane": extra["importer_lane"], "imports": extra["imports"]},
    )


def from_adoption(config: LaneConfig, adoption: Adoption, baseline_path: str) -> list[Finding]:
    """The `lanes` linter: what fails, then what an exception or the baseline suppresses."""
    lapsed = dict(adoption.expired)
    findings = []
    for violation in sorted(adoption.failing):
        finding = _lane_finding(config, violation)
        exception = lapsed.get(violation)
        if exception is not None:
            finding = dataclasses.replace(
                finding,
                message=f"{finding.message} ({exception.label} expired on "
                f"{exception.expires.isoformat()})",
            )
        findings.append(finding)
    for violation, by in sorted(adoption.suppressed, key=lambda pair: pair[0]):
        why = (
            f"recorded in the baseline {baseline_path}"
            if by is None
            else f"{by.label}: {by.reason} (until {by.expires.isoformat()})"
        )
        findings.append(_lane_finding(config, violation, Suppression(EXTERNAL, why)))
    return findings


def from_lane_config(
    findings: Iterable[LaneConfigFinding], baseline_path: str, config_path: str = "pants.toml"
) -> list[Finding]:
    """`pants lanes --report`: problems of the policy itself, in the file that holds them."""
    return [
        Finding(
            baseline_path if finding.kind == BASELINE_STALE else config_path,
            0,
            0,
            finding.kind,
            finding.message,
            WARNING,
            finding.lane or None,
            identity=finding.detail,
            extra={"kind": finding.kind, "detail": finding.detail},
        )
        for finding in findings
    ]


def from_import_health(report: ImportHealthReport) -> list[Finding]:
    """Every finding of `report.json`; a justified `# noqa: E402` is its E402, suppressed."""
    comments = {(e.path, e.line): e.comment for e, _ in report.exceptions}
    findings = []
    for entry in report.findings:
        raw, lane = entry.finding, entry.lane
        category = raw.category
        # The noqa details count days to the expiry: the comment is what stays the same.
        identity = comments.get((raw.path, raw.line), "") if category in NOQA_CATEGORIES else ""
        suppression = None
        severity = WARNING
        if category == NOQA_JUSTIFIED:
            suppression, severity = Suppression(IN_SOURCE, raw.detail), NOTE
        elif category == NOQA_EXPIRING_SOON:
            severity = NOTE
        elif category in POLICY_CATEGORIES and lane in report.production_lanes:
            severity = ERROR
        code = E402.upper() if category in (E402, NOQA_JUSTIFIED) else category
        findings.append(
            Finding(
                raw.path,
                raw.line,
                0,
                code,
                raw.detail,
                severity,
                lane,
                identity=identity or raw.detail,
                suppression=suppression,
                extra={"category": category, "detail": raw.detail},
            )
        )
    return findings


def from_todo_audit(audit: TodoAudit) -> list[Finding]:
    """Malformed and unstructured TODOs (errors and warnings in production lanes), and overdue
    ones; well-formed TODOs are the inventory, not findings."""
    findings = []
    for entry in audit.entries:
        item, lane = entry.item, entry.lane
        production = lane in audit.production_lanes
        kinds = []
        if item.status == MALFORMED:
            problems = "; ".join(item.problems)
            kinds.append(
                (
                    "TODO-malformed",
                    ERROR if production else WARNING,
                    f"{item.kind} is malformed ({problems}): {item.message}",
                )
            )
        elif item.status == PLAIN:
            kinds.append(
                (
                    "TODO-unstructured",
                    WARNING if production else NOTE,
                    f"{item.kind} without the structured tags: {item.message}",
                )
            )
        if entry.overdue:
            kinds.append(
                (
                    "TODO-overdue",
                    WARNING,
                    f"{item.kind} is {entry.age_days} days old: {item.message}",
                )
            )
        for code, severity, message in kinds:
            findings.append(
                Finding(
                    item.path,
                    item.line,
                    0,
                    code,
                    message,
                    severity,
                    lane,
                    identity=f"{item.kind} {item.message}",
                    extra={"kind": item.kind, "status": item.status, "text": item.message},
                )
            )
    return findings


def from_migration(migration: Migration, config: Optional[LaneConfig]) -> list[Finding]:
    """What is left to migrate: legacy references (errors in production lanes), dynamic uses
    no rewrite can follow, and files that could not be read."""
    findings = []
    for result in sorted(migration.results, key=lambda r: r.path):
        lane = config.lane_of(result.path) if config is not None else None
        production = config is not None and lane in config.production
        if result.error is not None:
            at = _ERROR_LINE.match(result.error)
            findings.append(
                Finding(
                    result.path,
                    int(at.group(1)) if at else 0,
                    0,
                    "unparseable",
                    f"not migrated: {result.error}",
                    WARNING,
                    lane,
                    identity="unparseable",
                )
            )
        for change in result.legacy_references:
            findings.append(
                Finding(
                    result.path,
                    change.line,
                    0,
                    "legacy-import",
                    f"{change.kind} {change.before} -> {change.after}",
                    ERROR if production else WARNING,
                    lane,
                    identity=f"{change.kind} {change.before}",
                    extra={"kind": change.kind, "before": change.before, "after": change.after},
                )
            )
        for change in result.dynamic_left:
            findings.append(
                Finding(
                    result.path,
                    change.line,
                    0,
                    "dynamic-use",
                    f"{change.before} reaches a legacy module; make it reach {change.after}",
                    WARNING,
                    lane,
                    identity=change.before,
                    extra={"kind": change.kind, "before": change.before, "after": change.after},
                )
            )
    return findings


def from_promotion(report: PromotionReport) -> list[Finding]:
    """A failed gate's evidence (or its summary, when it has none) as errors; a gate that
    needs a human as a note. Passed and skipped gates are no findings."""
    findings = []
    for gate in report.gates:
        if gate.status not in (Status.FAIL, Status.NEEDS_HUMAN):
            continue
        severity = ERROR if gate.status is Status.FAIL else NOTE
        code = f"{PROMOTE_GATE}{gate.gate}"
        extra = {"gate": gate.gate, "status": gate.status.value}
        evidence = gate.findings or ()
        if not evidence:
            findings.append(
                Finding("", 0, 0, code, f"{gate.summary}", severity, report.target, extra=extra)
            )
        for item in evidence:
            findings.append(
                Finding(
                    item.file,
                    item.line,
                    0,
                    code,
                    f"{gate.summary}: {item.message}",
                    severity,
                    report.target,
                    identity=item.message,
                    extra=extra,
                )
            )
    return findings
