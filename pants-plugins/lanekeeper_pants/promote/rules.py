"""`pants promote`: the goal. Each mode is its own path: `--recover` and `--rollback` undo,
without `--to` the promotion board (`board`) evaluates every module of the specs, `--to`
evaluates every gate (`evaluate`, over the `PromoteGatesRequest` union) and writes the
evidence, and `--apply` then plans (`apply_goal.plan_apply`) and applies the move.

Every decision is a function of `lanekeeper.promote`; this module only moves data and prints.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Optional

from pants.backend.python.target_types import PythonSourceField
from pants.base.build_root import BuildRoot
from pants.engine.console import Console
from pants.engine.fs import Workspace
from pants.engine.goal import Goal
from pants.engine.rules import Get, collect_rules, goal_rule
from pants.engine.target import Targets

from lanekeeper.findings.convert import from_promotion
from lanekeeper.findings.report import sarif_path
from lanekeeper.promote.board import Verdict
from lanekeeper.promote.module import Promotion, PromotionError, plan_promotion
from lanekeeper.promote.render import render_table
from lanekeeper.promote.signoff import SignOff, from_options
from lanekeeper_pants.analyzer.subsystem import AnalyzerTool
from lanekeeper_pants.goal_support import recover_interrupted
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.machine_output import print_annotations
from lanekeeper_pants.promote import apply, apply_goal, board, evaluate
from lanekeeper_pants.promote.apply_goal import ApplyPlan, ApplyPlanRequest
from lanekeeper_pants.promote.board import BoardRequest, PromotionBoard
from lanekeeper_pants.promote.evaluate import EvaluatePromotionRequest, PromotionEvaluation
from lanekeeper_pants.promote.gates import analysis, graph, secrets, supply_chain, tools, unit_tests
from lanekeeper_pants.promote.subsystem import PromoteSubsystem


class PromoteGoal(Goal):
    subsystem_cls = PromoteSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


def _error(console: Console, message: str) -> PromoteGoal:
    console.print_stderr(f"{console.red('error:')} {message}")
    return PromoteGoal(exit_code=1)


# Before the goal rule: Pants finds the `Get`s of helpers defined before the rule.
async def _board(
    console: Console,
    workspace: Workspace,
    subsystem: PromoteSubsystem,
    files: tuple[str, ...],
    signoff: Optional[SignOff],
) -> PromoteGoal:
    result = await Get(PromotionBoard, BoardRequest(files, signoff))
    if result.error:
        return _error(console, result.error)
    # After the last `await`, as the single promotion: each module's folder is replaced.
    workspace.write_digest(result.written, clear_paths=result.cleared)
    console.print_stdout(result.table)
    console.print_stdout("Board: " + ", ".join(result.board_files))
    blocked = any(row.verdict is Verdict.BLOCKED for row in result.rows)
    return PromoteGoal(exit_code=1 if blocked and subsystem.fail_on_blocked else 0)


@goal_rule
async def promote(
    targets: Targets,
    subsystem: PromoteSubsystem,
    lane_model: LaneModel,
    console: Console,
    workspace: Workspace,
    build_root: BuildRoot,
    analyzer: AnalyzerTool,
) -> PromoteGoal:
    root_dir = Path(build_root.path)
    if subsystem.recover:
        return PromoteGoal(
            exit_code=recover_interrupted(console, root_dir, root_dir / apply.JOURNAL)
        )
    if subsystem.rollback:
        return PromoteGoal(exit_code=apply_goal.run_rollback(console, root_dir, subsystem))

    if lane_model.config is None:
        return _error(console, lane_model.error or "`[lanes]` is not valid")
    config = lane_model.config
    try:
        batch_size = analyzer.checked_batch_size()
        signoff: Optional[SignOff] = from_options(subsystem.owner, subsystem.reviewers)
    except ValueError as e:  # a SignOffError too
        return _error(console, str(e))
    python_targets = [t for t in targets if t.has_field(PythonSourceField)]
    files = tuple(sorted(t[PythonSourceField].file_path for t in python_targets))
    if not subsystem.to and not subsystem.apply:
        return await _board(console, workspace, subsystem, files, signoff)
    try:
        promotion: Promotion = plan_promotion(config, files, subsystem.to)
    except PromotionError as e:
        return _error(console, str(e))
    start_commit = ""
    if subsystem.apply:
        try:
            start_commit = await apply_goal.apply_preconditions(subsystem, build_root)
        except ValueError as e:
            return _error(console, str(e))

    evaluation = await Get(
        PromotionEvaluation,
        EvaluatePromotionRequest(
            promotion, tuple(sorted(t.address for t in python_targets)), files, signoff
        ),
    )
    plan: Optional[ApplyPlan] = None
    if subsystem.apply:
        plan = await Get(ApplyPlan, ApplyPlanRequest(evaluation, start_commit, batch_size))

    # Side effects come last, after the final `await`: the engine re-runs a rule that is still
    # running when files it read change, unless it has already had a side effect.
    # One write that replaces the module's folder: no artifact of an earlier run is left.
    out = PurePath(evaluation.out)
    report = evaluation.report
    workspace.write_digest(evaluation.written, clear_paths=(str(out),))
    console.print_stdout(render_table(report))
    console.print_stdout(f"Evidence: {out / 'evidence.json'}, {out / 'PR_BODY.md'}")
    sarif = sarif_path(out, "promote")
    print_annotations(
        console, subsystem.annotations, from_promotion(report), config.production, sarif
    )
    if plan is None:
        return PromoteGoal(exit_code=1 if report.failed else 0)
    if plan.setup is None:
        return _error(console, plan.refusal or "not applied")
    exit_code = apply_goal.run_apply(
        console,
        plan.setup,
        report,
        evaluation.signoff,
        evaluation.evidence,
        config,
        subsystem,
        root_dir,
        out,
    )
    return PromoteGoal(exit_code=exit_code)


def rules():
    return [
        *collect_rules(),
        *evaluate.rules(),
        *board.rules(),
        *apply_goal.rules(),
        *graph.rules(),
        *analysis.rules(),
        *tools.rules(),
        *unit_tests.rules(),
        *supply_chain.rules(),
        *secrets.rules(),
    ]
