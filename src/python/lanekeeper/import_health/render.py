"""The reports: `report.json`, the console table and `IMPORT_MIGRATION_AUDIT.md`."""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from lanekeeper.import_health.baseline import run_failed
from lanekeeper.import_health.categories import (
    CATEGORIES,
    EXPIRING_WITHIN_DAYS,
    LEGACY_IMPORT,
    NOT_CHECKED,
    RATCHETED,
    RUNTIME_IMPORT,
    UNPARSEABLE,
)
from lanekeeper.import_health.report import ImportHealthReport
from lanekeeper.kernel.ratchet import UNLANED, Comparison


def _lane_name(lane: Optional[str]) -> str:
    return UNLANED if lane is None else lane


def _count_cell(report: ImportHealthReport, category: str, value: int) -> Any:
    return NOT_CHECKED if category in report.not_checked else value


def report_json(
    report: ImportHealthReport, comparison: Optional[Comparison] = None
) -> dict[str, Any]:
    """`report.json`: every finding and exception, and every count the other reports print."""
    document: dict[str, Any] = {
        "files_analyzed": report.files_analyzed,
        "categories": list(CATEGORIES),
        "not_checked": list(report.not_checked),
        "production_lanes": list(report.production_lanes),
        "ratcheted": list(RATCHETED),
        "lanes": [
            {
                "lane": lane,
                "production": lane in report.production_lanes,
                "counts": {c: _count_cell(report, c, v) for c, v in zip(CATEGORIES, row)},
            }
            for lane, row in zip(report.lanes, report.counts)
        ],
        "production_total": {
            c: _count_cell(report, c, report.production_total(c)) for c in CATEGORIES
        },
        "directories": [
            {
                "directory": directory,
                "counts": {c: _count_cell(report, c, v) for c, v in zip(CATEGORIES, row)},
            }
            for directory, row in report.directories
        ],
        "findings": [entry.to_json_dict() for entry in report.findings],
        "exceptions": [
            {**exception.to_json_dict(), "lane": lane} for exception, lane in report.exceptions
        ],
        "errors": [{"path": path, "error": error} for path, error in report.errors],
        "policy_failures": list(report.policy_failures),
        "failed": run_failed(report, comparison),
    }
    if comparison is not None:
        document["baseline"] = comparison.to_json_dict()
    return document


def console_table(report: ImportHealthReport, comparison: Optional[Comparison] = None) -> str:
    """A fixed-width table: a row per category, a column per lane and the production total.

    With a comparison, production cells the baseline tracks show their change (`3 (+1)`).
    """
    columns: list[tuple[str, Optional[str], bool]] = [
        (_lane_name(lane), lane, lane in report.production_lanes) for lane in report.lanes
    ]
    table = [["category", *(label for label, _, _ in columns), "production total"]]
    for category in CATEGORIES:
        if category in report.not_checked:
            table.append([category, *([NOT_CHECKED] * (len(columns) + 1))])
            continue
        cells = [category]
        for _, lane, production in columns:
            cells.append(
                _with_delta(report.count(lane, category), comparison, production, lane, category)
            )
        total = report.production_total(category)
        cells.append(_with_delta(total, comparison, True, None, category))
        table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    out = []
    for row in table:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        out.append("  ".join([first, *rest]).rstrip())
    lanes = ", ".join(report.production_lanes) or "none"
    out.append(f"production lanes: {lanes}; files analyzed: {report.files_analyzed}")
    for failure in report.policy_failures:
        out.append(f"policy failure: {failure}")
    if comparison is not None:
        out.extend(comparison.lines())
    return "\n".join(out) + "\n"


def _with_delta(
    value: int,
    comparison: Optional[Comparison],
    production: bool,
    lane: Optional[str],
    category: str,
) -> str:
    delta = comparison.delta(lane, category) if comparison is not None and production else None
    return f"{value} ({delta:+d})" if delta else str(value)


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def audit_markdown(
    report: ImportHealthReport, comparison: Optional[Comparison], today: date
) -> str:
    """`IMPORT_MIGRATION_AUDIT.md`: counts, every exception, what expires soon, runtime imports,
    unparseable files and the baseline."""
    status = "FAILED" if run_failed(report, comparison) else "passed"
    lines = [
        "# Import migration audit",
        "",
        f"Date: {today.isoformat()}. Files analyzed: {report.files_analyzed}. "
        f"Findings: {len(report.findings)}. Result: {status}.",
        "",
        "## Counts",
        "",
        "| category | "
        + " | ".join(_lane_name(lane) for lane in report.lanes)
        + " | production total |",
        "| --- |" + " ---: |" * (len(report.lanes) + 1),
    ]
    for category in CATEGORIES:
        if category in report.not_checked:
            cells = [NOT_CHECKED] * (len(report.lanes) + 1)
        else:
            cells = [str(report.count(lane, category)) for lane in report.lanes]
            cells.append(str(report.production_total(category)))
        lines.append(f"| {category} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"## E402 exceptions ({len(report.exceptions)})", ""]
    if report.exceptions:
        lines += [
            "| file | line | lane | category | reason | issue | granted | expires |",
            "| --- | ---: | --- | --- | --- | --- | --- | --- |",
        ]
        for exception, lane in report.exceptions:
            lines.append(
                f"| `{exception.path}` | {exception.line} | {_lane_name(lane)} "
                f"| {exception.category} | {_md(exception.reason or '(none)')} "
                f"| {_md(exception.issue or '(none)')} | {exception.granted or '-'} "
                f"| {exception.expires or 'never'} |"
            )
    else:
        lines.append("None.")
    lines.append("")
    soon = [
        (e, lane)
        for e, lane in report.exceptions
        if e.expires is not None
        and 0 <= (date.fromisoformat(e.expires) - today).days <= EXPIRING_WITHIN_DAYS
    ]
    lines += [f"## Expiring within {EXPIRING_WITHIN_DAYS} days ({len(soon)})", ""]
    lines += [
        f"- `{e.path}:{e.line}` ({_lane_name(lane)}): expires {e.expires}; "
        f"issue {e.issue or '(none)'}"
        for e, lane in soon
    ] or ["None."]
    lines.append("")
    for title, category in (
        ("Runtime imports", RUNTIME_IMPORT),
        ("Legacy imports", LEGACY_IMPORT),
        ("Unparseable files", UNPARSEABLE),
    ):
        entries = [e for e in report.findings if e.finding.category == category]
        lines += [f"## {title} ({len(entries)})", ""]
        lines += [
            f"- `{e.finding.path}:{e.finding.line}` ({_lane_name(e.lane)}): "
            f"{_md(e.finding.detail)}"
            for e in entries
        ] or ["None."]
        lines.append("")
    lines += [f"## Policy failures ({len(report.policy_failures)})", ""]
    lines += [f"- {_md(line)}" for line in report.policy_failures] or ["None."]
    lines.append("")
    if report.not_checked:
        lines += [f"Not checked in this run: {', '.join(report.not_checked)}.", ""]
    if comparison is not None:
        lines += ["## Baseline", ""]
        lines += [f"- {_md(line)}" for line in comparison.lines()]
        if comparison.clean:
            lines.append("The baseline is exact.")
        lines.append("")
    return "\n".join(lines)
