"""The `lanes` linter's baseline file (`[lanes].baseline`), read once per run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pants.engine.rules import collect_rules, rule

from lanekeeper.lanes.adoption import LaneBaseline
from lanekeeper_pants.goal_support import read_build_root_file
from lanekeeper_pants.lanes.subsystem import LanesSubsystem


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
