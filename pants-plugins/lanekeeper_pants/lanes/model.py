"""The validated lane model, parsed once per run and shared by every rule that needs it, and the
lane baseline file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pants.engine.rules import collect_rules, rule

from lanekeeper.kernel.lane_config import LaneConfig, LaneConfigError
from lanekeeper.lane_adoption import LaneBaseline, LaneException, parse_exceptions
from lanekeeper_pants.goal_support import read_build_root_file
from lanekeeper_pants.lanes.subsystem import LanesSubsystem


@dataclass(frozen=True)
class LaneModel:
    """The `[lanes]` config and exceptions, or the one-line error that says what is wrong."""

    config: Optional[LaneConfig]
    error: Optional[str]
    exceptions: tuple[LaneException, ...] = ()


@rule
async def parse_lane_model(subsystem: LanesSubsystem) -> LaneModel:
    try:
        return LaneModel(subsystem.lane_config(), None, parse_exceptions(subsystem.exceptions))
    except LaneConfigError as e:
        return LaneModel(None, str(e))


@dataclass(frozen=True)
class LaneBaselineFile:
    """`[lanes].baseline`: its entries (empty when there is no file), or why it is broken."""

    path: str
    exists: bool
    baseline: LaneBaseline
    error: Optional[str] = None


@rule
async def read_lane_baseline(subsystem: LanesSubsystem) -> LaneBaselineFile:
    path = subsystem.baseline
    text = await read_build_root_file(path)
    if text is None:
        return LaneBaselineFile(path, False, LaneBaseline())
    try:
        return LaneBaselineFile(path, True, LaneBaseline.parse(text, path))
    except ValueError as e:
        return LaneBaselineFile(path, True, LaneBaseline(), str(e))


def rules():
    return collect_rules()
