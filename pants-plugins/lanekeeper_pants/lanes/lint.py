"""The `lanes` linter: every lane violation of the selected files, one cached check per file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pants.backend.python.dependency_inference.rules import (
    PythonImportDependenciesInferenceFieldSet,
)
from pants.core.goals.lint import LintResult, LintTargetsRequest
from pants.core.util_rules.partitions import PartitionerType
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.fs import Digest, DigestContents
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import Target
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

from lanekeeper.source_text import decode_source
from lanekeeper.violations import LaneViolation, find_violations
from lanekeeper_pants.lanes import model as lane_model_rules
from lanekeeper_pants.lanes.edges import ImportEdges, ImportEdgesRequest
from lanekeeper_pants.lanes.model import LaneModel
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
    violations: tuple[LaneViolation, ...]


@rule(desc="Check a file's imports against the lane rules", level=LogLevel.DEBUG)
async def check_file_lanes(request: FileLaneCheckRequest, model: LaneModel) -> FileLaneCheckResult:
    config = model.config
    if config is None:  # the batch reports the error
        return FileLaneCheckResult(())
    path = request.field_set.source.file_path
    import_edges = await Get(
        ImportEdges, ImportEdgesRequest(request.field_set.inference_field_set())
    )
    violations = find_violations(config, path, "", import_edges.edges)
    if violations:
        # Only a file with violations is read, for the column of each import statement.
        sources = await Get(SourceFiles, SourceFilesRequest([request.field_set.source]))
        [content] = await Get(DigestContents, Digest, sources.snapshot.digest)
        violations = find_violations(
            config, path, decode_source(content.content).text or "", import_edges.edges
        )
    return FileLaneCheckResult(violations)


@rule(desc="Lint with lanes", level=LogLevel.DEBUG)
async def lint_lanes(
    request: LanesLintRequest.Batch[LanesFieldSet, Any], model: LaneModel
) -> LintResult:
    config = model.config
    if config is None:
        return LintResult(
            1, "", f"{model.error}\n", request.tool_name, request.partition_metadata.description
        )
    results = await MultiGet(
        Get(FileLaneCheckResult, FileLaneCheckRequest(field_set)) for field_set in request.elements
    )
    violations = sorted(v for result in results for v in result.violations)
    report = "".join(f"{violation.render(config)}\n" for violation in violations)
    summary = (
        f"{pluralize(len(violations), 'lane violation')} in "
        f"{pluralize(len({v.path for v in violations}), 'file')}.\n"
        if violations
        else ""
    )
    return LintResult(
        1 if violations else 0,
        report + summary,
        "",
        request.tool_name,
        request.partition_metadata.description,
    )


def rules():
    return [*collect_rules(), *lane_model_rules.rules(), *LanesLintRequest.rules()]
