"""The roll-up: per-file results by lane and directory, with the counts every report prints."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from lanekeeper.import_health.analysis import FileImportHealth, ImportFinding, NoqaException
from lanekeeper.import_health.categories import CATEGORIES, E402, NOQA_UNUSED, POLICY_CATEGORIES
from lanekeeper.kernel.lane_config import LaneConfig


@dataclass(frozen=True)
class LanedFinding:
    """A finding with the lane of its file (None when unlaned)."""

    finding: ImportFinding
    lane: Optional[str]

    def to_json_dict(self) -> dict[str, Any]:
        return {**self.finding.to_json_dict(), "lane": self.lane}


@dataclass(frozen=True)
class ImportHealthReport:
    """Every finding with its lane, and counts per lane and per directory x category.

    `lanes` are the config's lanes and libraries in order, then None (unlaned) if any file is;
    `counts` has one row per entry of `lanes`, in `CATEGORIES` order; `directories` likewise
    per parent directory of the files with findings. Categories in `not_checked` were not
    looked for, and show as "not checked", never as 0.
    """

    production_lanes: tuple[str, ...]
    files_analyzed: int
    findings: tuple[LanedFinding, ...]
    exceptions: tuple[tuple[NoqaException, Optional[str]], ...]
    errors: tuple[tuple[str, str], ...]
    lanes: tuple[Optional[str], ...]
    counts: tuple[tuple[int, ...], ...]
    directories: tuple[tuple[str, tuple[int, ...]], ...]
    not_checked: tuple[str, ...]

    @classmethod
    def build(
        cls,
        config: LaneConfig,
        files: Iterable[FileImportHealth],
        *,
        extra_findings: Iterable[ImportFinding] = (),
        not_checked: Sequence[str] = (),
    ) -> ImportHealthReport:
        """Lane every finding by its path; raises LaneConfigError if a path matches two lanes.

        `extra_findings` are findings made elsewhere (lane violations, cycles); list the
        categories nobody looked for in `not_checked`.
        """
        files = tuple(files)
        skipped = set(not_checked)
        if any(not file.e402_checked and file.error is None for file in files):
            skipped.update((E402, NOQA_UNUSED))
        lane_cache: dict[str, Optional[str]] = {}

        def lane_of(path: str) -> Optional[str]:
            if path not in lane_cache:
                lane_cache[path] = config.lane_of(path)
            return lane_cache[path]

        raw = [f for file in files for f in file.findings] + list(extra_findings)
        findings = sorted(
            (LanedFinding(f, lane_of(f.path)) for f in raw),
            key=lambda e: (e.finding.path, e.finding.line, _order(e.finding.category)),
        )
        lanes: list[Optional[str]] = list(config.lanes)
        if any(lane_of(file.path) is None for file in files) or any(
            e.lane is None for e in findings
        ):
            lanes.append(None)
        index = {category: i for i, category in enumerate(CATEGORIES)}
        per_lane = {lane: [0] * len(CATEGORIES) for lane in lanes}
        per_dir: dict[str, list[int]] = {}
        for entry in findings:
            column = index.get(entry.finding.category)
            if column is None:
                continue
            per_lane.setdefault(entry.lane, [0] * len(CATEGORIES))[column] += 1
            directory = posixpath.dirname(entry.finding.path) or "."
            per_dir.setdefault(directory, [0] * len(CATEGORIES))[column] += 1
        exceptions = sorted(
            ((e, lane_of(e.path)) for file in files for e in file.exceptions),
            key=lambda pair: (pair[0].path, pair[0].line),
        )
        return cls(
            production_lanes=config.production,
            files_analyzed=len(files),
            findings=tuple(findings),
            exceptions=tuple(exceptions),
            errors=tuple(sorted((file.path, file.error) for file in files if file.error)),
            lanes=tuple(lanes),
            counts=tuple(tuple(per_lane[lane]) for lane in lanes),
            directories=tuple((d, tuple(row)) for d, row in sorted(per_dir.items())),
            not_checked=tuple(c for c in CATEGORIES if c in skipped),
        )

    @property
    def checked(self) -> tuple[str, ...]:
        """The categories that were looked for, in `CATEGORIES` order."""
        return tuple(c for c in CATEGORIES if c not in self.not_checked)

    def count(self, lane: Optional[str], category: str) -> int:
        """Findings of `category` in `lane` (None: unlaned); 0 for an unknown lane."""
        if lane not in self.lanes or category not in CATEGORIES:
            return 0
        return self.counts[self.lanes.index(lane)][CATEGORIES.index(category)]

    def production_total(self, category: str) -> int:
        return sum(self.count(lane, category) for lane in self.production_lanes)

    @property
    def policy_failures(self) -> tuple[str, ...]:
        """Expired and unjustified exceptions in production lanes: they fail the run always."""
        return tuple(
            f"{e.finding.path}:{e.finding.line}: {e.finding.category} in production lane "
            f"{e.lane}: {e.finding.detail}"
            for e in self.findings
            if e.lane in self.production_lanes and e.finding.category in POLICY_CATEGORIES
        )


def _order(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)
