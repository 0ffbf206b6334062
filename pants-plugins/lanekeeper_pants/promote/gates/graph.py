"""The gates read from lanekeeper's import graph of the repo: the target lane's import rules and
import cycles through the module."""

from __future__ import annotations

from pants.engine.rules import Get, collect_rules, rule
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from lanekeeper.lanes.imports import reachable
from lanekeeper.promote.gates.graph import cycle_gate, import_rules_gate
from lanekeeper.promote.module import in_module
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.lanes.edges import RepoImports, RepoImportsRequest
from lanekeeper_pants.promote.gates.request import (
    PromoteGates,
    PromoteGatesRequest,
    module_targets,
    python_files,
)


class GraphGatesRequest(PromoteGatesRequest):
    pass


@rule(desc="Check the module's place in the dependency graph", level=LogLevel.DEBUG)
async def graph_gates(request: GraphGatesRequest, lane_model: LaneModel) -> PromoteGates:
    config = lane_model.config
    assert config is not None  # the goal checked it
    repo = await Get(RepoImports, RepoImportsRequest())
    files = python_files(await module_targets(request))
    closure = reachable(repo.edges, files).union(files)
    edges = [edge for edge in repo.edges if edge.importer in closure]
    into_module = [
        edge
        for edge in repo.edges
        if in_module(request.module, edge.imported) and not in_module(request.module, edge.importer)
    ]
    return PromoteGates(
        (
            import_rules_gate(config, request.module, request.target_lane, edges, into_module),
            cycle_gate(request.module, edges),
        )
    )


def rules():
    return [
        *collect_rules(),
        *lane_model_rules.rules(),
        UnionRule(PromoteGatesRequest, GraphGatesRequest),
    ]
