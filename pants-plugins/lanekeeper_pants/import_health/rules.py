from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from pants.backend.python.dependency_inference.rules import (
    PythonImportDependenciesInferenceFieldSet,
)
from pants.backend.python.util_rules.pex import PexRequest, VenvPex, VenvPexProcess
from pants.core.util_rules.distdir import DistDir
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.console import Console
from pants.engine.fs import Digest, DigestContents, Workspace
from pants.engine.goal import Goal
from pants.engine.process import Process, ProcessResult
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule, rule
from pants.engine.target import Targets
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

from lanekeeper.findings.convert import from_import_health
from lanekeeper.findings.report import machine_output, sarif_path
from lanekeeper.import_health.analysis import (
    FileImportScan,
    ImportFinding,
    import_health_batches,
)
from lanekeeper.import_health.baseline import baseline_json, compare_to_baseline, run_failed
from lanekeeper.import_health.categories import CYCLE, LANE_VIOLATION
from lanekeeper.import_health.render import audit_markdown, console_table, report_json
from lanekeeper.import_health.report import ImportHealthReport
from lanekeeper.import_health.ruff import parse_ruff_json
from lanekeeper.kernel.analyzer_protocol import decode_output
from lanekeeper.lanes.cycles import find_cycles
from lanekeeper.rename.migration import validate_renames
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.analyzer.rules import (
    AnalysisBatch,
    AnalysisBatchResult,
    AnalyzerPex,
    after_remote_cache_lookup,
    python_sources,
)
from lanekeeper_pants.analyzer.subsystem import AnalyzerTool
from lanekeeper_pants.goal_support import date_option, read_build_root_file, write_files
from lanekeeper_pants.import_health.ruff_tool import E402Ruff
from lanekeeper_pants.import_health.subsystem import ImportHealthSubsystem
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.lanes.edges import ImportEdges, ImportEdgesRequest
from lanekeeper_pants.lanes.lint import FileLaneCheckRequest, FileLaneCheckResult, LanesFieldSet
from lanekeeper_pants.machine_output import print_annotations
from lanekeeper_pants.matriz_migrate.subsystem import MatrizMigrateSubsystem


class ImportHealthGoal(Goal):
    subsystem_cls = ImportHealthSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


@dataclass(frozen=True)
class RuffPex:
    pex: VenvPex


@dataclass(frozen=True)
class E402Request:
    batch: AnalysisBatch


@dataclass(frozen=True)
class E402Result:
    ruff_json: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class ImportHealthFilesRequest:
    batches: tuple[AnalysisBatch, ...]  # the "imports" analysis; each batch's E402s are added


@dataclass(frozen=True)
class ImportHealthBatchRequest:
    batch: AnalysisBatch


@dataclass(frozen=True)
class ImportHealthFiles:
    files: tuple[FileImportScan, ...]  # date-free: the goal classifies them for its date


@dataclass(frozen=True)
class LaneFindingsRequest:
    field_sets: tuple[LanesFieldSet, ...]


@dataclass(frozen=True)
class LaneFindings:
    findings: tuple[ImportFinding, ...]


@rule(desc="Build ruff", level=LogLevel.DEBUG)
async def build_ruff_pex(ruff: E402Ruff) -> RuffPex:
    return RuffPex(await Get(VenvPex, PexRequest, ruff.to_pex_request()))


@rule(desc="Find E402 with ruff", level=LogLevel.DEBUG)
async def find_e402(request: E402Request, ruff: RuffPex) -> E402Result:
    sources = await Get(SourceFiles, SourceFilesRequest(request.batch.sources))
    files = sources.snapshot.files
    # `--ignore-noqa` counts suppressed E402s too: they are the exceptions to audit.
    # `--exit-zero`: findings exit 0, so a failure is ruff's own and fails the run (ProcessResult).
    process = await Get(
        Process,
        VenvPexProcess(
            ruff.pex,
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
    result = await Get(ProcessResult, Process, after_remote_cache_lookup(process))
    return E402Result(result.stdout.decode(), files)


@rule(desc="Analyze a batch's imports", level=LogLevel.DEBUG)
async def analyze_import_health_batch(request: ImportHealthBatchRequest) -> ImportHealthFiles:
    # ruff first: the analysis of a batch needs the batch's E402 lines.
    e402 = await Get(E402Result, E402Request(request.batch))
    options = {
        **json.loads(request.batch.options),
        "e402": parse_ruff_json(e402.ruff_json, files=e402.files),
    }
    batch = dataclasses.replace(request.batch, options=json.dumps(options))
    result = await Get(AnalysisBatchResult, AnalysisBatch, batch)
    return ImportHealthFiles(decode_output(FileImportScan, result.output))


@rule(desc="Analyze imports", level=LogLevel.DEBUG)
async def analyze_import_health(request: ImportHealthFilesRequest) -> ImportHealthFiles:
    results = await MultiGet(
        Get(ImportHealthFiles, ImportHealthBatchRequest(batch)) for batch in request.batches
    )
    return ImportHealthFiles(tuple(file for result in results for file in result.files))


@rule(desc="Find lane violations and import cycles", level=LogLevel.DEBUG)
async def find_lane_findings(request: LaneFindingsRequest) -> LaneFindings:
    # From the `lanes` backend, on Pants' own import graph.
    lane_checks = await MultiGet(
        Get(FileLaneCheckResult, FileLaneCheckRequest(fs)) for fs in request.field_sets
    )
    edges = await MultiGet(
        Get(ImportEdges, ImportEdgesRequest(fs.inference_field_set())) for fs in request.field_sets
    )
    violations = [
        ImportFinding(v.path, v.line, LANE_VIOLATION, f"{v.module} (lane {v.imported_lane})")
        for check in lane_checks
        for v in check.violations
    ]
    cycles = [
        ImportFinding(c.cut_importer, c.cut_line, CYCLE, " -> ".join(c.order))
        for c in find_cycles(e for result in edges for e in result.edges)
    ]
    return LaneFindings((*violations, *cycles))


@goal_rule
async def import_health(
    targets: Targets,
    subsystem: ImportHealthSubsystem,
    lane_model: LaneModel,
    migrate: MatrizMigrateSubsystem,
    analyzer: AnalyzerTool,
    console: Console,
    workspace: Workspace,
    dist_dir: DistDir,
    # Asked for here so that building them overlaps reading the targets.
    _analyzer_pex: AnalyzerPex,
    _ruff_pex: RuffPex,
) -> ImportHealthGoal:
    config = lane_model.config
    try:
        if config is None:
            raise ValueError(lane_model.error or "`[lanes]` is not valid")
        today = date_option("import-health", subsystem.today)
        renames = dict(migrate.renames)
        if renames:  # none configured: no legacy imports to count
            validate_renames(renames, "[matriz-migrate].renames")
        # No date nor TTL: the processes' cache keys stay the same from day to day, so machines
        # share them through a remote cache; their exceptions are classified below.
        # matriz-migrate's renames and its detector: both goals count the same legacy imports.
        options = {"renames": renames}
        batch_size = analyzer.checked_batch_size()
    except ValueError as e:
        console.print_stderr(f"{console.red('error:')} {e}")
        return ImportHealthGoal(exit_code=1)

    # The batches depend on the files' bytes: those that may mention a legacy name go apart,
    # so that only their processes load libcst. ruff and the analysis take the same batches:
    # the analysis of a batch needs its E402s.
    sources = python_sources(targets)
    snapshot = (await Get(SourceFiles, SourceFilesRequest(sources.values()))).snapshot
    contents = await Get(DigestContents, Digest, snapshot.digest)
    batches = tuple(
        AnalysisBatch("imports", tuple(sources[path] for path in batch), json.dumps(options))
        for batch in import_health_batches(
            {file.path: file.content for file in contents}, renames, batch_size
        )
    )

    # Every file counts for lanes and cycles, also those that opt out of the `lanes` linter
    # (`skip_lanes`). The in-engine import graph and the batch processes run side by side.
    field_sets = tuple(
        LanesFieldSet.create(t)
        for t in targets
        if PythonImportDependenciesInferenceFieldSet.is_applicable(t)
    )
    analyzed, lane_findings = await MultiGet(
        Get(ImportHealthFiles, ImportHealthFilesRequest(batches)),
        Get(LaneFindings, LaneFindingsRequest(field_sets)),
    )
    files = tuple(scan.classify(today, subsystem.exception_ttl_days) for scan in analyzed.files)
    extra = lane_findings.findings
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
    findings = from_import_health(report)
    reports = {
        **machine_output(out, "import-health", findings, report_json(report, comparison)),
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
    console.print_stdout(f"Reports: {', '.join(str(p) for p in list(reports)[:3])}")
    sarif = sarif_path(out, "import-health")
    print_annotations(console, subsystem.annotations, findings, config.production, sarif)
    failed = run_failed(report, comparison)
    return ImportHealthGoal(exit_code=1 if failed and not subsystem.update_baseline else 0)


def rules():
    return [*collect_rules(), *E402Ruff.rules(), *lane_model_rules.rules()]
