"""Import health's baseline: production lanes' counts, ratcheted by `kernel.ratchet`."""

from __future__ import annotations

import functools
from typing import Any, Optional

from lanekeeper.import_health.categories import CATEGORIES, RATCHETED
from lanekeeper.import_health.report import ImportHealthReport
from lanekeeper.kernel import ratchet
from lanekeeper.kernel.ratchet import Comparison, files_most_first

KIND = "import-health"


def baseline_json(report: ImportHealthReport) -> str:
    """The baseline file: per production lane, the count of every checked category."""
    return ratchet.baseline_json(
        KIND,
        {
            lane: {category: report.count(lane, category) for category in report.checked}
            for lane in report.production_lanes
        },
    )


def _upgrade(document: dict[str, Any]) -> object:
    """A version 1 file: `{"kind": "import-health", "production": <the lanes>}`."""
    return document.get("production") if document.get("kind") == KIND else None


def _files_holding(report: ImportHealthReport, lane: str, category: str) -> str:
    """The lane's files with findings of `category`, most first."""
    per_file: dict[str, int] = {}
    for entry in report.findings:
        if entry.lane == lane and entry.finding.category == category:
            per_file[entry.finding.path] = per_file.get(entry.finding.path, 0) + 1
    return f"files with {category} in {lane}: {files_most_first(per_file)}"


def compare_to_baseline(
    report: ImportHealthReport, text: str, source: str = "the import-health baseline"
) -> Comparison:
    """The report's production counts against the baseline `text`; ValueError if broken.

    Only categories both sides track are compared: one this run did not check, or one the
    baseline does not hold yet, is a note, never a regression.
    """
    rows = ratchet.read_baseline(text, source, kind=KIND, categories=CATEGORIES, upgrade=_upgrade)
    tracked = set().union(*(row.keys() for row in rows.values())) if rows else set()
    notes = [
        f"{category}: not in the baseline yet; `--update-baseline` tracks it"
        for category in report.checked
        if category not in tracked
    ]
    notes += [
        f"{category}: in the baseline but not checked in this run"
        for category in CATEGORIES
        if category in tracked and category in report.not_checked
    ]
    categories = tuple(c for c in report.checked if c in tracked)
    lanes = report.production_lanes
    return ratchet.compare(
        rows,
        {lane: {c: report.count(lane, c) for c in categories} for lane in lanes},
        kind=KIND,
        lanes=lanes,
        categories=categories,
        ratcheted=RATCHETED,
        files_behind=functools.partial(_files_holding, report),
        notes=notes,
    )


def run_failed(report: ImportHealthReport, comparison: Optional[Comparison]) -> bool:
    """Whether the run fails: a regression against the baseline, or a policy failure."""
    return bool(report.policy_failures) or (comparison is not None and comparison.failed)
