"""The validated lane model, parsed once per run and shared by every rule that needs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pants.engine.rules import collect_rules, rule

from lanekeeper.lanes import LaneConfig, LaneConfigError
from lanekeeper_pants.lanes.subsystem import LanesSubsystem


@dataclass(frozen=True)
class LaneModel:
    """The `[lanes]` config, or the one-line error that says what is wrong with it."""

    config: Optional[LaneConfig]
    error: Optional[str]


@rule
async def parse_lane_model(subsystem: LanesSubsystem) -> LaneModel:
    try:
        return LaneModel(subsystem.lane_config(), None)
    except LaneConfigError as e:
        return LaneModel(None, str(e))


def rules():
    return collect_rules()
