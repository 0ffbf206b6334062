"""The gates of the repo's own tools, found the way Pants' `lint` and `check` goals find them: the
members of their unions. `lint` runs every linter (`LintTargetsRequest` and `LintFilesRequest`
members that neither format nor fix), `format` every formatter (`FmtTargetsRequest`,
`FmtFilesRequest`), `type-check` every checker (`CheckRequest`), so a repo on flake8 or pyright
gets the same gates as one on ruff and mypy.

ruff, black and mypy, the members of Pants' Python backends, are run by lanekeeper's own
processes instead (`python_tools.py`, in Pants' own partitions, with the repo's `[ruff]`,
`[black]` and `[mypy]` settings): Pants 2.17 never caches a lint or check process that fails,
and a module held to the next lane's bar usually fails, so a warm board reran every one of
them. lanekeeper's processes are cached, findings and all. Every other member gives Pants' own
results, cached like `pants lint` and `pants check` (when they pass).

The gates hold a module to the bar even where the repo's own runs opt a file out (`skip_ruff`,
`skip_mypy`, ...): field sets are created for every applicable target. lanekeeper's own `lanes`
linter is left out: the `lanes` gate checks the module against its target lane instead.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any, Iterable, Sequence, cast

from pants.backend.python.lint.black.rules import BlackRequest
from pants.backend.python.lint.ruff.rules import RuffLintRequest
from pants.backend.python.typecheck.mypy.rules import MyPyRequest
from pants.backend.python.typecheck.mypy.subsystem import MyPyFieldSet
from pants.backend.python.util_rules.interpreter_constraints import InterpreterConstraints
from pants.base.exceptions import EngineError
from pants.core.goals.check import CheckRequest, CheckResults
from pants.core.goals.fix import AbstractFixRequest, FixResult
from pants.core.goals.lint import (
    AbstractLintRequest,
    LintFilesRequest,
    LintResult,
    LintTargetsRequest,
)
from pants.core.util_rules.partitions import Partitions
from pants.engine.addresses import Addresses
from pants.engine.fs import (
    CreateDigest,
    Digest,
    FileContent,
    PathGlobs,
    Paths,
    Snapshot,
    SnapshotDiff,
)
from pants.engine.process import ProcessExecutionFailure
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import FieldSet, Target, Targets
from pants.engine.unions import UnionMembership, UnionRule
from pants.util.logging import LogLevel

from lanekeeper.promote.gate import GateResult, engine_failure
from lanekeeper.promote.gates.tools import FormatRun, ToolRun, format_gate, tool_gate
from lanekeeper.promote.module import in_module
from lanekeeper_pants.lanes.edges import RepoImports, RepoImportsRequest
from lanekeeper_pants.lanes.lint import LanesLintRequest
from lanekeeper_pants.promote.gates import python_tools
from lanekeeper_pants.promote.gates.python_tools import BlackRun, MyPyRuns, MyPyRunsRequest, RuffRun
from lanekeeper_pants.promote.gates.request import (
    PromoteGates,
    PromoteGatesRequest,
    module_targets,
    pants_cannot_read,
    python_files,
)


class LintGatesRequest(PromoteGatesRequest):
    pass


class TypeCheckGatesRequest(PromoteGatesRequest):
    pass


def _field_sets(field_set_type: type[FieldSet], targets: Iterable[Target]) -> tuple[FieldSet, ...]:
    """The field sets of every target that has the fields, whatever its opt-outs say."""
    return tuple(
        field_set_type.create(t) for t in targets if t.has_fields(field_set_type.required_fields)
    )


def linters(union_membership: UnionMembership) -> list[type[AbstractLintRequest]]:
    return [
        member
        for member in union_membership.get(AbstractLintRequest)
        if not member.is_formatter
        and not member.is_fixer
        and not issubclass(member, LanesLintRequest)
    ]


def formatters(union_membership: UnionMembership) -> list[type[AbstractLintRequest]]:
    return [member for member in union_membership.get(AbstractLintRequest) if member.is_formatter]


def _run_text(runs: Iterable[ToolRun]) -> str:
    return "\n".join(f"== {run.tool} (exit {run.exit_code})\n{run.output}" for run in runs)


def _format_text(runs: Iterable[FormatRun]) -> str:
    # A formatter that changed a file "exits 1", as `pants lint` reports it.
    return "\n".join(
        f"== {run.tool} (exit {run.exit_code or int(bool(run.changed))})\n{run.output}"
        for run in runs
    )


def _split(results: Sequence[Any], *sizes: int) -> list[list[Any]]:
    """The results of one MultiGet, cut into its consecutive parts of `sizes`."""
    starts = list(itertools.accumulate((0, *sizes)))
    return [list(results[start:end]) for start, end in zip(starts, starts[1:])]


@rule(desc="Lint and format-check the module for promotion", level=LogLevel.DEBUG)
async def lint_gates(request: LintGatesRequest, union_membership: UnionMembership) -> PromoteGates:
    targets = await module_targets(request)
    folder = await Get(Paths, PathGlobs([f"{request.module}/**"]))
    lint_members, format_members = linters(union_membership), formatters(union_membership)
    # The tool's partitions of the module: its targets, or for a file linter the module folder's
    # files; a tool with nothing to check there is left out. (Each `Get` is written here, in the
    # rule, so that the engine knows the rule makes it.)
    targets_members = [
        (member, field_sets)
        for member in (*lint_members, *format_members)
        if issubclass(member, LintTargetsRequest)
        for field_sets in [_field_sets(member.field_set_type, targets)]
        if field_sets
    ]
    files_members = [
        member
        for member in (*lint_members, *format_members)
        if not issubclass(member, LintTargetsRequest) and folder.files
    ]
    gets = [
        *(
            (
                member,
                Get(
                    Partitions,
                    LintTargetsRequest.PartitionRequest,
                    member.PartitionRequest(field_sets),
                ),
            )
            for member, field_sets in targets_members
        ),
        *(
            (
                member,
                Get(
                    Partitions,
                    LintFilesRequest.PartitionRequest,
                    cast("type[LintFilesRequest]", member).PartitionRequest(tuple(folder.files)),
                ),
            )
            for member in files_members
        ),
    ]
    partitions = await MultiGet(get for _, get in gets)
    batches = [
        (member, partition) for (member, _), found in zip(gets, partitions) for partition in found
    ]
    snapshots = await MultiGet(
        Get(Snapshot, PathGlobs(partition.elements))
        for member, partition in batches
        if member.is_formatter and member is not BlackRequest
    )
    by_formatter = iter(snapshots)
    lint_gets = []
    format_gets = []
    ruff_gets = []
    black_gets = []
    for member, partition in batches:
        if member is RuffLintRequest:
            ruff_gets.append(Get(ToolRun, RuffRun, RuffRun(tuple(partition.elements))))
        elif member is BlackRequest:
            black_run = BlackRun(
                tuple(partition.elements),
                cast(InterpreterConstraints, partition.metadata),
            )
            black_gets.append(Get(FormatRun, BlackRun, black_run))
        elif member.is_formatter:
            fix_member = cast("type[AbstractFixRequest]", member)
            format_gets.append(
                Get(
                    FixResult,
                    AbstractFixRequest.Batch,
                    fix_member.Batch(
                        member.tool_name, partition.elements, partition.metadata, next(by_formatter)
                    ),
                )
            )
        else:
            lint_gets.append(
                Get(
                    LintResult,
                    AbstractLintRequest.Batch,
                    member.Batch(member.tool_name, partition.elements, partition.metadata),
                )
            )
    try:
        # One MultiGet, so that every tool runs at once.
        every: list[Get[Any]] = [*lint_gets, *ruff_gets, *format_gets, *black_gets]
        results: tuple[Any, ...] = await MultiGet(every)
    # A tool that exits non-zero where Pants expects success (black on a file it cannot parse)
    # reaches a rule as ProcessExecutionFailure, not as an EngineError.
    except (EngineError, ProcessExecutionFailure) as e:
        failure = str(e)
        return PromoteGates((engine_failure("lint", failure), engine_failure("format", failure)))
    lint_results, ruff_runs, format_results, black_runs = _split(
        results, len(lint_gets), len(ruff_gets), len(format_gets), len(black_gets)
    )
    runs = [
        *(ToolRun(r.linter_name, r.exit_code, f"{r.stdout}\n{r.stderr}") for r in lint_results),
        *ruff_runs,
    ]
    format_runs = [
        *(
            FormatRun(
                r.tool_name,
                SnapshotDiff.from_snapshots(r.input, r.output).changed_files,
                output=f"{r.stdout}\n{r.stderr}",
            )
            for r in format_results
        ),
        *black_runs,
    ]
    format_runs = [
        replace(run, changed=tuple(p for p in run.changed if in_module(request.module, p)))
        for run in format_runs
    ]
    artifacts = await Get(
        Digest,
        CreateDigest(
            [
                FileContent("artifacts/lint.txt", _run_text(runs).encode()),
                FileContent("artifacts/format.txt", _format_text(format_runs).encode()),
            ]
        ),
    )
    return PromoteGates(
        (
            tool_gate("lint", request.module, runs, [m.tool_name for m in lint_members], "linter"),
            format_gate(format_runs, [m.tool_name for m in format_members]),
        ),
        artifacts,
    )


@rule(desc="Type-check the module for promotion", level=LogLevel.DEBUG)
async def type_check_gates(
    request: TypeCheckGatesRequest, union_membership: UnionMembership
) -> PromoteGates:
    targets, repo = await MultiGet(
        Get(Targets, Addresses(request.addresses)), Get(RepoImports, RepoImportsRequest())
    )
    cannot = pants_cannot_read("type-check", repo, python_files(targets))
    if cannot is not None:
        return PromoteGates((cannot,))
    checkers = list(union_membership.get(CheckRequest))
    requests = [
        member(field_sets)
        for member in checkers
        if member is not MyPyRequest
        # (As Pants' own `check` goal reads it.)
        for field_sets in [_field_sets(member.field_set_type, targets)]  # type: ignore[misc]
        if field_sets
    ]
    mypy_field_sets = _field_sets(MyPyFieldSet, targets) if MyPyRequest in checkers else ()
    mypy_requests = (
        [MyPyRunsRequest(cast("tuple[MyPyFieldSet, ...]", mypy_field_sets))]
        if mypy_field_sets
        else []
    )
    try:
        gets: list[Get[Any]] = [
            *(Get(CheckResults, CheckRequest, r) for r in requests),
            *(Get(MyPyRuns, MyPyRunsRequest, r) for r in mypy_requests),
        ]
        found: tuple[Any, ...] = await MultiGet(gets)
    except (EngineError, ProcessExecutionFailure) as e:
        return PromoteGates((engine_failure("type-check", str(e)),))
    checked_results, mypy_runs = _split(found, len(requests), len(mypy_requests))
    runs = [
        *(
            ToolRun(checked.checker_name, r.exit_code, f"{r.stdout}\n{r.stderr}")
            for checked in checked_results
            for r in checked.results
        ),
        *(run for runs in mypy_runs for run in runs),
    ]
    artifacts = await Get(
        Digest, CreateDigest([FileContent("artifacts/type-check.txt", _run_text(runs).encode())])
    )
    gate: GateResult = tool_gate(
        "type-check", request.module, runs, [m.tool_name for m in checkers], "type checker"
    )
    return PromoteGates((gate,), artifacts)


def rules():
    return [
        *collect_rules(),
        *python_tools.rules(),
        UnionRule(PromoteGatesRequest, LintGatesRequest),
        UnionRule(PromoteGatesRequest, TypeCheckGatesRequest),
    ]
