"""The gates read from the import graph: lane progression, the target lane's import rules, and
import cycles through the module."""

from __future__ import annotations

from typing import Iterable

from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.lanes.cycles import find_cycles
from lanekeeper.lanes.imports import ImportEdge
from lanekeeper.promote.gate import Finding, GateResult, Status, details, judged
from lanekeeper.promote.module import in_module


def lane_progression_gate(config: LaneConfig, module: str, source: str, target: str) -> GateResult:
    """Callers report `config.check_promotion` errors themselves; this records the step taken."""
    return GateResult(
        "lane-progression",
        Status.PASS,
        f"{source} -> {target} is the next lane in `[lanes].order` ({' -> '.join(config.order)})",
        (),
        details({"module": module, "source_lane": source, "target_lane": target}),
    )


def import_rules_gate(
    config: LaneConfig,
    module: str,
    target: str,
    edges: Iterable[ImportEdge],
    dependents: Iterable[ImportEdge],
) -> GateResult:
    """Every first-party file the module reaches (transitively) must be importable from
    `target`; every importer outside the module must be allowed to import `target`.

    `edges` are the import edges of every file in the module's transitive closure;
    `dependents` the edges from files outside the module into it.
    """
    by_importer: dict[str, list[ImportEdge]] = {}
    for edge in edges:
        by_importer.setdefault(edge.importer, []).append(edge)
    # Breadth-first from the module's files, remembering the edge that first reached a file.
    reached_by: dict[str, ImportEdge] = {}
    frontier = sorted(p for p in by_importer if in_module(module, p))
    seen = set(frontier)
    while frontier:
        nxt = []
        for importer in frontier:
            for edge in sorted(by_importer.get(importer, ())):
                if edge.imported not in seen:
                    seen.add(edge.imported)
                    reached_by[edge.imported] = edge
                    nxt.append(edge.imported)
        frontier = nxt

    findings = []
    checked: list[str] = []
    for path in sorted(reached_by):
        if in_module(module, path):
            continue
        lane = config.lane_of(path)
        checked.append(path)
        if lane is None or lane == target or config.may_import(target, lane):
            continue
        edge = reached_by[path]
        chain = [edge]
        while not in_module(module, chain[-1].importer):
            chain.append(reached_by[chain[-1].importer])
        first = chain[-1]
        via = (
            "" if len(chain) == 1 else f" (via {' -> '.join(e.imported for e in reversed(chain))})"
        )
        findings.append(
            Finding(
                first.importer,
                first.line,
                f"{path} is in lane {lane}, which {target} may not import{via}; "
                f"{target} may import {', '.join(config.allowed_for(target))}",
            )
        )
    rewrites = []
    for edge in sorted(set(dependents)):
        if in_module(module, edge.importer):
            continue
        rewrites.append(f"{edge.importer}:{edge.line}")
        lane = config.lane_of(edge.importer)
        if lane is None or lane == target or config.may_import(lane, target):
            continue
        findings.append(
            Finding(
                edge.importer,
                edge.line,
                f"imports {edge.module}; lane {lane} may not import {target} after the move",
            )
        )
    return judged(
        "lanes",
        findings,
        f"{len(checked)} first-party files reached, all importable from {target}; "
        f"{len(rewrites)} importers to rewrite",
        "{n} imports would break in lane " + target,
        {"dependencies_checked": checked, "importers_to_rewrite": rewrites},
    )


def cycle_gate(module: str, edges: Iterable[ImportEdge]) -> GateResult:
    cycles = [c for c in find_cycles(edges) if any(in_module(module, m) for m in c.members)]
    findings = []
    for cycle in cycles:
        order = " -> ".join((*cycle.order, cycle.order[0]))
        findings.append(
            Finding(
                cycle.cut_importer,
                cycle.cut_line,
                f"import cycle {order}; cut the import of {cycle.cut_imported}",
            )
        )
    return judged("cycles", findings, "no import cycle through the module", "{n} import cycles")
