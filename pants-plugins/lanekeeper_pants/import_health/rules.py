from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pants.backend.python.dependency_inference.rules import (
    PythonImportDependenciesInferenceFieldSet,
)
from pants.backend.python.lint.ruff.subsystem import Ruff
from pants.backend.python.util_rules.pex import PexRequest, VenvPex, VenvPexProcess
from pants.core.util_rules.distdir import DistDir
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.console import Console
from pants.engine.fs import (
    Workspace,
)
from pants.engine.goal import Goal
from pants.engine.process import ProcessResult
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule, rule
from pants.engine.target import Targets
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

from lanekeeper.analyze import import_health_from_json, parse_output
from lanekeeper.import_health import (
    CYCLE,
    LANE_VIOLATION,
    ImportFinding,
    ImportHealthReport,
    audit_markdown,
    baseline_json,
    compare_to_baseline,
    console_table,
    parse_ruff_json,
    report_json,
    run_failed,
)
from lanekeeper.lanes.cycles import find_cycles
from lanekeeper.migration import validate_renames
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.analyzer.rules import (
    AnalysisBatch,
    AnalysisBatchResult,
    batches_by_directory,
)
from lanekeeper_pants.goal_support import date_option, read_build_root_file, write_files
from lanekeeper_pants.import_health.subsystem import ImportHealthSubsystem
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.lanes.edges import ImportEdges, ImportEdgesRequest
from lanekeeper_pants.lanes.lint import FileLaneCheckRequest, FileLaneCheckResult, LanesFieldSet
from lanekeeper_pants.matriz_migrate.subsystem import MatrizMigrateSubsystem


class ImportHealthGoal(Goal):
    subsystem_cls = ImportHealthSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


@dataclass(frozen=True)
class E402Request:
    batch: AnalysisBatch


@dataclass(frozen=True)
class E402Result:
    ruff_json: str
    files: tuple[str, ...]


@rule(desc="Find E402 with ruff", level=LogLevel.DEBUG)
async def find_e402(request: E402Request, ruff: Ruff) -> E402Result:
    ruff_pex, sources = await MultiGet(
        Get(VenvPex, PexRequest, ruff.to_pex_request()),
        Get(SourceFiles, SourceFilesRequest(request.batch.sources)),
    )
    files = sources.snapshot.files
    # `--ignore-noqa` counts suppressed E402s too: they are the exceptions to audit.
    # `--exit-zero`: findings exit 0, so a failure is ruff's own and fails the run (ProcessResult).
    result = await Get(
        ProcessResult,
        VenvPexProcess(
            ruff_pex,
            argv=(
                "check",
                "--isolated",
                "--no-cache",
                "--select=E402",
                "--ignore-noqa",
                "--output-format=json",
                "--exit-zero",
                *files,
            ),
            input_digest=sources.snapshot.digest,
            description=f"Run ruff E402 on {pluralize(len(files), 'file')}.",
            level=LogLevel.DEBUG,
        ),
    )
    return E402Result(result.stdout.decode(), files)


@goal_rule
async def import_health(
    targets: Targets,
    subsystem: ImportHealthSubsystem,
    lane_model: LaneModel,
    migrate: MatrizMigrateSubsystem,
    console: Console,
    workspace: Workspace,
    dist_dir: DistDir,
) -> ImportHealthGoal:
    config = lane_model.config
    try:
        if config is None:
            raise ValueError(lane_model.error or "`[lanes]` is not valid")
        today = date_option("import-health", subsystem.today)
        renames = dict(migrate.renames)
        validate_renames(renames, "[matriz-migrate].renames")
    except ValueError as e:
        console.print_stderr(f"{console.red('error:')} {e}")
        return ImportHealthGoal(exit_code=1)

    batches = batches_by_directory("imports", targets)
    e402_results = await MultiGet(Get(E402Result, E402Request(batch)) for batch in batches)
    analysis_batches = []
    for batch, e402 in zip(batches, e402_results):
        options: dict[str, Any] = {
            "today": today.isoformat(),
            "ttl_days": subsystem.exception_ttl_days,
            # matriz-migrate's renames and its detector: both goals count the same legacy imports.
            "renames": renames,
            "e402": parse_ruff_json(e402.ruff_json, files=e402.files),
        }
        analysis_batches.append(AnalysisBatch(batch.analysis, batch.sources, json.dumps(options)))
    results = await MultiGet(
        Get(AnalysisBatchResult, AnalysisBatch, batch) for batch in analysis_batches
    )
    files = [import_health_from_json(d) for result in results for d in parse_output(result.output)]

    # Lane violations and cycles come from the `lanes` backend, on Pants' own import graph.
    # Every file counts here, also those that opt out of the `lanes` linter (`skip_lanes`).
    field_sets = [
        LanesFieldSet.create(t)
        for t in targets
        if PythonImportDependenciesInferenceFieldSet.is_applicable(t)
    ]
    lane_checks = await MultiGet(
        Get(FileLaneCheckResult, FileLaneCheckRequest(fs)) for fs in field_sets
    )
    edges = await MultiGet(
        Get(ImportEdges, ImportEdgesRequest(fs.inference_field_set())) for fs in field_sets
    )
    extra = [
        ImportFinding(v.path, v.line, LANE_VIOLATION, f"{v.module} (lane {v.imported_lane})")
        for check in lane_checks
        for v in check.violations
    ] + [
        ImportFinding(c.cut_importer, c.cut_line, CYCLE, " -> ".join(c.order))
        for c in find_cycles(e for result in edges for e in result.edges)
    ]
    report = ImportHealthReport.build(config, files, extra_findings=extra)

    baseline = await read_build_root_file(subsystem.baseline)
    comparison = None
    if baseline is not None and not subsystem.update_baseline:
        try:
            comparison = compare_to_baseline(report, baseline, source=subsystem.baseline)
        except ValueError as e:
            console.print_stderr(f"{console.red('error:')} {e}")
            return ImportHealthGoal(exit_code=1)

    out = dist_dir.relpath / "import-health"
    reports = {
        out / "report.json": json.dumps(report_json(report, comparison), indent=2) + "\n",
        out / "IMPORT_MIGRATION_AUDIT.md": audit_markdown(report, comparison, today),
    }
    if subsystem.update_baseline:
        reports[Path(subsystem.baseline)] = baseline_json(report)
    await write_files(workspace, reports)

    # With a baseline, the table ends with its regression, slack and note lines.
    console.print_stdout(console_table(report, comparison))
    if subsystem.update_baseline:
        console.print_stdout(f"Wrote the baseline {subsystem.baseline}.")
    elif comparison is None:
        console.print_stdout(
            f"No baseline at {subsystem.baseline}: create it with "
            "`pants import-health --update-baseline ::` to fail when a production lane worsens."
        )
    console.print_stdout(f"Reports: {', '.join(str(p) for p in list(reports)[:2])}")
    failed = run_failed(report, comparison)
    return ImportHealthGoal(exit_code=1 if failed and not subsystem.update_baseline else 0)


def rules():
    return [*collect_rules(), *lane_model_rules.rules()]
