"""What a promotion prints and writes: the console table, `evidence.json` and the PR body."""

from __future__ import annotations

from typing import Any

from lanekeeper.promote.gate import Status
from lanekeeper.promote.report import PromotionReport


def render_table(report: PromotionReport, max_findings: int = 5) -> str:
    width = max(len(g.gate) for g in report.gates)
    lines = [f"promote {report.module}: {report.source} -> {report.target}", ""]
    for gate in report.gates:
        lines.append(f"{gate.gate.ljust(width)}  {gate.status.value.ljust(11)}  {gate.summary}")
        for finding in gate.findings[:max_findings]:
            lines.append(f"{' ' * (width + 15)}{finding.render()}")
        if len(gate.findings) > max_findings:
            more = len(gate.findings) - max_findings
            lines.append(f"{' ' * (width + 15)}... {more} more in evidence.json")
    counts = {s: sum(1 for g in report.gates if g.status is s) for s in Status}
    lines.append("")
    lines.append(", ".join(f"{n} {s.value}" for s, n in counts.items()))
    verdict = "NOT READY" if report.failed else "READY for human review"
    lines.append(f"{verdict}: {report.module} -> {report.target}")
    return "\n".join(lines) + "\n"


def evidence_json(report: PromotionReport) -> dict[str, Any]:
    return {
        "module": report.module,
        "source_lane": report.source,
        "target_lane": report.target,
        "failed": report.failed,
        "gates": [g.to_json_dict() for g in report.gates],
        "artifacts": list(report.artifacts),
    }


_CHECKLIST = (
    ("PROMOTE.md attached and complete", ("promote-md",)),
    ("Lane rules: target lane imports, no cycles", ("lane-progression", "lanes", "cycles")),
    ("Static analysis: PASS", ("syntax", "lint", "docstrings", "todo-high")),
    ("Type checks: PASS", ("type-check",)),
    ("Formatting: PASS", ("format",)),
    ("Unit tests: PASS (coverage per file)", ("tests", "coverage")),
    ("Benchmarks: PASS (within budget)", ("benchmarks",)),
    ("Security scans: PASS", ("supply-chain", "secrets")),
    ("Ethics gate (if applicable): Signed", ("ethics",)),
    ("Two approvals (tech + security)", ("sign-off",)),
    ("Owner sign-off", ("sign-off",)),
)


def pr_body(report: PromotionReport) -> str:
    """The guide's checklist, ticked only where every automated gate behind it passed."""
    by_name = {g.gate: g for g in report.gates}
    lines = [
        f"## Lane promotion: `{report.module}` {report.source} -> {report.target}",
        "",
        "### Checklist",
        "",
    ]
    for title, gates in _CHECKLIST:
        statuses = [by_name[g].status for g in gates if g in by_name]
        ticked = bool(statuses) and all(s in (Status.PASS, Status.SKIP) for s in statuses)
        shown = ", ".join(f"{g} {by_name[g].status.value}" for g in gates if g in by_name)
        lines.append(f"- [{'x' if ticked else ' '}] {title} ({shown})")
    lines += ["", "### Gates", "", "| gate | status | evidence |", "| --- | --- | --- |"]
    for gate in report.gates:
        evidence = gate.summary
        if gate.findings:
            evidence += "<br>" + "<br>".join(f.render() for f in gate.findings[:10])
        lines.append(f"| {gate.gate} | {gate.status.value} | {evidence.replace('|', '/')} |")
    lines += [
        "",
        "Automation records sign-offs; it never gives them. Artifacts: "
        + (", ".join(f"`{a}`" for a in report.artifacts) or "none"),
        "",
    ]
    return "\n".join(lines)
