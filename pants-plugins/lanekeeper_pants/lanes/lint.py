"""The `lanes` linter: every lane finding of the selected files, one cached check per file; the
exceptions and the baseline decide which of them fail."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from pants.backend.python.dependency_inference.rules import (
    PythonImportDependenciesInferenceFieldSet,
)
from pants.core.goals.lint import LintResult, LintTargetsRequest
from pants.core.util_rules.distdir import DistDir
from pants.core.util_rules.partitions import PartitionerType
from pants.engine.fs import CreateDigest, Digest, FileContent
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import Target
from pants.util.logging import LogLevel

from lanekeeper.findings.annotations import workflow_commands
from lanekeeper.findings.convert import from_adoption
from lanekeeper.findings.report import machine_output
from lanekeeper.lanes.adoption import adopt, render_lint
from lanekeeper.lanes.violations import LaneViolation, find_violations, unreadable_finding
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.goal_support import date_option
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.lanes import baseline_file
from lanekeeper_pants.lanes.baseline_file import LaneBaselineFile
from lanekeeper_pants.lanes.edges import FileImportsRequest, FileImportsResult
from lanekeeper_pants.lanes.subsystem import LanesSubsystem
from lanekeeper_pants.skip_fields import SkipLanesField


@dataclass(frozen=True)
class LanesFieldSet(PythonImportDependenciesInferenceFieldSet):
    @classmethod
    def opt_out(cls, tgt: Target) -> bool:
        return tgt.get(SkipLanesField).value

    def inference_field_set(self) -> PythonImportDependenciesInferenceFieldSet:
        # The base type itself, so that the engine shares the parse and owner lookup with
        # Pants' own dependency inference instead of memoizing them twice.
        return PythonImportDependenciesInferenceFieldSet(
            self.address, self.source, self.dependencies, self.resolve, self.interpreter_constraints
        )


class LanesLintRequest(LintTargetsRequest):
    field_set_type = LanesFieldSet
    # The `[lanes]` goal subsystem carries `skip`; mypy cannot match its classproperty scope.
    tool_subsystem = LanesSubsystem  # type: ignore[assignment]
    partitioner_type = PartitionerType.DEFAULT_SINGLE_PARTITION


@dataclass(frozen=True)
class FileLaneCheckRequest:
    field_set: LanesFieldSet


@dataclass(frozen=True)
class FileLaneCheckResult:
    """The file's import findings (LK001-LK003), and LK004 if Pants cannot read the file."""

    violations: tuple[LaneViolation, ...]
    unreadable: tuple[LaneViolation, ...] = ()

    @property
    def findings(self) -> tuple[LaneViolation, ...]:
        return self.unreadable + self.violations


@rule(desc="Check a file's imports against the lane rules", level=LogLevel.DEBUG)
async def check_file_lanes(request: FileLaneCheckRequest, model: LaneModel) -> FileLaneCheckResult:
    if model.config is None:  # the batch reports the error
        return FileLaneCheckResult(())
    result = await Get(
        FileImportsResult, FileImportsRequest(request.field_set.inference_field_set())
    )
    unreadable = unreadable_finding(model.config, result.imports)
    return FileLaneCheckResult(
        find_violations(model.config, result.imports), (unreadable,) if unreadable else ()
    )


@rule(desc="Lint with lanes", level=LogLevel.DEBUG)
async def lint_lanes(
    request: LanesLintRequest.Batch[LanesFieldSet, Any],
    model: LaneModel,
    baseline: LaneBaselineFile,
    subsystem: LanesSubsystem,
    dist_dir: DistDir,
) -> LintResult:
    def failed(error: str) -> LintResult:
        return LintResult(
            1, "", f"{error}\n", request.tool_name, request.partition_metadata.description
        )

    config = model.config
    if config is None:
        return failed(model.error or "`[lanes]` is not valid")
    if baseline.error is not None:
        return failed(baseline.error)
    try:
        today = date_option("lanes", subsystem.today)
    except ValueError as e:
        return failed(str(e))
    results = await MultiGet(
        Get(FileLaneCheckResult, FileLaneCheckRequest(field_set)) for field_set in request.elements
    )
    adoption = adopt(
        (v for result in results for v in result.findings),
        (field_set.source.file_path for field_set in request.elements),
        baseline.baseline,
        model.exceptions,
        today,
    )
    report = render_lint(config, adoption, baseline.path if baseline.exists else None)
    # Pants' `lint` writes a result's `report` digest under dist/lint/lanes/ (a directory per
    # batch when there are several); annotations, when asked for, go to the linter's output.
    findings = from_adoption(config, adoption, baseline.path)
    files = machine_output(PurePath(), "lanes", findings, {"files": len(request.elements)})
    reports = await Get(
        Digest, CreateDigest(FileContent(str(p), t.encode()) for p, t in files.items())
    )
    if subsystem.annotations:
        where = dist_dir.relpath / "lint" / "lanes"
        report += "".join(
            f"{line}\n" for line in workflow_commands(findings, config.production, str(where))
        )
    return LintResult(
        1 if adoption.failing else 0,
        report,
        "",
        request.tool_name,
        request.partition_metadata.description,
        reports,
    )


def check_rules():
    """The per-file lane check, without registering the `lanes` linter in `pants lint`
    (import-health reads lane violations through it)."""
    return [*collect_rules(), *lane_model_rules.rules(), *baseline_file.rules()]


def rules():
    return [*check_rules(), *LanesLintRequest.rules()]
