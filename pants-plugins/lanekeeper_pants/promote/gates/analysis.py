"""The gates of the analyzer's per-file analysis: syntax and docstrings (the `promote` analysis,
on the repo's interpreter) and TODO-HIGH (todo-audit's parser, the same cached process)."""

from __future__ import annotations

from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from lanekeeper.kernel.analyzer_protocol import decode, parse_output
from lanekeeper.promote.gates.analysis import docstring_gate, syntax_gate, todo_high_gate
from lanekeeper.todos.grammar import TodoScan
from lanekeeper_pants.analyzer.rules import AnalysisBatch, AnalysisBatchResult, source_batches
from lanekeeper_pants.analyzer.subsystem import AnalyzerTool
from lanekeeper_pants.promote.gates.request import (
    PromoteGates,
    PromoteGatesRequest,
    module_targets,
)


class AnalysisGatesRequest(PromoteGatesRequest):
    pass


@rule(desc="Analyze the module's files for promotion", level=LogLevel.DEBUG)
async def analysis_gates(request: AnalysisGatesRequest, analyzer: AnalyzerTool) -> PromoteGates:
    targets = await module_targets(request)
    # The goal checked the batch size. A module's paths are contiguous in path order, so all
    # but its first and last batch are todo-audit's too and share their cached results.
    batches = source_batches(targets, analyzer.batch_size)
    results = await MultiGet(
        Get(AnalysisBatchResult, AnalysisBatch(analysis, batch))
        for analysis in ("promote", "todos")
        for batch in batches
    )
    outputs = [parse_output(result.output) for result in results]
    documents = [doc for output in outputs[: len(batches)] for doc in output]
    scans = [decode(TodoScan, doc) for output in outputs[len(batches) :] for doc in output]
    return PromoteGates((syntax_gate(documents), docstring_gate(documents), todo_high_gate(scans)))


def rules():
    return [*collect_rules(), UnionRule(PromoteGatesRequest, AnalysisGatesRequest)]
