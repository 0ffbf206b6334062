"""The gates of the analyzer's per-file analysis: syntax and docstrings (the `promote` analysis,
on the repo's interpreter) and TODO-HIGH (todo-audit's parser, the same cached process)."""

from __future__ import annotations

from pants.backend.python.target_types import PythonSourceField
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from lanekeeper.analyze import parse_output, todo_scan_from_json
from lanekeeper.promote.gates.analysis import docstring_gate, syntax_gate, todo_high_gate
from lanekeeper_pants.analyzer.rules import AnalysisBatch, AnalysisBatchResult
from lanekeeper_pants.promote.gates.request import (
    PromoteGates,
    PromoteGatesRequest,
    module_targets,
)


class AnalysisGatesRequest(PromoteGatesRequest):
    pass


@rule(desc="Analyze the module's files for promotion", level=LogLevel.DEBUG)
async def analysis_gates(request: AnalysisGatesRequest) -> PromoteGates:
    targets = await module_targets(request)
    fields = tuple(
        sorted(
            (t[PythonSourceField] for t in targets if t.has_field(PythonSourceField)),
            key=lambda f: f.file_path,
        )
    )
    analysis, todos = await MultiGet(
        Get(AnalysisBatchResult, AnalysisBatch("promote", fields)),
        Get(AnalysisBatchResult, AnalysisBatch("todos", fields)),
    )
    documents = parse_output(analysis.output)
    scans = [todo_scan_from_json(doc) for doc in parse_output(todos.output)]
    return PromoteGates((syntax_gate(documents), docstring_gate(documents), todo_high_gate(scans)))


def rules():
    return [*collect_rules(), UnionRule(PromoteGatesRequest, AnalysisGatesRequest)]
