"""The gates of the analyzer's per-file analysis: syntax and docstrings (the `promote` analysis,
on the repo's interpreter) and TODO-HIGH (todo-audit's parser with `[todo-audit].formats`, the
same cached process)."""

from __future__ import annotations

from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from lanekeeper.analyze import todo_options
from lanekeeper.kernel.analyzer_protocol import decode, parse_output
from lanekeeper.promote.gates.analysis import (
    docstring_gate,
    syntax_gate,
    todo_formats_gate,
    todo_high_gate,
)
from lanekeeper.todos.grammar import TodoScan
from lanekeeper_pants.analyzer.rules import AnalysisBatch, AnalysisBatchResult, source_batches
from lanekeeper_pants.analyzer.subsystem import AnalyzerTool
from lanekeeper_pants.promote.gates.request import (
    PromoteGates,
    PromoteGatesRequest,
    module_targets,
)
from lanekeeper_pants.todo_audit.subsystem import TodoAuditSubsystem


class AnalysisGatesRequest(PromoteGatesRequest):
    pass


@rule(desc="Analyze the module's files for promotion", level=LogLevel.DEBUG)
async def analysis_gates(
    request: AnalysisGatesRequest, analyzer: AnalyzerTool, todo_audit: TodoAuditSubsystem
) -> PromoteGates:
    targets = await module_targets(request)
    # The goal checked the batch size. A module's paths are contiguous in path order, so all
    # but its first and last batch are todo-audit's too (the same options: the repo's TODO
    # formats) and share their cached results.
    batches = source_batches(targets, analyzer.batch_size)
    invalid_formats = todo_formats_gate(todo_audit.formats)
    todo_batches = () if invalid_formats else batches
    options = "{}" if invalid_formats else todo_options(todo_audit.formats)
    results = await MultiGet(
        *(Get(AnalysisBatchResult, AnalysisBatch("promote", batch)) for batch in batches),
        *(Get(AnalysisBatchResult, AnalysisBatch("todos", b, options)) for b in todo_batches),
    )
    outputs = [parse_output(result.output) for result in results]
    documents = [doc for output in outputs[: len(batches)] for doc in output]
    scans = [decode(TodoScan, doc) for output in outputs[len(batches) :] for doc in output]
    todo_gate = invalid_formats or todo_high_gate(scans)
    return PromoteGates((syntax_gate(documents), docstring_gate(documents), todo_gate))


def rules():
    return [*collect_rules(), UnionRule(PromoteGatesRequest, AnalysisGatesRequest)]
