"""The promotion board (`pants promote <specs>` without `--to`): which directories are modules,
which of them are candidates for the next lane, and each one's verdict, sorted for reading.

A module is a directory directly under a lane's root (the part of the lane's glob before its
`**`: `demo/candidate` for `demo/candidate/**`), unless `[promote].modules` lists module
directories as globs; then a file's module is the deepest listed directory holding it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Optional, Sequence

from lanekeeper.kernel.globs import PathGlob
from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.promote.gate import GateResult, Status, engine_failure
from lanekeeper.promote.module import Promotion, PromotionError, plan_promotion
from lanekeeper.promote.report import PromotionReport


class Verdict(Enum):
    READY = "READY"  # every automated gate passes; the human gates remain
    BLOCKED = "BLOCKED"  # at least one gate FAILs
    NOT_A_CANDIDATE = "NOT-A-CANDIDATE"  # nothing to promote it to, or not promotable as is


@dataclass(frozen=True)
class BoardModule:
    """A module of the board and its Python files; `promotion` None with `reason` when it is
    not a candidate."""

    module: str
    lane: str
    files: tuple[str, ...]
    promotion: Optional[Promotion]
    reason: str = ""


@dataclass(frozen=True)
class BoardRow:
    module: str
    source: str
    target: str  # "" when not a candidate
    verdict: Verdict
    reason: str = ""  # why NOT-A-CANDIDATE
    report: Optional[PromotionReport] = None

    def count(self, status: Status) -> int:
        return sum(1 for g in self.report.gates if g.status is status) if self.report else 0

    @property
    def failing(self) -> tuple[GateResult, ...]:
        gates = self.report.gates if self.report else ()
        return tuple(g for g in gates if g.status is Status.FAIL)


@dataclass(frozen=True)
class LaneSummary:
    lane: str
    modules: int
    ready: int
    blocked: int


def _lane_root(config: LaneConfig, lane: str, path: str) -> Optional[str]:
    """The root of `lane` that `path` lies under: the path's segments before the `**` of the
    lane's first glob matching it (None when that glob has no `**`)."""
    for name, globs in config.paths:
        if name != lane:
            continue
        for glob in globs:
            if glob.matches(path) and "**" in glob.segments:
                depth = glob.segments.index("**")
                return "/".join(path.split("/")[:depth])
    return None


def module_of(config: LaneConfig, path: str, modules: Sequence[PathGlob] = ()) -> Optional[str]:
    """The module directory holding `path`, or None when it is in no module (a file directly
    in a lane's root, or an unlaned file)."""
    directories = path.split("/")[:-1]
    if modules:
        for depth in range(len(directories), 0, -1):
            directory = "/".join(directories[:depth])
            if any(glob.matches(directory) for glob in modules):
                return directory
        return None
    lane = config.lane_of(path)
    root = _lane_root(config, lane, path) if lane else None
    if root is None:
        return None
    depth = len(root.split("/")) if root else 0
    if len(directories) <= depth:
        return None
    return "/".join(directories[: depth + 1])


def board_modules(
    config: LaneConfig, files: Iterable[str], modules: Sequence[str] = ()
) -> tuple[BoardModule, ...]:
    """Every module holding one of `files`, with the promotion to its next lane. `modules`
    are `[promote].modules` globs (ValueError, with the fix, for an invalid one)."""
    try:
        globs = [PathGlob.parse(pattern) for pattern in modules]
    except ValueError as e:
        raise ValueError(f"`[promote].modules`: {e}") from e
    grouped: dict[str, list[str]] = defaultdict(list)
    for path in files:
        module = module_of(config, path, globs)
        if module is not None:
            grouped[module].append(path)
    return tuple(board_module(config, m, tuple(sorted(fs))) for m, fs in sorted(grouped.items()))


def board_module(config: LaneConfig, module: str, files: tuple[str, ...]) -> BoardModule:
    """The module (its Python `files`) with its promotion to the next lane, or why it has none."""
    lane = config.lane_of(files[0]) or ""
    target = config.next_lane(lane) if lane else None
    if target is None:
        if lane in config.libraries:
            why = f"{lane} is a library: libraries are never promoted"
        else:
            why = f"already in the last lane ({lane})"
        return BoardModule(module, lane, files, None, why)
    try:
        return BoardModule(module, lane, files, plan_promotion(config, files, target))
    except PromotionError as e:
        return BoardModule(module, lane, files, None, str(e))


def board_row(module: BoardModule, report: Optional[PromotionReport]) -> BoardRow:
    """The module's row: READY when no gate FAILs (NEEDS-HUMAN gates are for the reviewers)."""
    if module.promotion is None or report is None:
        return BoardRow(module.module, module.lane, "", Verdict.NOT_A_CANDIDATE, module.reason)
    verdict = Verdict.BLOCKED if report.failed else Verdict.READY
    return BoardRow(report.module, report.source, report.target, verdict, report=report)


def evaluation_failed(promotion: Promotion, error: str) -> PromotionReport:
    """The report of a module whose evaluation the engine could not finish: one gate that could
    not be checked, with the engine's error (`engine_failure`), so the module shows as BLOCKED."""
    return PromotionReport(
        promotion.module,
        promotion.source,
        promotion.target,
        (engine_failure("evaluation", error),),
    )


def sorted_rows(rows: Iterable[BoardRow]) -> tuple[BoardRow, ...]:
    """READY first, then BLOCKED by the number of failing gates, then NOT-A-CANDIDATE."""
    rank = {Verdict.READY: 0, Verdict.BLOCKED: 1, Verdict.NOT_A_CANDIDATE: 2}
    return tuple(sorted(rows, key=lambda r: (rank[r.verdict], len(r.failing), r.module)))


def lane_summaries(config: LaneConfig, rows: Iterable[BoardRow]) -> tuple[LaneSummary, ...]:
    """One summary per lane with a module on the board, in `[lanes]` order."""
    by_lane: dict[str, list[BoardRow]] = defaultdict(list)
    for row in rows:
        by_lane[row.source].append(row)
    order = {lane: number for number, lane in enumerate(config.lanes)}
    return tuple(
        LaneSummary(
            lane,
            len(lane_rows),
            sum(1 for r in lane_rows if r.verdict is Verdict.READY),
            sum(1 for r in lane_rows if r.verdict is Verdict.BLOCKED),
        )
        for lane, lane_rows in sorted(by_lane.items(), key=lambda i: order.get(i[0], len(order)))
    )
