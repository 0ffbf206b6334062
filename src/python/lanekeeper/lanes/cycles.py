"""Import cycles between files: each strongly connected component, a shortest cycle through it,
and the one import whose removal breaks the most of its cycles.

Everything runs without recursion, so a 20,000-file import chain cannot hit Python's recursion
limit, and cycle counting is bounded, so a densely tangled component cannot stall a lint run.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.kernel.report_text import counted
from lanekeeper.lanes.imports import ImportEdge

# Elementary cycles counted per component before the count is reported as a lower bound.
CYCLE_BUDGET = 10_000
# Steps (edges followed, nodes unblocked) per component; bounds time where cycles are long.
WORK_BUDGET = 2_000_000
_WRAP = 100

_Adjacency = Sequence[Sequence[int]]


@dataclass(frozen=True)
class ImportCycle:
    """One strongly connected component of the file import graph, with at least two files.

    `order` is a shortest cycle through the smallest member, each file importing the next and
    the last importing the first. The cut edge lies on the most of the `cycles_counted`
    elementary cycles; `complete` is False when counting stopped at the budget.
    """

    members: tuple[str, ...]
    order: tuple[str, ...]
    cut_importer: str
    cut_imported: str
    cut_line: int
    cycles_through_cut: int
    cycles_counted: int
    complete: bool


class _Budget:
    """Work left for one component; mutable, so the helpers can share it."""

    def __init__(self, steps: int) -> None:
        self.steps = steps

    def spend(self, steps: int) -> bool:
        """Spend `steps`; False once the budget is exhausted."""
        self.steps -= steps
        return self.steps >= 0


def _strongly_connected(nodes: Sequence[int], adjacency: _Adjacency) -> list[list[int]]:
    """Tarjan's algorithm over the subgraph induced by `nodes`, with an explicit stack."""
    inside = set(nodes)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, position = work[-1]
            successors = adjacency[node]
            if position < len(successors):
                work[-1] = (node, position + 1)
                successor = successors[position]
                if successor not in inside:
                    continue
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def _shortest_cycle(adjacency: _Adjacency, start: int) -> list[int]:
    """A shortest cycle through `start`, by BFS; neighbours in sorted order break ties."""
    parent: dict[int, int] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        # Nodes leave the queue in order of distance, so the first one that imports `start`
        # closes a shortest cycle.
        if node != start and start in adjacency[node]:
            path = [node]
            while path[-1] != start:
                path.append(parent[path[-1]])
            return path[::-1]
        for successor in adjacency[node]:
            if successor not in parent:
                parent[successor] = node
                queue.append(successor)
    raise AssertionError("a strongly connected component always has a cycle through a member")


def _unblock(node: int, blocked: set[int], blockers: dict[int, set[int]], budget: _Budget) -> None:
    """Johnson's UNBLOCK, with a stack instead of recursion."""
    pending = [node]
    while pending:
        current = pending.pop()
        budget.spend(1)
        if current in blocked:
            blocked.discard(current)
            pending.extend(blockers.pop(current, ()))


def _count_cycles(
    adjacency: _Adjacency, size: int, cycle_budget: int, budget: _Budget
) -> tuple[dict[tuple[int, int], int], int, bool]:
    """Johnson's algorithm with explicit stacks: cycles per edge, cycles seen, and completeness.

    Start vertices are taken smallest first, so a bounded count is still deterministic.
    """
    per_edge: dict[tuple[int, int], int] = {}
    counted = 0
    pending: list[list[int]] = [list(range(size))]
    while pending:
        component = pending.pop()
        start = min(component)
        inside = set(component)
        successors = {node: [s for s in adjacency[node] if s in inside] for node in component}
        # One pass to build the subgraph, one for the components of what is left of it.
        if not budget.spend(2 * (len(component) + sum(map(len, successors.values())))):
            return per_edge, counted, False
        path = [start]
        blocked = {start}
        blockers: dict[int, set[int]] = {}
        # Nodes on the path below which a cycle was found: they must be unblocked on return.
        closed: set[int] = set()
        stack: list[tuple[int, int]] = [(start, 0)]
        while stack:
            node, position = stack[-1]
            following = successors[node]
            if position < len(following):
                stack[-1] = (node, position + 1)
                successor = following[position]
                if successor == start:
                    if counted == cycle_budget:
                        return per_edge, counted, False
                    counted += 1
                    for importer, imported in zip(path, path[1:] + [start]):
                        per_edge[(importer, imported)] = per_edge.get((importer, imported), 0) + 1
                    closed.update(path)
                    if not budget.spend(len(path)):
                        return per_edge, counted, False
                elif successor not in blocked:
                    path.append(successor)
                    blocked.add(successor)
                    closed.discard(successor)
                    stack.append((successor, 0))
                if not budget.spend(1):
                    return per_edge, counted, False
                continue
            if node in closed:
                _unblock(node, blocked, blockers, budget)
            else:
                # Stay blocked until some successor is unblocked: no new cycle goes through it.
                for successor in following:
                    blockers.setdefault(successor, set()).add(node)
                budget.spend(len(following))
            stack.pop()
            path.pop()
        rest = [node for node in component if node != start]
        pending.extend(
            part for part in reversed(_strongly_connected(sorted(rest), adjacency)) if len(part) > 1
        )
    return per_edge, counted, True


def _component_cycle(
    component: Sequence[int],
    paths: Sequence[str],
    graph: _Adjacency,
    lines: dict[tuple[str, str], int],
    cycle_budget: int,
) -> ImportCycle:
    """Summarize one component, given as sorted indices into the sorted `paths`."""
    # Renumbered 0..k-1 in path order, so comparing indices compares paths.
    local = {node: number for number, node in enumerate(component)}
    members = [paths[node] for node in component]
    adjacency = [[local[s] for s in graph[node] if s in local] for node in component]
    order = _shortest_cycle(adjacency, 0)
    per_edge, counted, complete = _count_cycles(
        adjacency, len(members), cycle_budget, _Budget(WORK_BUDGET)
    )
    if not per_edge:
        # The work budget ran out before the first cycle: count the shortest one instead.
        per_edge = {edge: 1 for edge in zip(order, order[1:] + order[:1])}
        counted, complete = 1, False
    # Most cycles first; members are sorted, so comparing indices compares the paths.
    (importer, imported), through = min(per_edge.items(), key=lambda item: (-item[1], item[0]))
    return ImportCycle(
        members=tuple(members),
        order=tuple(members[node] for node in order),
        cut_importer=members[importer],
        cut_imported=members[imported],
        cut_line=lines[(members[importer], members[imported])],
        cycles_through_cut=through,
        cycles_counted=counted,
        complete=complete,
    )


def find_cycles(
    edges: Iterable[ImportEdge], *, cycle_budget: int = CYCLE_BUDGET
) -> tuple[ImportCycle, ...]:
    """Every import cycle among files (components of two or more files), sorted by members.

    Self-imports are ignored. Several edges between two files are one edge whose line is the
    smallest nonzero one (an import statement says more than an explicit BUILD dependency).
    """
    lines: dict[tuple[str, str], int] = {}
    for edge in edges:
        if edge.importer == edge.imported:
            continue
        pair = (edge.importer, edge.imported)
        previous = lines.get(pair)
        if previous is None or (edge.line == 0, edge.line) < (previous == 0, previous):
            lines[pair] = edge.line
    paths = sorted({path for pair in lines for path in pair})
    index = {path: number for number, path in enumerate(paths)}
    graph: list[list[int]] = [[] for _ in paths]
    for importer, imported in lines:
        graph[index[importer]].append(index[imported])
    for successors in graph:
        successors.sort()
    cycles = [
        _component_cycle(sorted(component), paths, graph, lines, cycle_budget)
        for component in _strongly_connected(range(len(paths)), graph)
        if len(component) > 1
    ]
    return tuple(sorted(cycles, key=lambda cycle: cycle.members))


def _lanes(config: LaneConfig, cycle: ImportCycle) -> list[Optional[str]]:
    return [config.lane_of(path) for path in cycle.members]


def _is_production(config: LaneConfig, cycle: ImportCycle) -> bool:
    return any(lane is not None and config.is_production(lane) for lane in _lanes(config, cycle))


def production_cycles(config: LaneConfig, cycles: Iterable[ImportCycle]) -> tuple[ImportCycle, ...]:
    """The cycles with at least one member in a production lane."""
    return tuple(cycle for cycle in cycles if _is_production(config, cycle))


def _order_lines(order: Sequence[str]) -> list[str]:
    closed = list(order) + list(order[:1])
    line = "  " + " -> ".join(closed)
    if len(line) <= _WRAP:
        return [line]
    return ["  " + closed[0]] + [f"    -> {path}" for path in closed[1:]]


def render_cycles(config: LaneConfig, cycles: Sequence[ImportCycle]) -> str:
    """Each cycle with its lanes, a shortest loop and the import to cut, then a summary."""
    if not cycles:
        return "No import cycles.\n"
    lines: list[str] = []
    for number, cycle in enumerate(cycles, start=1):
        lanes = sorted({lane or "(none)" for lane in _lanes(config, cycle)})
        production = " (production)" if _is_production(config, cycle) else ""
        lines.append(
            f"cycle {number}: {len(cycle.members)} modules, lanes {', '.join(lanes)}{production}"
        )
        lines.extend(_order_lines(cycle.order))
        bound = "" if cycle.complete else "+"
        lines.append(
            f"  cut: {cycle.cut_importer}:{cycle.cut_line} imports {cycle.cut_imported} "
            f"(breaks {cycle.cycles_through_cut} of {cycle.cycles_counted}{bound} cycles)"
        )
        lines.append("")
    in_production = len(production_cycles(config, cycles))
    lines.append(f"{counted(len(cycles), 'import cycle')} ({in_production} in production lanes)")
    return "\n".join(lines) + "\n"


def cycles_json(config: LaneConfig, cycles: Iterable[ImportCycle]) -> list[dict[str, Any]]:
    """Every cycle for tools; `member_lanes` parallels `members` (null for unlaned files)."""
    return [
        {
            "members": list(cycle.members),
            "member_lanes": _lanes(config, cycle),
            "production": _is_production(config, cycle),
            "order": list(cycle.order),
            "cut": {
                "importer": cycle.cut_importer,
                "imported": cycle.cut_imported,
                "line": cycle.cut_line,
            },
            "cycles_through_cut": cycle.cycles_through_cut,
            "cycles_counted": cycle.cycles_counted,
            "complete": cycle.complete,
        }
        for cycle in cycles
    ]
