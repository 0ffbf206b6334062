from __future__ import annotations

import logging

from pants.backend.python.target_types import PythonSourceField
from pants.engine.console import Console
from pants.engine.goal import Goal
from pants.engine.rules import collect_rules, goal_rule
from pants.engine.target import Targets

from lanekeeper.lane_listing import assign_lanes, render_json, render_text
from lanekeeper.lanes import LaneConfigError
from lanekeeper_pants.lanes.subsystem import LanesSubsystem, ListingFormat

logger = logging.getLogger(__name__)


class LanesGoal(Goal):
    subsystem_cls = LanesSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


@goal_rule
async def show_lanes(targets: Targets, subsystem: LanesSubsystem, console: Console) -> LanesGoal:
    try:
        config = subsystem.lane_config()
        # Lanes hold Python code: other targets (files, requirements) have no lane to keep.
        python_files = (
            (t.address.spec, t[PythonSourceField].file_path)
            for t in targets
            if t.has_field(PythonSourceField)
        )
        listing = assign_lanes(config, python_files)
    except LaneConfigError as e:
        console.print_stderr(f"{console.red('error:')} {e}")
        return LanesGoal(exit_code=1)
    for warning in config.warnings:
        logger.warning(warning)
    render = render_json if subsystem.format == ListingFormat.json else render_text
    with subsystem.output(console) as write_stdout:
        write_stdout(render(config, listing))
    return LanesGoal(exit_code=0)


def rules():
    return collect_rules()
