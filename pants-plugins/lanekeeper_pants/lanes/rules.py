from __future__ import annotations

import json
import logging

from pants.backend.python.dependency_inference.rules import (
    PythonImportDependenciesInferenceFieldSet,
)
from pants.backend.python.target_types import PythonSourceField
from pants.engine.console import Console
from pants.engine.fs import PathGlobs, Paths
from pants.engine.goal import Goal
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule
from pants.engine.target import Targets

from lanekeeper.cycles import cycles_json, find_cycles, production_cycles, render_cycles
from lanekeeper.lane_listing import assign_lanes, render_json, render_text
from lanekeeper.lane_report import lane_config_findings, render_report, report_json
from lanekeeper.lanes import LaneConfig, LaneConfigError
from lanekeeper_pants.lanes.edges import ImportEdges, ImportEdgesRequest
from lanekeeper_pants.lanes.subsystem import LanesSubsystem, ListingFormat

logger = logging.getLogger(__name__)


class LanesGoal(Goal):
    subsystem_cls = LanesSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


async def _import_edges(targets: Targets) -> list:
    field_sets = [
        PythonImportDependenciesInferenceFieldSet.create(t)
        for t in targets
        if PythonImportDependenciesInferenceFieldSet.is_applicable(t)
    ]
    results = await MultiGet(Get(ImportEdges, ImportEdgesRequest(fs)) for fs in field_sets)
    return [edge for result in results for edge in result.edges]


async def _glob_match_counts(config: LaneConfig) -> dict[str, int]:
    patterns = [glob.pattern for _, globs in config.paths for glob in globs]
    matches = await MultiGet(Get(Paths, PathGlobs([pattern])) for pattern in patterns)
    return {pattern: len(paths.files) for pattern, paths in zip(patterns, matches)}


@goal_rule
async def show_lanes(targets: Targets, subsystem: LanesSubsystem, console: Console) -> LanesGoal:
    try:
        config = subsystem.lane_config()
        # Lanes hold Python code: other targets (files, requirements) have no lane to keep.
        python_files = [
            (t.address.spec, t[PythonSourceField].file_path)
            for t in targets
            if t.has_field(PythonSourceField)
        ]
        listing = assign_lanes(config, python_files)
    except LaneConfigError as e:
        console.print_stderr(f"{console.red('error:')} {e}")
        return LanesGoal(exit_code=1)
    for warning in config.warnings:
        logger.warning(warning)
    as_json = subsystem.format == ListingFormat.json

    if not (subsystem.cycles or subsystem.report):
        render = render_json if as_json else render_text
        with subsystem.output(console) as write_stdout:
            write_stdout(render(config, listing))
        return LanesGoal(exit_code=0)

    edges = await _import_edges(targets)
    exit_code = 0
    document: dict[str, object] = {}
    text: list[str] = []
    if subsystem.cycles:
        cycles = find_cycles(edges)
        document["cycles"] = cycles_json(config, cycles)
        text.append(render_cycles(config, cycles))
        exit_code = 1 if production_cycles(config, cycles) else 0
    if subsystem.report:
        checked_lanes = {t.lane for t in listing.targets if t.lane is not None}
        findings = lane_config_findings(
            config, await _glob_match_counts(config), edges, checked_lanes
        )
        document["findings"] = report_json(findings)
        text.append(render_report(findings))
    with subsystem.output(console) as write_stdout:
        write_stdout(json.dumps(document, indent=2) + "\n" if as_json else "\n".join(text))
    return LanesGoal(exit_code=exit_code)


def rules():
    return collect_rules()
