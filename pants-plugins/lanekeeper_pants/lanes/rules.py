from __future__ import annotations

import json
import logging
from pathlib import Path, PurePath
from typing import Iterable

from pants.backend.python.dependency_inference.rules import (
    PythonImportDependenciesInferenceFieldSet,
)
from pants.backend.python.target_types import PythonSourceField
from pants.core.util_rules.distdir import DistDir
from pants.engine.console import Console
from pants.engine.fs import PathGlobs, Paths, Workspace
from pants.engine.goal import Goal
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule
from pants.engine.target import Targets
from pants.source.source_root import SourceRootsRequest, SourceRootsResult

from lanekeeper.findings.convert import from_lane_config
from lanekeeper.findings.model import Finding
from lanekeeper.findings.report import machine_output, sarif_path
from lanekeeper.kernel.lane_config import LaneConfig, LaneConfigError
from lanekeeper.lanes.adoption import adopt, updated_baseline
from lanekeeper.lanes.cycles import cycles_json, find_cycles, production_cycles, render_cycles
from lanekeeper.lanes.imports import FileImports
from lanekeeper.lanes.listing import assign_lanes, render_json, render_text
from lanekeeper.lanes.report import (
    adoption_findings,
    lane_config_findings,
    render_report,
    report_json,
)
from lanekeeper.lanes.suggest import suggest_lanes
from lanekeeper.lanes.violations import LaneViolation
from lanekeeper_pants.goal_support import date_option, write_files
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.lanes import lint
from lanekeeper_pants.lanes.baseline_file import LaneBaselineFile
from lanekeeper_pants.lanes.edges import FileImportsRequest, FileImportsResult
from lanekeeper_pants.lanes.lint import FileLaneCheckRequest, FileLaneCheckResult, LanesFieldSet
from lanekeeper_pants.lanes.subsystem import LanesSubsystem, ListingFormat
from lanekeeper_pants.machine_output import print_annotations

logger = logging.getLogger(__name__)


class LanesGoal(Goal):
    subsystem_cls = LanesSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


async def _file_imports(targets: Targets) -> list[FileImports]:
    field_sets = [
        PythonImportDependenciesInferenceFieldSet.create(t)
        for t in targets
        if PythonImportDependenciesInferenceFieldSet.is_applicable(t)
    ]
    results = await MultiGet(Get(FileImportsResult, FileImportsRequest(fs)) for fs in field_sets)
    return [result.imports for result in results]


async def _suggest(console: Console, targets: Targets) -> int:
    """Print a starting `[lanes]` section from the targets' packages and imports."""
    imports = await _file_imports(targets)
    paths = [file.path for file in imports]
    roots = await Get(SourceRootsResult, SourceRootsRequest.for_files(paths))
    files = [(path, roots.path_to_root[PurePath(path)].path) for path in paths]
    text = suggest_lanes(files, [edge for file in imports for edge in file.edges])
    if not text:
        console.print_stderr(
            "error: no Python file under a package of a source root among the selected files: "
            "run `pants lanes --suggest ::`, and check `[source].root_patterns`."
        )
        return 1
    console.print_stdout(text, end="")
    return 0


async def _lane_findings(targets: Targets) -> tuple[list[str], list[LaneViolation]]:
    """The checked files (those the `lanes` linter checks) and their findings."""
    field_sets = [
        LanesFieldSet.create(t)
        for t in targets
        if LanesFieldSet.is_applicable(t) and not LanesFieldSet.opt_out(t)
    ]
    results = await MultiGet(
        Get(FileLaneCheckResult, FileLaneCheckRequest(fs)) for fs in field_sets
    )
    return (
        [fs.source.file_path for fs in field_sets],
        [v for result in results for v in result.findings],
    )


async def _glob_match_counts(config: LaneConfig) -> dict[str, int]:
    patterns = [glob.pattern for _, globs in config.paths for glob in globs]
    matches = await MultiGet(Get(Paths, PathGlobs([pattern])) for pattern in patterns)
    return {pattern: len(paths.files) for pattern, paths in zip(patterns, matches)}


async def _existing(paths: Iterable[str]) -> set[str]:
    found = await Get(Paths, PathGlobs(sorted(set(paths))))
    return set(found.files)


def _unreadable(console: Console, imports: Iterable[FileImports]) -> None:
    """Say which files Pants cannot read: their imports are missing when none can be decoded."""
    for file in imports:
        problem = file.not_utf8
        if problem is None:
            continue
        left_out = "" if problem.declared else "; its imports are left out"
        console.print_stderr(f"{file.path}: LK004 {problem.problem}{left_out}")


@goal_rule
async def show_lanes(
    targets: Targets,
    subsystem: LanesSubsystem,
    model: LaneModel,
    baseline_file: LaneBaselineFile,
    console: Console,
    workspace: Workspace,
    dist_dir: DistDir,
) -> LanesGoal:
    def error(message: str) -> LanesGoal:
        console.print_stderr(f"{console.red('error:')} {message}")
        return LanesGoal(exit_code=1)

    if subsystem.suggest:
        return LanesGoal(exit_code=await _suggest(console, targets))
    if model.config is None:
        return error(model.error or "`[lanes]` is not valid")
    config = model.config
    try:
        # Lanes hold Python code: other targets (files, requirements) have no lane to keep.
        python_files = [
            (t.address.spec, t[PythonSourceField].file_path)
            for t in targets
            if t.has_field(PythonSourceField)
        ]
        listing = assign_lanes(config, python_files)
        today = date_option("lanes", subsystem.today)
    except (LaneConfigError, ValueError) as e:
        return error(str(e))
    for warning in config.warnings:
        logger.warning(warning)
    as_json = subsystem.format == ListingFormat.json

    if subsystem.update_baseline:
        if baseline_file.error is not None:
            # The broken file's entries cannot be kept: it is written afresh, as its error says.
            console.print_stderr(f"{console.yellow('warning:')} {baseline_file.error}")
        checked, violations = await _lane_findings(targets)
        old = baseline_file.baseline
        existing = await _existing(old.files())
        new = updated_baseline(old, violations, checked, model.exceptions, today, existing)
        await write_files(workspace, {Path(baseline_file.path): new.to_json()})
        added = len(set(new.entries) - set(old.entries))
        removed = len(set(old.entries) - set(new.entries))
        console.print_stdout(
            f"Wrote the baseline {baseline_file.path}: {len(new.entries)} entries in "
            f"{len(new.files())} files ({added} added, {removed} removed)."
        )
        return LanesGoal(exit_code=0)

    if not (subsystem.cycles or subsystem.report):
        render = render_json if as_json else render_text
        with subsystem.output(console) as write_stdout:
            write_stdout(render(config, listing))
        return LanesGoal(exit_code=0)

    imports = await _file_imports(targets)
    _unreadable(console, imports)
    edges = [edge for file in imports for edge in file.edges]
    exit_code = 0
    document: dict[str, object] = {}
    text: list[str] = []
    machine: list[Finding] = []
    if subsystem.cycles:
        cycles = find_cycles(edges)
        document["cycles"] = cycles_json(config, cycles)
        text.append(render_cycles(config, cycles))
        exit_code = 1 if production_cycles(config, cycles) else 0
    if subsystem.report:
        if baseline_file.error is not None:
            return error(baseline_file.error)
        checked_lanes = {t.lane for t in listing.targets if t.lane is not None}
        findings = lane_config_findings(
            config, await _glob_match_counts(config), edges, checked_lanes
        )
        checked, violations = await _lane_findings(targets)
        baseline = baseline_file.baseline
        adoption = adopt(violations, checked, baseline, model.exceptions, today)
        existing = await _existing(baseline.files())
        gone = [key for key in baseline.entries if key[0] not in existing]
        findings += adoption_findings(model.exceptions, adoption, today, baseline_file.path, gone)
        document["findings"] = report_json(findings)
        text.append(render_report(findings))
        machine = from_lane_config(findings, baseline_file.path)
        out = dist_dir.relpath / "lanes"
        await write_files(workspace, machine_output(out, "lanes", machine))
    with subsystem.output(console) as write_stdout:
        write_stdout(json.dumps(document, indent=2) + "\n" if as_json else "\n".join(text))
    if subsystem.report:
        sarif = sarif_path(dist_dir.relpath / "lanes", "lanes")
        print_annotations(console, subsystem.annotations, machine, config.production, sarif)
    return LanesGoal(exit_code=exit_code)


def rules():
    return [*collect_rules(), *lint.rules()]
