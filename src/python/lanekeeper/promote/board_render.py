"""What the promotion board prints and writes: the console table, `board.json`, `board.md` and a
self-contained `board.html` (no script, no external file: each row is a `<details>` element)."""

from __future__ import annotations

import html
from typing import Any, Sequence

from lanekeeper.promote.board import BoardRow, LaneSummary
from lanekeeper.promote.gate import GateResult, Status
from lanekeeper.promote.render import evidence_json

_COUNTED = (Status.PASS, Status.FAIL, Status.SKIP, Status.NEEDS_HUMAN)


def first_evidence(gate: GateResult) -> str:
    """The gate's name with its first finding (its summary when it has none)."""
    return f"{gate.gate}: {gate.findings[0].render() if gate.findings else gate.summary}"


def _direction(row: BoardRow) -> str:
    return f"{row.source} -> {row.target}" if row.target else row.source


def _counts(row: BoardRow) -> str:
    return " ".join(f"{row.count(s):>{len(s.value)}}" for s in _COUNTED) if row.report else ""


def lane_line(summary: LaneSummary) -> str:
    return (
        f"{summary.lane}: {summary.modules} modules, {summary.ready} ready, "
        f"{summary.blocked} blocked"
    )


def render_board(rows: Sequence[BoardRow], lanes: Sequence[LaneSummary]) -> str:
    """One row per module, each failing gate under it with its first evidence, then one line
    per lane."""
    header = ("module", "from -> to", " ".join(s.value for s in _COUNTED), "verdict")
    cells = [(r.module, _direction(r), _counts(r), r.verdict.value) for r in rows]
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(len(header))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    lines = [line(header)]
    for row, values in zip(rows, cells):
        lines.append(line(values))
        lines.extend(f"    {first_evidence(gate)}" for gate in row.failing)
        if row.reason:
            lines.append(f"    {row.reason}")
    lines.append("")
    lines.extend(lane_line(summary) for summary in lanes)
    return "\n".join(lines) + "\n"


def board_json(rows: Sequence[BoardRow], lanes: Sequence[LaneSummary]) -> dict[str, Any]:
    """Every module's verdict and, for a candidate, its evidence.json document (every gate)."""
    modules = []
    for row in rows:
        entry: dict[str, Any] = {
            "module": row.module,
            "source_lane": row.source,
            "target_lane": row.target or None,
            "verdict": row.verdict.value,
            "reason": row.reason or None,
            "counts": {s.value: row.count(s) for s in _COUNTED},
        }
        if row.report is not None:
            entry["evidence"] = evidence_json(row.report)
        modules.append(entry)
    return {
        "modules": modules,
        "lanes": [
            {"lane": s.lane, "modules": s.modules, "ready": s.ready, "blocked": s.blocked}
            for s in lanes
        ],
    }


def _md(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def board_md(rows: Sequence[BoardRow], lanes: Sequence[LaneSummary]) -> str:
    lines = [
        "# Promotion board",
        "",
        "| module | from -> to | PASS | FAIL | SKIP | NEEDS-HUMAN | verdict | failing gates |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        counts = " | ".join(str(row.count(s)) if row.report else "" for s in _COUNTED)
        why = "<br>".join(_md(first_evidence(g)) for g in row.failing) or _md(row.reason)
        lines.append(
            f"| `{row.module}` | {_direction(row)} | {counts} | {row.verdict.value} | {why} |"
        )
    lines += ["", *(f"- {lane_line(s)}" for s in lanes), ""]
    return "\n".join(lines)


_STYLE = (
    "body{font-family:sans-serif;margin:2em}summary{cursor:pointer;padding:.3em 0}"
    ".READY{color:#161}.BLOCKED{color:#a11}.NOT-A-CANDIDATE{color:#666}"
    "table{border-collapse:collapse;margin:.5em 0 1em 2em}td,th{border:1px solid #ccc;"
    "padding:.2em .5em;text-align:left;vertical-align:top}"
)


def _gate_rows(row: BoardRow) -> str:
    if row.report is None:
        return f"<p>{html.escape(row.reason)}</p>"
    cells = []
    for gate in row.report.gates:
        evidence = "<br>".join(
            html.escape(text) for text in [gate.summary, *(f.render() for f in gate.findings)]
        )
        cells.append(
            f'<tr><td>{html.escape(gate.gate)}</td><td class="{gate.status.value}">'
            f"{gate.status.value}</td><td>{evidence}</td></tr>"
        )
    return (
        "<table><tr><th>gate</th><th>status</th><th>evidence</th></tr>"
        + "".join(cells)
        + ("</table>")
    )


def board_html(rows: Sequence[BoardRow], lanes: Sequence[LaneSummary]) -> str:
    """One `<details>` per module: the summary line is its row, expanding to its gates."""
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>Promotion board</title>',
        f"<style>{_STYLE}</style></head><body><h1>Promotion board</h1>",
    ]
    for row in rows:
        counts = ", ".join(f"{row.count(s)} {s.value}" for s in _COUNTED) if row.report else ""
        summary = " &middot; ".join(
            part
            for part in (
                f"<code>{html.escape(row.module)}</code>",
                html.escape(_direction(row)),
                counts,
                f'<b class="{row.verdict.value}">{row.verdict.value}</b>',
            )
            if part
        )
        parts.append(f"<details><summary>{summary}</summary>{_gate_rows(row)}</details>")
    parts.append("<ul>" + "".join(f"<li>{html.escape(lane_line(s))}</li>" for s in lanes))
    parts.append("</ul></body></html>\n")
    return "\n".join(parts)
