"""The TODO inventory by lane: counts, TODO_DEBT_SCORE, a baseline ratchet and the reports.

The debt score is the cleanup guide's weighted sum over structured TODOs (HIGH=10, MED=3,
LOW=1); malformed and plain TODOs have no priority, so they score 0 and are counted instead.
Production lanes (`[lanes].production`) and everything else (candidate lanes, libraries,
unlaned files) are totalled apart, because the guide's targets exclude candidate code.

The baseline holds per production lane only the plain, malformed and structured counts and the
score, and no date, so it changes only when those numbers do. The audit fails when a
production lane's plain or malformed count or debt score rose above it.

Items of a declared format (`[todo-audit].formats`) count like the guide's own: structured ones
score, malformed ones are counted. The `format` column says which grammar each was read in.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional, Sequence

from lanekeeper.kernel import ratchet
from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.kernel.ratchet import UNLANED, Comparison, files_most_first
from lanekeeper.todos.grammar import CANONICAL, MALFORMED, PLAIN, STRUCTURED, TodoItem, TodoScan

WEIGHTS = {"HIGH": 10, "MED": 3, "LOW": 1}
CSV_COLUMNS = (
    "file",
    "line",
    "kind",
    "priority",
    "owner",
    "scope",
    "message",
    "lane",
    "status",
    "issue",
    "age_days",
    "format",
)
# The baseline's categories, in file order; the score is `score`.
BASELINE_KEYS = ("plain", "malformed", "structured", "score")


def debt_score(items: Iterable[TodoItem]) -> int:
    """The weighted sum over structured items; malformed and plain items score 0."""
    return sum(WEIGHTS.get(item.priority or "", 0) for item in items if item.status == STRUCTURED)


def age_days(item: TodoItem, today: date) -> Optional[int]:
    """Days from the item's date to `today` (negative if dated later), None without a date."""
    if item.status != STRUCTURED or item.date is None:
        return None
    return (today - date.fromisoformat(item.date)).days


def overdue(item: TodoItem, today: date, max_age_days: Optional[int]) -> bool:
    """Whether a structured item is older than `max_age_days`; never without a maximum."""
    age = age_days(item, today)
    return max_age_days is not None and age is not None and age > max_age_days


@dataclass(frozen=True)
class Counts:
    """TODOs of one lane (or a total): by status, structured ones by priority, and the score."""

    structured: int = 0
    malformed: int = 0
    plain: int = 0
    high: int = 0
    med: int = 0
    low: int = 0
    score: int = 0

    @classmethod
    def of(cls, items: Iterable[TodoItem]) -> Counts:
        items = tuple(items)
        statuses = [item.status for item in items]
        priorities = [item.priority for item in items if item.status == STRUCTURED]
        return cls(
            structured=statuses.count(STRUCTURED),
            malformed=statuses.count(MALFORMED),
            plain=statuses.count(PLAIN),
            high=priorities.count("HIGH"),
            med=priorities.count("MED"),
            low=priorities.count("LOW"),
            score=debt_score(items),
        )

    @property
    def total(self) -> int:
        return self.structured + self.malformed + self.plain

    def get(self, key: str) -> int:
        """A count by its baseline or JSON name (`plain`, `score`, ...)."""
        value = getattr(self, key)
        assert isinstance(value, int)
        return value

    def to_json_dict(self) -> dict[str, int]:
        return {
            "structured": self.structured,
            "malformed": self.malformed,
            "plain": self.plain,
            "high": self.high,
            "med": self.med,
            "low": self.low,
            "score": self.score,
            "total": self.total,
        }


@dataclass(frozen=True)
class AuditedTodo:
    """One item with its lane (None when unlaned), its age in days and whether it is overdue."""

    item: TodoItem
    lane: Optional[str]
    age_days: Optional[int]
    overdue: bool

    def to_json_dict(self) -> dict[str, Any]:
        fields = self.item.to_json_dict()
        fields.update(lane=self.lane, age_days=self.age_days, overdue=self.overdue)
        return fields


@dataclass(frozen=True)
class ScanError:
    """A file the scanner could not read fully; `method` says how its comments were found."""

    path: str
    error: str
    method: str


@dataclass(frozen=True)
class LaneCounts:
    """The counts of one lane (`lane` None for unlaned files)."""

    lane: Optional[str]
    production: bool
    counts: Counts


@dataclass(frozen=True)
class TodoAudit:
    """Every TODO of the scanned files with its lane, and the counts the reports show.

    `lanes` has one row per lane and library of the config, in config order, then one for
    unlaned files if any have TODOs. `entries` are sorted by file and line.
    """

    today: date
    max_age_days: Optional[int]
    files_scanned: int
    production_lanes: tuple[str, ...]
    entries: tuple[AuditedTodo, ...]
    errors: tuple[ScanError, ...]
    lanes: tuple[LaneCounts, ...]
    production: Counts
    non_production: Counts

    @classmethod
    def build(
        cls,
        config: LaneConfig,
        scans: Iterable[TodoScan],
        today: date,
        max_age_days: Optional[int],
    ) -> TodoAudit:
        """Lane every item by its path; raises LaneConfigError if a path matches two lanes."""
        scans = tuple(scans)
        entries: list[AuditedTodo] = []
        for scan in scans:
            # Glob matching is the costly part: once per file, not per item.
            lane = config.lane_of(scan.path) if scan.items else None
            entries.extend(
                AuditedTodo(item, lane, age_days(item, today), overdue(item, today, max_age_days))
                for item in scan.items
            )
        entries.sort(key=lambda entry: (entry.item.path, entry.item.line))
        errors = sorted(
            (ScanError(scan.path, scan.error, scan.method) for scan in scans if scan.error),
            key=lambda error: error.path,
        )
        by_lane: dict[Optional[str], list[TodoItem]] = {lane: [] for lane in config.lanes}
        for entry in entries:
            by_lane.setdefault(entry.lane, []).append(entry.item)
        lanes = tuple(
            LaneCounts(lane, lane in config.production, Counts.of(items))
            for lane, items in by_lane.items()
        )
        return cls(
            today=today,
            max_age_days=max_age_days,
            files_scanned=len(scans),
            production_lanes=config.production,
            entries=tuple(entries),
            errors=tuple(errors),
            lanes=lanes,
            production=Counts.of(e.item for e in entries if e.lane in config.production),
            non_production=Counts.of(e.item for e in entries if e.lane not in config.production),
        )

    def counts_of(self, lane: Optional[str]) -> Counts:
        """The counts of one lane, or of unlaned files for None; zero for an unknown lane."""
        for row in self.lanes:
            if row.lane == lane:
                return row.counts
        return Counts()

    @property
    def high(self) -> tuple[AuditedTodo, ...]:
        """Structured items with PRIORITY:HIGH."""
        return tuple(e for e in self.entries if e.item.priority == "HIGH")

    @property
    def malformed(self) -> tuple[AuditedTodo, ...]:
        return tuple(e for e in self.entries if e.item.status == MALFORMED)

    @property
    def sensitive(self) -> tuple[AuditedTodo, ...]:
        """Items about security, privacy or safety, whatever their status."""
        return tuple(e for e in self.entries if e.item.mentions_sensitive)

    @property
    def overdue(self) -> tuple[AuditedTodo, ...]:
        return tuple(e for e in self.entries if e.overdue)

    @property
    def formats(self) -> tuple[tuple[str, int, int], ...]:
        """`(format, structured, malformed)` of each grammar items were read in: canonical first."""
        counts: dict[str, list[int]] = {}
        for entry in self.entries:
            if entry.item.format is not None:
                row = counts.setdefault(entry.item.format, [0, 0])
                row[0 if entry.item.status == STRUCTURED else 1] += 1
        names = sorted(counts, key=lambda name: (name != CANONICAL, name))
        return tuple((name, counts[name][0], counts[name][1]) for name in names)

    @property
    def declared_formats(self) -> tuple[tuple[str, int, int], ...]:
        """`formats` without the guide's own grammar."""
        return tuple(row for row in self.formats if row[0] != CANONICAL)


def _cell(value: Optional[object]) -> str:
    return "" if value is None else str(value)


def inventory_csv(audit: TodoAudit) -> str:
    """`todo_inventory.csv`: the guide's columns, then lane, status, issue, age; by file, line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in audit.entries:
        item = entry.item
        writer.writerow(
            [
                item.path,
                item.line,
                item.kind,
                _cell(item.priority),
                _cell(item.owner),
                _cell(item.scope),
                item.message,
                _cell(entry.lane),
                item.status,
                _cell(item.issue),
                _cell(entry.age_days),
                _cell(item.format),
            ]
        )
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Baseline


KIND = "todo-audit"
_LABELS = {
    "plain": "plain TODOs",
    "malformed": "malformed TODOs",
    "structured": "structured TODOs",
    "score": "debt score",
}
# Categories that fail the audit when they rise. More structured TODOs is how plain ones get
# fixed; their cost shows in the score.
_RATCHETED = ("plain", "malformed", "score")


def _baseline_row(counts: Counts) -> dict[str, int]:
    return {key: counts.get(key) for key in BASELINE_KEYS}


def baseline_json(audit: TodoAudit) -> str:
    """The baseline file: per production lane, the counts and score."""
    return ratchet.baseline_json(
        KIND, {lane: _baseline_row(audit.counts_of(lane)) for lane in audit.production_lanes}
    )


def _upgrade(document: dict[str, Any]) -> object:
    """A version 1 file: `{"production": <the lanes>, "production_total": <their sum>}`."""
    return document.get("production")


def _files_holding(audit: TodoAudit, lane: str, key: str) -> str:
    """The lane's files with items of `key` (the score for `score`), most first, at most 10."""
    per_file: dict[str, int] = {}
    for entry in audit.entries:
        if entry.lane != lane:
            continue
        if key == "score":
            weight = debt_score([entry.item])
        else:
            weight = 1 if entry.item.status == key else 0
        if weight:
            per_file[entry.item.path] = per_file.get(entry.item.path, 0) + weight
    shown = files_most_first(per_file, unit="score " if key == "score" else "")
    noun = "structured TODOs" if key == "score" else _LABELS[key]
    return f"files with {noun} in {lane}: {shown}"


def compare_to_baseline(
    audit: TodoAudit, baseline_text: str, source: str = "the TODO baseline"
) -> Comparison:
    """The audit's production counts against `baseline_text`; ValueError if it is broken.

    `source` names the baseline in error messages (its path, say).
    """
    rows = ratchet.read_baseline(
        baseline_text, source, kind=KIND, categories=BASELINE_KEYS, upgrade=_upgrade
    )
    lanes = audit.production_lanes
    return ratchet.compare(
        rows,
        {lane: _baseline_row(audit.counts_of(lane)) for lane in lanes},
        kind=KIND,
        lanes=lanes,
        categories=BASELINE_KEYS,
        ratcheted=_RATCHETED,
        files_behind=functools.partial(_files_holding, audit),
        label=_LABELS.__getitem__,
    )


# ---------------------------------------------------------------------------------------------
# Reports


def audit_json(
    audit: TodoAudit, baseline_comparison: Optional[Comparison] = None
) -> dict[str, Any]:
    """Everything the reports show, as JSON-ready values; every number can be recomputed."""
    document: dict[str, Any] = {
        "today": audit.today.isoformat(),
        "max_age_days": audit.max_age_days,
        "weights": dict(WEIGHTS),
        "files_scanned": audit.files_scanned,
        "production_lanes": list(audit.production_lanes),
        "lanes": [
            {"lane": row.lane, "production": row.production, **row.counts.to_json_dict()}
            for row in audit.lanes
        ],
        "production_total": audit.production.to_json_dict(),
        "non_production_total": audit.non_production.to_json_dict(),
        "summary": {
            "high": len(audit.high),
            "malformed": len(audit.malformed),
            "sensitive": len(audit.sensitive),
            "overdue": len(audit.overdue),
            "errors": len(audit.errors),
        },
        "formats": {
            name: {"structured": structured, "malformed": malformed}
            for name, structured, malformed in audit.formats
        },
        "files": _per_file_counts(audit),
        "items": [entry.to_json_dict() for entry in audit.entries],
        "errors": [
            {"path": error.path, "error": error.error, "method": error.method}
            for error in audit.errors
        ],
    }
    if baseline_comparison is not None:
        document["baseline"] = baseline_comparison.to_json_dict()
    return document


def _per_file_counts(audit: TodoAudit) -> dict[str, dict[str, int]]:
    """For each file with TODOs: how many of each kind, status and priority."""
    files: dict[str, dict[str, int]] = {}
    for entry in audit.entries:
        counts = files.setdefault(entry.item.path, {})
        for key in (entry.item.kind, entry.item.status, entry.item.priority):
            if key is not None:
                counts[key] = counts.get(key, 0) + 1
    return {path: dict(sorted(counts.items())) for path, counts in sorted(files.items())}


def _lane_name(lane: Optional[str]) -> str:
    return UNLANED if lane is None else lane


def _where(entry: AuditedTodo) -> str:
    return f"`{entry.item.path}:{entry.item.line}`"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell: a `|` would end the cell."""
    return text.replace("|", "\\|")


def _section(title: str, entries: Sequence[AuditedTodo], lines: Sequence[str]) -> list[str]:
    return [f"## {title} ({len(entries)})", "", *(lines or ["None."]), ""]


def audit_markdown(audit: TodoAudit, baseline_comparison: Optional[Comparison] = None) -> str:
    """`TODO_CLEANUP_AUDIT.md`: counts, scores, the items that need a human, and the baseline."""
    production = ", ".join(audit.production_lanes) or "none"
    weights = ", ".join(f"{name}={weight}" for name, weight in WEIGHTS.items())
    lines = [
        "# TODO cleanup audit",
        "",
        f"Date: {audit.today.isoformat()}. Files scanned: {audit.files_scanned}. "
        f"TODOs found: {len(audit.entries)}.",
        "",
        "## Counts",
        "",
        "| lane | production | structured | malformed | plain | HIGH | MED | LOW | debt score |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [(_lane_name(r.lane), "yes" if r.production else "no", r.counts) for r in audit.lanes]
    rows.append(("**production total**", "", audit.production))
    rows.append(("**non-production total**", "", audit.non_production))
    for name, kind, c in rows:
        lines.append(
            f"| {name} | {kind} | {c.structured} | {c.malformed} | {c.plain} "
            f"| {c.high} | {c.med} | {c.low} | {c.score} |"
        )
    lines += [
        "",
        "## TODO_DEBT_SCORE",
        "",
        f"Weighted sum over structured TODOs ({weights}); malformed and plain TODOs score 0.",
        "",
        f"- Production ({production}): {audit.production.score}",
        f"- Candidate and other non-production code (excluded from production metrics): "
        f"{audit.non_production.score}",
        "",
    ]
    lines += _section(
        "TODO-HIGH items",
        audit.high,
        [
            f"- {_where(e)} {e.item.owner} ({_lane_name(e.lane)}"
            f"{'' if e.item.issue is None else f', issue {e.item.issue}'}): {_md(e.item.message)}"
            for e in audit.high
        ],
    )
    lines += _formats_section(audit)
    lines += _section(
        "Malformed TODOs",
        audit.malformed,
        [
            f"- {_where(e)}{_declared(e.item)}: {_md('; '.join(e.item.problems))}"
            for e in audit.malformed
        ],
    )
    sensitive = [
        f"- {_where(e)} ({e.item.kind}, {e.item.status}, {_lane_name(e.lane)}): "
        f"{_md(e.item.message)}"
        for e in audit.sensitive
    ]
    if sensitive:
        sensitive = [
            "These mention security, privacy or safety: convert them to issues; never delete them.",
            "",
        ] + sensitive
    lines += _section("Security, privacy and safety TODOs", audit.sensitive, sensitive)
    if audit.max_age_days is None:
        lines += ["## Overdue TODOs", "", "Not checked: no maximum age was set.", ""]
    else:
        lines += _section(
            f"Overdue TODOs: older than {audit.max_age_days} days",
            audit.overdue,
            [
                f"- {_where(e)} {e.item.owner}, {e.age_days} days old (dated {e.item.date}): "
                f"{_md(e.item.message)}"
                for e in audit.overdue
            ],
        )
    lines += [f"## Scan errors ({len(audit.errors)})", ""]
    lines += [
        f"- `{error.path}`: {_md(error.error)} (comments found by: {error.method})"
        for error in audit.errors
    ] or ["None."]
    lines.append("")
    if baseline_comparison is not None:
        lines += _before_after(baseline_comparison)
    return "\n".join(lines)


def _declared(item: TodoItem) -> str:
    """` (t4)` for an item of a declared format; nothing for the guide's grammar."""
    return "" if item.format in (None, CANONICAL) else f" ({item.format})"


_REWRITE_HINT = "rewrite them into the guide's grammar with `pants todo-audit --rewrite ::`"


def _formats_section(audit: TodoAudit) -> list[str]:
    """The count per TODO format, when the repo declares formats that items were read in."""
    if not audit.declared_formats:
        return []
    lines = [
        "## TODO formats",
        "",
        f"Items read in formats declared in `[todo-audit].formats`: {_REWRITE_HINT}.",
        "",
        "| format | structured | malformed |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {done} | {bad} |" for name, done, bad in audit.formats]
    return lines + [""]


def _change(was: int, now: int) -> str:
    return f"{was} -> {now} ({now - was:+d})" if now != was else str(now)


def _before_after(comparison: Comparison) -> list[str]:
    status = "FAILED" if comparison.failed else ("clean" if comparison.clean else "passed")
    lines = [
        "## Before and after (baseline)",
        "",
        f"Baseline check: {status}.",
        "",
        "| lane | " + " | ".join(_LABELS[key] for key in BASELINE_KEYS) + " |",
        "| --- |" + " ---: |" * len(BASELINE_KEYS),
    ]
    rows = list(zip(comparison.lanes, comparison.before, comparison.after))
    rows.append(("**production total**", comparison.before_total, comparison.after_total))
    for lane, before, after in rows:
        cells = " | ".join(_change(was, now) for was, now in zip(before, after))
        lines.append(f"| {lane} | {cells} |")
    lines.append("")
    for title, entries in (
        ("Regressions", comparison.regressions),
        ("Slack", comparison.slack),
        ("Notes", comparison.notes),
    ):
        if entries:
            lines += [f"{title}:", "", *(f"- {_md(entry)}" for entry in entries), ""]
    return lines


_TABLE_COLUMNS = ("structured", "malformed", "plain", "high", "med", "low", "score")
_TABLE_HEADERS = ("structured", "malformed", "plain", "HIGH", "MED", "LOW", "score")


def audit_table(audit: TodoAudit, comparison: Optional[Comparison] = None) -> str:
    """A fixed-width table: lane x counts, then the production and non-production totals.

    With a comparison, production cells the baseline tracks show their change (`3 (+1)`).
    """
    rows: list[tuple[str, Optional[str], bool, Counts]] = [
        (_lane_name(r.lane), r.lane, r.production, r.counts) for r in audit.lanes
    ]
    rows.append(("production total", None, True, audit.production))
    rows.append(("non-production total", None, False, audit.non_production))
    table: list[list[str]] = [["lane", *_TABLE_HEADERS]]
    for label, lane, production, counts in rows:
        cells = [label]
        for key in _TABLE_COLUMNS:
            cell = str(counts.get(key))
            delta = comparison.delta(lane, key) if comparison is not None and production else None
            if delta:
                cell += f" ({delta:+d})"
            cells.append(cell)
        table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    out = []
    for number, row in enumerate(table):
        if number == len(table) - 2:
            out.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        out.append("  ".join([first, *rest]).rstrip())
    lanes = ", ".join(audit.production_lanes) or "none"
    out.append(f"production lanes: {lanes}; score: HIGH=10, MED=3, LOW=1 (structured only)")
    if audit.declared_formats:
        declared = "; ".join(
            f"{name} {done} structured, {bad} malformed"
            for name, done, bad in audit.declared_formats
        )
        out.append(f"declared formats: {declared}: {_REWRITE_HINT}")
    return "\n".join(out) + "\n"
