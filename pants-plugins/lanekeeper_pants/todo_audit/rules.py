"""`pants todo-audit`: the TODO inventory per lane, its baseline, and `--rewrite` of declared
formats into the guide's grammar.

The files are scanned in the stable batches of `[lanekeeper-analyzer].batch_size` files, one
cached analyzer process each; `[todo-audit].formats` is part of its options, so changing a
format re-scans and nothing else does. `--rewrite` runs a second analysis, only on the files
with TODOs of a declared format, in stable batches of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pants.backend.python.target_types import PythonSourceField
from pants.base.build_root import BuildRoot
from pants.core.util_rules.distdir import DistDir
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.console import Console
from pants.engine.fs import CreateDigest, Digest, DigestContents, FileContent, Workspace
from pants.engine.goal import Goal
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule, rule
from pants.engine.target import Targets
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

from lanekeeper.analyze import todo_options
from lanekeeper.findings.convert import from_todo_audit
from lanekeeper.findings.report import machine_output, sarif_path
from lanekeeper.kernel.analyzer_protocol import decode_output
from lanekeeper.todos.audit import (
    TodoAudit,
    audit_json,
    audit_markdown,
    audit_table,
    baseline_json,
    compare_to_baseline,
    inventory_csv,
)
from lanekeeper.todos.formats import parse_formats
from lanekeeper.todos.grammar import CANONICAL, TodoScan
from lanekeeper.todos.rewrite import (
    TodoRewrite,
    rewrite_diff,
    rewrite_report,
    rewrite_summary,
)
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.analyzer.rules import (
    AnalysisBatch,
    AnalysisBatchResult,
    AnalyzerPex,
    source_batches,
)
from lanekeeper_pants.analyzer.subsystem import AnalyzerTool
from lanekeeper_pants.goal_support import (
    date_option,
    read_build_root_file,
    recover_interrupted,
    rewrite_refusal,
    write_all_or_nothing,
)
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.machine_output import print_annotations
from lanekeeper_pants.todo_audit.subsystem import TodoAuditSubsystem
from lanekeeper_pants.transaction import TransactionError

SCOPE = TodoAuditSubsystem.name
# A dot directory: Pants does not watch it.
JOURNAL = ".lanekeeper/todo-audit.journal"


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
    return TodoScans(decode_output(TodoScan, result.output))


def _error(console: Console, message: str) -> TodoAuditGoal:
    console.print_stderr(f"{console.red('error:')} {message}")
    return TodoAuditGoal(exit_code=1)


async def _rewrite(
    targets: Targets,
    paths: set[str],
    subsystem: TodoAuditSubsystem,
    today: date,
    batch_size: int,
) -> tuple[list[TodoRewrite], dict[str, bytes]]:
    """The rewrite of each file of `paths`, and the bytes it was computed from."""
    batches = source_batches(
        (
            t
            for t in targets
            if t.has_field(PythonSourceField) and t[PythonSourceField].file_path in paths
        ),
        batch_size,
    )
    options = todo_options(subsystem.formats, today=today.isoformat())
    results = await MultiGet(
        Get(AnalysisBatchResult, AnalysisBatch("todo-rewrite", batch, options)) for batch in batches
    )
    fields = tuple(field for batch in batches for field in batch)
    sources = await Get(SourceFiles, SourceFilesRequest(fields))
    contents = await Get(DigestContents, Digest, sources.snapshot.digest)
    rewrites = [r for result in results for r in decode_output(TodoRewrite, result.output)]
    return rewrites, {c.path: c.content for c in contents}


@goal_rule
async def audit_todos(
    targets: Targets,
    subsystem: TodoAuditSubsystem,
    lane_model: LaneModel,
    analyzer: AnalyzerTool,
    console: Console,
    workspace: Workspace,
    dist_dir: DistDir,
    build_root: BuildRoot,
    _: AnalyzerPex,  # asked for here so that building it overlaps reading the targets
) -> TodoAuditGoal:
    root = Path(build_root.path)
    if subsystem.recover:
        return TodoAuditGoal(exit_code=recover_interrupted(console, root, root / JOURNAL))
    config = lane_model.config
    if config is None:
        return _error(console, lane_model.error or "`[lanes]` is not valid")
    try:
        today = date_option(SCOPE, subsystem.today)
        formats = parse_formats(subsystem.formats)
        batch_size = analyzer.checked_batch_size()
    except ValueError as e:
        return _error(console, str(e))
    if subsystem.apply and not subsystem.rewrite:
        return _error(
            console,
            f"`[{SCOPE}].apply` writes what `--rewrite` changes: run `pants {SCOPE} --rewrite "
            f"--apply ::` (after a dry run without `--apply`).",
        )
    if subsystem.apply and (root / JOURNAL).exists():
        return _error(
            console,
            f"nothing written: an interrupted `--apply` left {JOURNAL}. Run `pants {SCOPE} "
            "--recover` first: it gives the files it was rewriting their old bytes back.",
        )

    options = todo_options(subsystem.formats)
    results = await MultiGet(
        Get(TodoScans, TodoScansRequest(AnalysisBatch("todos", batch, options)))
        for batch in source_batches(targets, batch_size)
    )
    scans = [scan for result in results for scan in result.scans]
    audit = TodoAudit.build(config, scans, today, subsystem.max_age_days)

    baseline = await read_build_root_file(subsystem.baseline)
    comparison = None
    if baseline is not None and not subsystem.update_baseline:
        try:
            comparison = compare_to_baseline(audit, baseline, source=subsystem.baseline)
        except ValueError as e:
            return _error(console, str(e))

    out = dist_dir.relpath / "todo-audit"
    findings = from_todo_audit(audit)
    document = audit_json(audit, comparison)
    reports = {
        out / "todo_inventory.csv": inventory_csv(audit),
        **machine_output(out, "todo-audit", findings, document, report_name="todo_audit.json"),
        out / "TODO_CLEANUP_AUDIT.md": audit_markdown(audit, comparison),
    }
    if subsystem.update_baseline:
        reports[Path(subsystem.baseline)] = baseline_json(audit)

    rewrites: list[TodoRewrite] = []
    originals: dict[str, bytes] = {}
    if subsystem.rewrite and formats:
        declared = {e.item.path for e in audit.entries if e.item.format not in (None, CANONICAL)}
        rewrites, originals = await _rewrite(targets, declared, subsystem, today, batch_size)
        reports[out / "todo_rewrite.diff"] = rewrite_diff(rewrites, originals)
    changed = {r.path: (originals[r.path], r.new_source) for r in rewrites if r.new_source}
    applying = bool(subsystem.apply and changed)
    if applying:
        errors = [(r.path, r.error) for r in rewrites if r.error]
        refusal = await rewrite_refusal(errors, changed, build_root)
        if refusal:
            return _error(console, refusal)
    if subsystem.rewrite and formats:
        report = rewrite_report(rewrites, applying)
        reports[out / "todo_rewrite.json"] = json.dumps(report, indent=2) + "\n"
    reports_digest = await Get(
        Digest, CreateDigest(FileContent(str(p), text.encode()) for p, text in reports.items())
    )

    # Side effects come last, after the final `await`: the engine re-runs a rule that is still
    # running when files it read change, and that re-run would see the tree already rewritten.
    if applying:
        try:
            write_all_or_nothing(root, changed, root / JOURNAL, SCOPE)
        except TransactionError as e:
            return _error(console, f"nothing written: {e}")
    workspace.write_digest(reports_digest)

    console.print_stdout(audit_table(audit, comparison))
    if comparison is not None:
        console.print_stdout("".join(f"{line}\n" for line in comparison.lines()))
    elif subsystem.update_baseline:
        console.print_stdout(f"Wrote the baseline {subsystem.baseline}.")
    else:
        console.print_stdout(
            f"No baseline at {subsystem.baseline}: create it with "
            "`pants todo-audit --update-baseline ::` to fail on new TODO debt."
        )
    console.print_stdout(f"Reports: {', '.join(str(p) for p in list(reports)[:4])}")
    sarif = sarif_path(out, "todo-audit")
    print_annotations(console, subsystem.annotations, findings, config.production, sarif)
    if subsystem.rewrite:
        _print_rewrite(console, bool(formats), rewrites, applying, out)
    failed = comparison is not None and comparison.failed
    return TodoAuditGoal(exit_code=1 if failed else 0)


def _print_rewrite(
    console: Console, declared: bool, rewrites: list[TodoRewrite], applied: bool, out: Path
) -> None:
    if not declared:
        console.print_stdout(
            f"Nothing to rewrite: no format is declared in `[{SCOPE}].formats`; the inventory "
            "reads the TODO guide's grammar only."
        )
        return
    for line in rewrite_summary(rewrites):
        console.print_stdout(line)
    edits = sum(len(r.edits) for r in rewrites)
    files = sum(r.new_source is not None for r in rewrites)
    if applied:
        console.print_stdout(
            f"Rewrote {pluralize(edits, 'TODO')} in {pluralize(files, 'file')}. The reports "
            "above describe the files before the rewrite."
        )
    elif edits:
        console.print_stdout(
            f"Dry run: nothing written; the diff is {out / 'todo_rewrite.diff'}. Rerun with "
            f"`--{SCOPE}-apply` to write it."
        )


def rules():
    return [*collect_rules(), *lane_model_rules.rules()]
