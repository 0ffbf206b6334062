from __future__ import annotations

import json

import pytest

from lanekeeper.kernel.globs import PathGlob
from lanekeeper.promote.board import (
    BoardModule,
    BoardRow,
    Verdict,
    board_modules,
    board_row,
    lane_summaries,
    module_of,
    sorted_rows,
)
from lanekeeper.promote.board_render import board_html, board_json, board_md, render_board
from lanekeeper.promote.gate import Finding, GateResult, Status
from lanekeeper.promote.module import Promotion
from lanekeeper.promote.report import PromotionReport
from lanekeeper.testing import demo_config

DEMO = demo_config()
FILES = [
    "demo/candidate/__init__.py",  # directly in the lane's root: no module
    "demo/candidate/memory_index/__init__.py",
    "demo/candidate/memory_index/deep/index.py",
    "demo/candidate/dream_engine/engine.py",
    "demo/products/shop/cart.py",
    "demo/matriz/graph/node.py",
    "elsewhere/tool.py",  # no lane
]


def test_a_module_is_a_directory_directly_under_a_lane_root() -> None:
    modules = board_modules(DEMO, FILES)
    assert [(m.module, m.promotion, m.reason) for m in modules] == [
        (
            "demo/candidate/dream_engine",
            Promotion("demo/candidate/dream_engine", "candidate", "core"),
            "",
        ),
        (
            "demo/candidate/memory_index",
            Promotion("demo/candidate/memory_index", "candidate", "core"),
            "",
        ),
        ("demo/matriz/graph", None, "matriz is a library: libraries are never promoted"),
        ("demo/products/shop", None, "already in the last lane (products)"),
    ]
    assert modules[1].files == (
        "demo/candidate/memory_index/__init__.py",
        "demo/candidate/memory_index/deep/index.py",
    )


def test_the_lane_root_is_the_glob_before_its_double_star() -> None:
    config = demo_config(candidate=["src/*/candidate/**"])
    assert module_of(config, "src/a/candidate/mod/x.py") == "src/a/candidate/mod"
    assert module_of(config, "src/a/candidate/x.py") is None


def test_promote_modules_overrides_the_decision() -> None:
    modules = ["demo/candidate/*/deep", "demo/candidate/*"]
    assert module_of(DEMO, "demo/candidate/memory_index/deep/index.py", []) == (
        "demo/candidate/memory_index"
    )
    globs = [PathGlob.parse(m) for m in modules]
    assert module_of(DEMO, "demo/candidate/memory_index/deep/index.py", globs) == (
        "demo/candidate/memory_index/deep"
    )
    assert module_of(DEMO, "demo/candidate/x.py", globs) is None
    with pytest.raises(ValueError) as error:
        board_modules(DEMO, ["demo/candidate/a/x.py"], ["demo/../x"])
    assert str(error.value) == (
        "`[promote].modules`: 'demo/../x' is not a valid path glob: it has a '..' segment; "
        "write the normalized path without it."
    )


def gate(name: str, status: Status, *findings: Finding) -> GateResult:
    return GateResult(name, status, f"{name} {status.value.lower()}", findings)


def report(module: str, *gates: GateResult) -> PromotionReport:
    return PromotionReport(module, "candidate", "core", gates)


def rows() -> tuple[BoardRow, ...]:
    def candidate(name: str) -> BoardModule:
        module = f"demo/candidate/{name}"
        return BoardModule(module, "candidate", (), Promotion(module, "candidate", "core"))

    lint = gate("lint", Status.FAIL, Finding("demo/candidate/b/x.py", 3, "F401 unused"))
    blocked_two = board_row(
        candidate("b"), report("demo/candidate/b", lint, gate("tests", Status.FAIL))
    )
    blocked_one = board_row(
        candidate("c"), report("demo/candidate/c", gate("type-check", Status.FAIL))
    )
    ready = board_row(
        candidate("d"),
        report("demo/candidate/d", gate("lint", Status.PASS), gate("sign-off", Status.NEEDS_HUMAN)),
    )
    last = board_row(
        BoardModule("demo/products/p", "products", (), None, "already in the last lane (products)"),
        None,
    )
    return sorted_rows([last, blocked_two, ready, blocked_one])


def test_ready_first_then_by_failing_gates_then_not_candidates() -> None:
    board = rows()
    assert [(r.module, r.verdict) for r in board] == [
        ("demo/candidate/d", Verdict.READY),
        ("demo/candidate/c", Verdict.BLOCKED),
        ("demo/candidate/b", Verdict.BLOCKED),
        ("demo/products/p", Verdict.NOT_A_CANDIDATE),
    ]
    assert [(s.lane, s.modules, s.ready, s.blocked) for s in lane_summaries(DEMO, board)] == [
        ("candidate", 3, 1, 2),
        ("products", 1, 0, 0),
    ]


def test_the_table_json_md_and_html() -> None:
    board = rows()
    lanes = lane_summaries(DEMO, board)
    assert render_board(board, lanes) == (
        "module            from -> to         PASS FAIL SKIP NEEDS-HUMAN  verdict\n"
        "demo/candidate/d  candidate -> core     1    0    0           1  READY\n"
        "demo/candidate/c  candidate -> core     0    1    0           0  BLOCKED\n"
        "    type-check: type-check fail\n"
        "demo/candidate/b  candidate -> core     0    2    0           0  BLOCKED\n"
        "    lint: demo/candidate/b/x.py:3: F401 unused\n"
        "    tests: tests fail\n"
        "demo/products/p   products                                       NOT-A-CANDIDATE\n"
        "    already in the last lane (products)\n"
        "\n"
        "candidate: 3 modules, 1 ready, 2 blocked\n"
        "products: 1 modules, 0 ready, 0 blocked\n"
    )
    document = json.loads(json.dumps(board_json(board, lanes)))
    assert document["modules"][2]["evidence"]["gates"][0] == {
        "gate": "lint",
        "title": "Static analysis (the repo's linters)",
        "status": "FAIL",
        "summary": "lint fail",
        "findings": [{"file": "demo/candidate/b/x.py", "line": 3, "message": "F401 unused"}],
        "details": {},
    }
    assert document["modules"][3]["reason"] == "already in the last lane (products)"
    assert document["lanes"][0] == {"lane": "candidate", "modules": 3, "ready": 1, "blocked": 2}
    md = board_md(board, lanes)
    assert (
        "| `demo/candidate/b` | candidate -> core | 0 | 2 | 0 | 0 | BLOCKED | "
        "lint: demo/candidate/b/x.py:3: F401 unused<br>tests: tests fail |"
    ) in md.splitlines()
    page = board_html(board, lanes)
    assert page.count("<details>") == 4
    assert '<td>lint</td><td class="FAIL">FAIL</td>' in page
    assert "http" not in page  # self-contained: nothing to fetch
