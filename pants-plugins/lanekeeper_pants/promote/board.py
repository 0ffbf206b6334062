"""The promotion board: every module of the specs, each evaluated by the very rule a single
promotion uses (`evaluate_promotion`, over the module's whole directory), so Pants memoizes
and caches each module's evaluation whichever way it was asked for.

The decisions (modules, next lane, verdicts, order, rendering) are `lanekeeper.promote.board`'s.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from pants.backend.python.target_types import PythonSourceField
from pants.base.specs import RawSpecs, RecursiveGlobSpec
from pants.core.util_rules.distdir import DistDir
from pants.engine.fs import EMPTY_DIGEST, CreateDigest, Digest, FileContent, MergeDigests
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import Targets
from pants.util.logging import LogLevel

from lanekeeper.promote.board import (
    BoardModule,
    BoardRow,
    board_module,
    board_modules,
    board_row,
    evaluation_failed,
    lane_summaries,
    sorted_rows,
)
from lanekeeper.promote.board_render import board_html, board_json, board_md, render_board
from lanekeeper.promote.signoff import SignOff
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.promote.evaluate import EvaluatePromotionRequest, PromotionEvaluation
from lanekeeper_pants.promote.subsystem import PromoteSubsystem

BOARD_FILES = ("board.json", "board.md", "board.html")


@dataclass(frozen=True)
class BoardRequest:
    files: tuple[str, ...]  # the Python files of the specs
    signoff: Optional[SignOff]


@dataclass(frozen=True)
class PromotionBoard:
    rows: tuple[BoardRow, ...]
    table: str
    written: Digest  # every module's evidence folder and the board's files, under dist/
    cleared: tuple[str, ...]  # the folders `written` replaces
    error: str = ""  # why there is no board (an invalid `[promote].modules`)
    board_files: tuple[str, ...] = ()  # the board's own files, under the dist dir


@dataclass(frozen=True)
class BoardEvaluation:
    """A module's evaluation, or the engine error that stopped it."""

    evaluation: Optional[PromotionEvaluation]
    error: str = ""


@rule(desc="Evaluate a module of the promotion board", level=LogLevel.DEBUG)
async def board_evaluation(request: EvaluatePromotionRequest) -> BoardEvaluation:
    # One module's engine error is that module's row, never the end of the board.
    try:
        return BoardEvaluation(await Get(PromotionEvaluation, EvaluatePromotionRequest, request))
    except Exception as e:  # noqa: BLE001 (the engine raises whatever the failing rule raised)
        return BoardEvaluation(None, str(e) or type(e).__name__)


@rule(desc="Evaluate the promotion board", level=LogLevel.DEBUG)
async def promotion_board(
    request: BoardRequest, subsystem: PromoteSubsystem, lane_model: LaneModel, dist_dir: DistDir
) -> PromotionBoard:
    config = lane_model.config
    assert config is not None  # the goal checked it
    try:
        selected = board_modules(config, request.files, subsystem.modules)
    except ValueError as e:
        return PromotionBoard((), "", EMPTY_DIGEST, (), str(e))
    # A module is evaluated over its whole directory, as `pants promote --to=<lane> <module>::`
    # would: the same request, so one evaluation serves both (and `--changed-since`, which
    # selects only some of a module's files, still judges all of them).
    candidates = [m for m in selected if m.promotion is not None]
    module_targets = await MultiGet(
        Get(
            Targets,
            RawSpecs(
                recursive_globs=(RecursiveGlobSpec(m.module),),
                description_of_origin="the promotion board",
            ),
        )
        for m in candidates
    )
    whole: list[BoardModule] = []
    addresses = []
    for candidate, targets in zip(candidates, module_targets):
        python = [t for t in targets if t.has_field(PythonSourceField)]
        files = tuple(sorted(t[PythonSourceField].file_path for t in python))
        whole.append(board_module(config, candidate.module, files))
        addresses.append(tuple(sorted(t.address for t in python)))
    results = await MultiGet(
        Get(
            BoardEvaluation,
            EvaluatePromotionRequest(m.promotion, found, m.files, request.signoff),
        )
        for m, found in zip(whole, addresses)
        if m.promotion is not None
    )
    evaluated = iter(results)
    rows = sorted_rows(
        [
            *(_row(m, next(evaluated)) if m.promotion else board_row(m, None) for m in whole),
            *(board_row(m, None) for m in selected if m.promotion is None),
        ]
    )
    evaluations = [r.evaluation for r in results if r.evaluation is not None]
    lanes = lane_summaries(config, rows)
    out = dist_dir.relpath / "promote"
    board_files = tuple(str(out / name) for name in BOARD_FILES)
    contents = (
        json.dumps(board_json(rows, lanes), indent=2) + "\n",
        board_md(rows, lanes),
        board_html(rows, lanes),
    )
    board = await Get(
        Digest,
        CreateDigest(FileContent(path, text.encode()) for path, text in zip(board_files, contents)),
    )
    written = await Get(Digest, MergeDigests([board, *(e.written for e in evaluations)]))
    return PromotionBoard(
        rows,
        render_board(rows, lanes),
        written,
        tuple(e.out for e in evaluations),
        board_files=board_files,
    )


def _row(module: BoardModule, result: BoardEvaluation) -> BoardRow:
    if result.evaluation is not None:
        return board_row(module, result.evaluation.report)
    assert module.promotion is not None
    return board_row(module, evaluation_failed(module.promotion, result.error))


def rules():
    return collect_rules()
