"""RuleRunner test of the promotion board's data flow: which evaluation each module is asked
for, and what the board writes. The gates themselves have their own tests, so a stand-in rule
answers `EvaluatePromotionRequest` here; it records the request it got in the gate's summary,
and fails for a module named `crash`, as a gate's rule can."""

from __future__ import annotations

import json

from pants.backend.python import target_types_rules
from pants.backend.python.target_types import PythonSourcesGeneratorTarget, PythonSourceTarget
from pants.engine.fs import EMPTY_DIGEST, Digest, DigestContents
from pants.engine.rules import rule
from pants.testutil.rule_runner import QueryRule, RuleRunner

from lanekeeper.promote.gate import GateResult, Status
from lanekeeper.promote.report import PromotionReport
from lanekeeper.promote.signoff import SignOff
from lanekeeper_pants import lane_model
from lanekeeper_pants.promote import board
from lanekeeper_pants.promote.board import BoardRequest, PromotionBoard
from lanekeeper_pants.promote.evaluate import EvaluatePromotionRequest, PromotionEvaluation
from lanekeeper_pants.testutil import THREE_LANES_ARGS


@rule
async def stand_in_evaluation(request: EvaluatePromotionRequest) -> PromotionEvaluation:
    promotion = request.promotion
    if promotion.module.endswith("crash"):
        raise ValueError("a rule failed\nwith this last line")
    seen = f"{len(request.addresses)} targets: {', '.join(request.files)}"
    status = Status.FAIL if "broken" in promotion.module else Status.PASS
    report = PromotionReport(
        promotion.module,
        promotion.source,
        promotion.target,
        (GateResult("tests", status, seen),),
    )
    signoff = SignOff(None, (), "none")
    return PromotionEvaluation(report, signoff, b"", EMPTY_DIGEST, "dist/promote/x", "src")


def test_each_module_is_evaluated_whole_and_the_board_is_written() -> None:
    rule_runner = RuleRunner(
        rules=[
            *board.rules(),
            *lane_model.rules(),
            *target_types_rules.rules(),
            stand_in_evaluation,
            QueryRule(PromotionBoard, [BoardRequest]),
            QueryRule(DigestContents, [Digest]),
        ],
        target_types=[PythonSourcesGeneratorTarget, PythonSourceTarget],
    )
    rule_runner.write_files(
        {
            "src/candidate/__init__.py": "",
            "src/candidate/BUILD": "python_sources()",
            "src/candidate/ok/a.py": "",
            "src/candidate/ok/sub/b.py": "",
            "src/candidate/ok/BUILD": "python_sources()",
            "src/candidate/ok/sub/BUILD": "python_sources()",
            "src/candidate/broken/c.py": "",
            "src/candidate/broken/BUILD": "python_sources()",
            "src/candidate/crash/e.py": "",
            "src/candidate/crash/BUILD": "python_sources()",
            "src/lukhas/svc/d.py": "",
            "src/lukhas/svc/BUILD": "python_sources()",
        }
    )
    rule_runner.set_options(THREE_LANES_ARGS)
    # As `--changed-since` selects them: one file of `ok`, not the whole module.
    files = (
        "src/candidate/__init__.py",
        "src/candidate/broken/c.py",
        "src/candidate/crash/e.py",
        "src/candidate/ok/sub/b.py",
        "src/lukhas/svc/d.py",
    )
    result = rule_runner.request(PromotionBoard, [BoardRequest(files, None)])
    assert result.table == (
        "module                from -> to         PASS FAIL SKIP NEEDS-HUMAN  verdict\n"
        "src/candidate/ok      candidate -> core     1    0    0           0  READY\n"
        "src/candidate/broken  candidate -> core     0    1    0           0  BLOCKED\n"
        "    tests: 1 targets: src/candidate/broken/c.py\n"
        "src/candidate/crash   candidate -> core     0    1    0           0  BLOCKED\n"
        "    evaluation: could not check: Pants failed: with this last line\n"
        "src/lukhas/svc        lukhas                                         NOT-A-CANDIDATE\n"
        "    already in the last lane (lukhas)\n"
        "\n"
        "candidate: 3 modules, 1 ready, 2 blocked\n"
        "lukhas: 1 modules, 0 ready, 0 blocked\n"
    )
    ok = result.rows[0].report
    assert ok is not None and ok.gates[0].summary == (
        "2 targets: src/candidate/ok/a.py, src/candidate/ok/sub/b.py"
    )
    written = {c.path: c.content for c in rule_runner.request(DigestContents, [result.written])}
    assert sorted(written) == [
        "dist/promote/board.html",
        "dist/promote/board.json",
        "dist/promote/board.md",
    ]
    document = json.loads(written["dist/promote/board.json"])
    assert [m["verdict"] for m in document["modules"]] == [
        "READY",
        "BLOCKED",
        "BLOCKED",
        "NOT-A-CANDIDATE",
    ]
