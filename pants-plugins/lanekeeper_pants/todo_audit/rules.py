from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pants.core.util_rules.distdir import DistDir
from pants.engine.console import Console
from pants.engine.fs import (
    Workspace,
)
from pants.engine.goal import Goal
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule, rule
from pants.engine.target import Targets
from pants.util.logging import LogLevel

from lanekeeper.analyze import parse_output, todo_scan_from_json
from lanekeeper.lanes import LaneConfigError
from lanekeeper.todo_audit import (
    TodoAudit,
    audit_json,
    audit_markdown,
    audit_table,
    baseline_json,
    compare_to_baseline,
    inventory_csv,
)
from lanekeeper.todos import TodoScan
from lanekeeper_pants.analyzer.rules import (
    AnalysisBatch,
    AnalysisBatchResult,
    AnalyzerPex,
    analysis_batches,
)
from lanekeeper_pants.analyzer.subsystem import AnalyzerTool
from lanekeeper_pants.goal_support import date_option, read_build_root_file, write_files
from lanekeeper_pants.lanes.subsystem import LanesSubsystem
from lanekeeper_pants.todo_audit.subsystem import TodoAuditSubsystem


class TodoAuditGoal(Goal):
    subsystem_cls = TodoAuditSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


@dataclass(frozen=True)
class TodoScansRequest:
    batch: AnalysisBatch


@dataclass(frozen=True)
class TodoScans:
    scans: tuple[TodoScan, ...]


@rule(desc="Scan a batch of files for TODOs", level=LogLevel.DEBUG)
async def scan_todo_batch(request: TodoScansRequest) -> TodoScans:
    # Decoded here, once per batch: with pantsd a rerun reuses the scans of unchanged batches.
    result = await Get(AnalysisBatchResult, AnalysisBatch, request.batch)
    return TodoScans(tuple(todo_scan_from_json(doc) for doc in parse_output(result.output)))


@goal_rule
async def audit_todos(
    targets: Targets,
    subsystem: TodoAuditSubsystem,
    lanes: LanesSubsystem,
    analyzer: AnalyzerTool,
    console: Console,
    workspace: Workspace,
    dist_dir: DistDir,
    _: AnalyzerPex,  # asked for here so that building it overlaps reading the targets
) -> TodoAuditGoal:
    try:
        config = lanes.lane_config()
        today = date_option("todo-audit", subsystem.today)
        batches = analysis_batches("todos", targets, analyzer)
    except (LaneConfigError, ValueError) as e:
        console.print_stderr(f"{console.red('error:')} {e}")
        return TodoAuditGoal(exit_code=1)

    results = await MultiGet(Get(TodoScans, TodoScansRequest(batch)) for batch in batches)
    scans = [scan for result in results for scan in result.scans]
    audit = TodoAudit.build(config, scans, today, subsystem.max_age_days)

    baseline = await read_build_root_file(subsystem.baseline)
    comparison = None
    if baseline is not None and not subsystem.update_baseline:
        try:
            comparison = compare_to_baseline(audit, baseline, source=subsystem.baseline)
        except ValueError as e:
            console.print_stderr(f"{console.red('error:')} {e}")
            return TodoAuditGoal(exit_code=1)

    out = dist_dir.relpath / "todo-audit"
    reports = {
        out / "todo_inventory.csv": inventory_csv(audit),
        out / "todo_audit.json": json.dumps(audit_json(audit, comparison), indent=2) + "\n",
        out / "TODO_CLEANUP_AUDIT.md": audit_markdown(audit, comparison),
    }
    if subsystem.update_baseline:
        reports[Path(subsystem.baseline)] = baseline_json(audit)
    await write_files(workspace, reports)

    console.print_stdout(audit_table(audit, comparison))
    if comparison is not None:
        console.print_stdout(comparison.render())
    elif subsystem.update_baseline:
        console.print_stdout(f"Wrote the baseline {subsystem.baseline}.")
    else:
        console.print_stdout(
            f"No baseline at {subsystem.baseline}: create it with "
            "`pants todo-audit --update-baseline ::` to fail on new TODO debt."
        )
    console.print_stdout(f"Reports: {', '.join(str(p) for p in list(reports)[:3])}")
    failed = comparison is not None and comparison.failed
    return TodoAuditGoal(exit_code=1 if failed else 0)


def rules():
    return collect_rules()
