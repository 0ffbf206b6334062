"""The one way a rule gets the lane model: `LaneModel`, parsed once per run from `[lanes]` and
memoized by the engine, holding either the validated config (and exceptions) or the one-line
error that says what is wrong. Every goal asks for it; none parses `[lanes]` itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pants.engine.rules import collect_rules, rule

from lanekeeper.kernel.lane_config import LaneConfig, LaneConfigError
from lanekeeper.lanes.adoption import LaneException, parse_exceptions
from lanekeeper_pants.lanes.subsystem import LanesSubsystem


@dataclass(frozen=True)
class LaneModel:
    """The `[lanes]` config and exceptions, or the one-line error that says what is wrong."""

    config: Optional[LaneConfig]
    error: Optional[str]
    exceptions: tuple[LaneException, ...] = ()


# What a repo without a `[lanes]` section sees from every goal, instead of an empty lane model.
NO_LANES = (
    "no lanes are configured: add a `[lanes]` section to pants.toml with `order` (your lanes, "
    "least strict first) and `paths` (each lane's path globs); see README.md, \"Adopt lanekeeper "
    'in your repo".'
)


@rule
async def parse_lane_model(subsystem: LanesSubsystem) -> LaneModel:
    if not subsystem.order and not subsystem.libraries:
        return LaneModel(None, NO_LANES)
    try:
        config = LaneConfig.parse(
            order=subsystem.order,
            libraries=subsystem.libraries,
            paths=subsystem.paths,
            allowed_imports=subsystem.allowed_imports,
            production=subsystem.production,
        )
        return LaneModel(config, None, parse_exceptions(subsystem.exceptions))
    except LaneConfigError as e:
        return LaneModel(None, str(e))


def rules():
    return collect_rules()
