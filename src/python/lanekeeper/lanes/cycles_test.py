from __future__ import annotations

import dataclasses
import time
from typing import Sequence

import pytest

from lanekeeper.lanes.cycles import (
    CYCLE_BUDGET,
    ImportCycle,
    cycles_json,
    find_cycles,
    production_cycles,
    render_cycles,
)
from lanekeeper.lanes.imports import ImportEdge
from lanekeeper.testing import demo_config

DEMO = demo_config()

RANK = "demo/core/scoring/rank.py"
WEIGHTS = "demo/core/scoring/weights.py"
PLANNER = "demo/candidate/orchestrator/planner.py"
SCHEDULER = "demo/candidate/orchestrator/scheduler.py"
EXECUTOR = "demo/candidate/orchestrator/executor.py"

# The demo's two planted cycles, plus acyclic imports around them.
DEMO_EDGES = (
    ImportEdge(RANK, 7, "core.scoring.weights", WEIGHTS),
    ImportEdge(WEIGHTS, 7, "core.scoring.rank", RANK),
    ImportEdge(PLANNER, 5, "candidate.orchestrator.scheduler", SCHEDULER),
    ImportEdge(SCHEDULER, 5, "candidate.orchestrator.executor", EXECUTOR),
    ImportEdge(EXECUTOR, 5, "candidate.orchestrator.planner", PLANNER),
    ImportEdge(PLANNER, 3, "candidate.memory_index", "demo/candidate/memory_index/__init__.py"),
    ImportEdge("demo/products/report.py", 4, "core.scoring.rank", RANK),
)


def edges(*pairs: str, line: int = 1) -> list[ImportEdge]:
    """`"a b"` is an edge a.py -> b.py at `line`."""
    result = []
    for pair in pairs:
        importer, imported = pair.split()
        result.append(ImportEdge(f"{importer}.py", line, imported, f"{imported}.py"))
    return result


def summary(cycle: ImportCycle) -> tuple[object, ...]:
    """Everything but the line, with the `.py` suffixes dropped, for compact tables."""

    def names(paths: Sequence[str]) -> str:
        return " ".join(path[: -len(".py")] for path in paths)

    return (
        names(cycle.members),
        names(cycle.order),
        names((cycle.cut_importer, cycle.cut_imported)),
        cycle.cycles_through_cut,
        cycle.cycles_counted,
        cycle.complete,
    )


@pytest.mark.parametrize(
    "pairs, expected",
    [
        pytest.param([], [], id="empty"),
        pytest.param(["a b", "b c", "a c"], [], id="acyclic"),
        pytest.param(["a a"], [], id="self-edge"),
        pytest.param(["a a", "a b", "b a", "b b"], [("a b", "a b", "a b", 1, 1, True)], id="2"),
        pytest.param(["b c", "c a", "a b"], [("a b c", "a b c", "a b", 1, 1, True)], id="3"),
        pytest.param(
            # Sorted by members, each smallest member first.
            ["y z", "z y", "c a", "a b", "b c", "q r"],
            [("a b c", "a b c", "a b", 1, 1, True), ("y z", "y z", "y z", 1, 1, True)],
            id="two-components",
        ),
        pytest.param(
            ["a b", "b c", "c a", "b d", "d a"],
            [("a b c d", "a b c", "a b", 2, 2, True)],
            id="figure-eight",
        ),
        pytest.param(
            # The shared edge c -> d wins over the smaller edges a -> c and b -> c.
            ["a c", "b c", "c d", "d a", "d b"],
            [("a b c d", "a c d", "c d", 2, 2, True)],
            id="figure-eight-shared-edge-not-smallest",
        ),
        pytest.param(
            # The order is a shortest cycle through `a`, not the first one found.
            ["a b", "b c", "c d", "d a", "a e", "e a"],
            [("a b c d e", "a e", "a b", 1, 2, True)],
            id="shortest-order",
        ),
        pytest.param(
            ["a c", "c a", "a b", "b a"],
            [("a b c", "a b", "a b", 1, 2, True)],
            id="order-tie-broken-by-sorted-neighbours",
        ),
        pytest.param(
            # Every directed edge of K4: 20 elementary cycles, 5 through each edge.
            [f"{x} {y}" for x in "abcd" for y in "abcd" if x != y],
            [("a b c d", "a b", "a b", 5, 20, True)],
            id="complete-4",
        ),
        pytest.param(
            # Two 2-cycles bridged both ways: a third cycle runs through both of them, and
            # a -> b ties with c -> d on two cycles each.
            ["a b", "b a", "c d", "d c", "b c", "d a"],
            [("a b c d", "a b", "a b", 2, 3, True)],
            id="bridged",
        ),
    ],
)
def test_find_cycles(pairs: list[str], expected: list[tuple[object, ...]]) -> None:
    assert [summary(cycle) for cycle in find_cycles(edges(*pairs))] == expected


def test_demo_cycles() -> None:
    cycles = find_cycles(DEMO_EDGES)
    assert cycles == (
        ImportCycle(
            members=(EXECUTOR, PLANNER, SCHEDULER),
            order=(EXECUTOR, PLANNER, SCHEDULER),
            cut_importer=EXECUTOR,
            cut_imported=PLANNER,
            cut_line=5,
            cycles_through_cut=1,
            cycles_counted=1,
            complete=True,
        ),
        ImportCycle(
            members=(RANK, WEIGHTS),
            order=(RANK, WEIGHTS),
            cut_importer=RANK,
            cut_imported=WEIGHTS,
            cut_line=7,
            cycles_through_cut=1,
            cycles_counted=1,
            complete=True,
        ),
    )
    assert render_cycles(DEMO, cycles) == (
        "cycle 1: 3 modules, lanes candidate\n"
        "  demo/candidate/orchestrator/executor.py\n"
        "    -> demo/candidate/orchestrator/planner.py\n"
        "    -> demo/candidate/orchestrator/scheduler.py\n"
        "    -> demo/candidate/orchestrator/executor.py\n"
        "  cut: demo/candidate/orchestrator/executor.py:5 imports "
        "demo/candidate/orchestrator/planner.py (breaks 1 of 1 cycles)\n"
        "\n"
        "cycle 2: 2 modules, lanes core (production)\n"
        "  demo/core/scoring/rank.py -> demo/core/scoring/weights.py -> demo/core/scoring/rank.py\n"
        "  cut: demo/core/scoring/rank.py:7 imports demo/core/scoring/weights.py "
        "(breaks 1 of 1 cycles)\n"
        "\n"
        "2 import cycles (1 in production lanes)\n"
    )
    assert production_cycles(DEMO, cycles) == cycles[1:]


def test_line_of_collapsed_edges_is_the_smallest_nonzero() -> None:
    found = find_cycles(
        [
            ImportEdge("a.py", 0, "b", "b.py"),  # explicit BUILD dependency
            ImportEdge("a.py", 9, "b.c", "b.py"),
            ImportEdge("a.py", 4, "b", "b.py"),
            ImportEdge("b.py", 0, "a", "a.py"),
        ]
    )
    assert [(c.cut_importer, c.cut_line) for c in found] == [("a.py", 4)]
    only_explicit = find_cycles(
        [ImportEdge("a.py", 0, "b", "b.py"), ImportEdge("b.py", 3, "a", "a.py")]
    )
    assert [(c.cut_importer, c.cut_line) for c in only_explicit] == [("a.py", 0)]


def test_edge_order_does_not_matter() -> None:
    pairs = ["a b", "b c", "c a", "b d", "d a", "x y", "y x"]
    forward = find_cycles(edges(*pairs))
    assert find_cycles(edges(*reversed(pairs))) == forward
    assert find_cycles(edges(*pairs) * 2) == forward


def test_render_wrapping_unlaned_and_summary() -> None:
    cycles = find_cycles(
        [
            ImportEdge("demo/lukhas/a.py", 2, "x", "tools/x.py"),
            ImportEdge("tools/x.py", 3, "a", "demo/lukhas/a.py"),
        ]
    )
    assert render_cycles(DEMO, cycles) == (
        "cycle 1: 2 modules, lanes (none), lukhas (production)\n"
        "  demo/lukhas/a.py -> tools/x.py -> demo/lukhas/a.py\n"
        "  cut: demo/lukhas/a.py:2 imports tools/x.py (breaks 1 of 1 cycles)\n"
        "\n"
        "1 import cycle (1 in production lanes)\n"
    )
    assert render_cycles(DEMO, ()) == "No import cycles.\n"
    assert render_cycles(DEMO, find_cycles(edges("a b", "b a"))).endswith(
        "1 import cycle (0 in production lanes)\n"
    )


def test_order_line_wraps_only_past_100_characters() -> None:
    # "  a -> b -> a" with names of 30 characters is 2 + 3 * 30 + 2 * 4 = 100 characters.
    name_a, name_b = "a" * 27 + ".py", "b" * 27 + ".py"
    fits = render_cycles(
        DEMO, find_cycles([ImportEdge(name_a, 1, "b", name_b), ImportEdge(name_b, 1, "a", name_a)])
    )
    assert f"  {name_a} -> {name_b} -> {name_a}\n" in fits
    long_a = "a" * 28 + ".py"
    wrapped = render_cycles(
        DEMO, find_cycles([ImportEdge(long_a, 1, "b", name_b), ImportEdge(name_b, 1, "a", long_a)])
    )
    assert f"\n  {long_a}\n    -> {name_b}\n    -> {long_a}\n  cut: " in wrapped


def test_complete_graph_exceeds_the_budget() -> None:
    pairs = [f"n{x:02d} n{y:02d}" for x in range(30) for y in range(30) if x != y]
    started = time.perf_counter()
    (cycle,) = find_cycles(edges(*pairs))
    assert time.perf_counter() - started < 20  # bounded: K30 has astronomically many cycles
    assert (cycle.cycles_counted, cycle.complete) == (CYCLE_BUDGET, False)
    # Counting stops inside the first branch of the search, so every counted cycle uses it.
    assert cycle.cycles_through_cut == CYCLE_BUDGET
    assert len(cycle.members) == 30
    assert cycle.order == ("n00.py", "n01.py")
    assert (cycle.cut_importer, cycle.cut_imported) == ("n00.py", "n01.py")
    assert find_cycles(edges(*reversed(pairs))) == (cycle,)
    assert render_cycles(DEMO, (cycle,)).splitlines()[-3] == (
        "  cut: n00.py:1 imports n01.py (breaks 10000 of 10000+ cycles)"
    )


def test_small_budget() -> None:
    pairs = [f"{x} {y}" for x in "abcd" for y in "abcd" if x != y]
    (cycle,) = find_cycles(edges(*pairs), cycle_budget=7)
    assert (cycle.cycles_counted, cycle.complete) == (7, False)
    assert find_cycles(edges(*pairs), cycle_budget=20)[0].complete
    assert find_cycles(edges(*pairs), cycle_budget=7) == (cycle,)


def test_long_chain_and_long_cycle() -> None:
    chain = [
        ImportEdge(f"chain/m{i:05d}.py", 1, "m", f"chain/m{i + 1:05d}.py") for i in range(20_000)
    ]
    ring = [
        ImportEdge(f"ring/r{i:05d}.py", 2, "r", f"ring/r{(i + 1) % 5_000:05d}.py")
        for i in range(5_000)
    ]
    link = [ImportEdge("chain/m20000.py", 3, "r", "ring/r00000.py")]
    started = time.perf_counter()
    (cycle,) = find_cycles(chain + link + ring)
    assert time.perf_counter() - started < 20
    assert cycle.members == tuple(f"ring/r{i:05d}.py" for i in range(5_000))
    assert cycle.order == cycle.members
    assert (cycle.cut_importer, cycle.cut_imported, cycle.cut_line) == (
        "ring/r00000.py",
        "ring/r00001.py",
        2,
    )
    assert (cycle.cycles_through_cut, cycle.cycles_counted, cycle.complete) == (1, 1, True)
    lines = render_cycles(DEMO, (cycle,)).splitlines()
    assert lines[:3] == [
        "cycle 1: 5000 modules, lanes (none)",
        "  ring/r00000.py",
        "    -> ring/r00001.py",
    ]
    assert lines[5001:] == [
        "    -> ring/r00000.py",
        "  cut: ring/r00000.py:2 imports ring/r00001.py (breaks 1 of 1 cycles)",
        "",
        "1 import cycle (0 in production lanes)",
    ]


def test_one_cycle_of_20000_files() -> None:
    ring = [
        ImportEdge(f"r{i:05d}.py", 1, "r", f"r{(i + 1) % 20_000:05d}.py") for i in range(20_000)
    ]
    (cycle,) = find_cycles(ring)
    assert len(cycle.order) == 20_000
    assert (cycle.cycles_through_cut, cycle.cycles_counted, cycle.complete) == (1, 1, True)


def test_cycles_json_and_frozen() -> None:
    cycles = find_cycles(DEMO_EDGES)
    assert cycles_json(DEMO, cycles[1:]) == [
        {
            "members": [RANK, WEIGHTS],
            "member_lanes": ["core", "core"],
            "production": True,
            "order": [RANK, WEIGHTS],
            "cut": {"importer": RANK, "imported": WEIGHTS, "line": 7},
            "cycles_through_cut": 1,
            "cycles_counted": 1,
            "complete": True,
        }
    ]
    assert cycles_json(DEMO, find_cycles(edges("a b", "b a")))[0]["member_lanes"] == [None, None]
    assert len(set(cycles)) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        cycles[0].complete = False  # type: ignore[misc]
