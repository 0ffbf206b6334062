"""`pants todo-audit`: the TODO inventory per lane, its baseline, and `--rewrite` of declared
formats into the guide's grammar.

Each directory's files are scanned by one cached analyzer process; `[todo-audit].formats` is
part of its options, so changing a format re-scans and nothing else does. `--rewrite` runs a
second analysis, only on the files with TODOs of a declared format.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

from pants.backend.python.target_types import PythonSourceField
from pants.base.build_root import BuildRoot
from pants.core.util_rules.distdir import DistDir
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.console import Console
from pants.engine.fs import CreateDigest, Digest, DigestContents, FileContent, Workspace
from pants.engine.goal import Goal
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule
from pants.engine.target import Targets
from pants.util.collections import partition_sequentially
from pants.util.strutil import pluralize

from lanekeeper.analyze import parse_output, todo_options, todo_scan_from_json
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
from lanekeeper.todos.grammar import CANONICAL
from lanekeeper.todos.rewrite import (
    TodoRewrite,
    rewrite_diff,
    rewrite_from_json,
    rewrite_report,
    rewrite_summary,
)
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.analyzer.rules import (
    AnalysisBatch,
    AnalysisBatchResult,
    batches_by_directory,
)
from lanekeeper_pants.goal_support import (
    date_option,
    read_build_root_file,
    recover_interrupted,
    rewrite_refusal,
    write_all_or_nothing,
)
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.todo_audit.subsystem import TodoAuditSubsystem
from lanekeeper_pants.transaction import TransactionError

SCOPE = TodoAuditSubsystem.name
# A dot directory: Pants does not watch it.
JOURNAL = ".lanekeeper/todo-audit.journal"
# Files per rewrite process: tokenizing is cheap, starting a process is not.
REWRITE_BATCH_SIZE = 64


class TodoAuditGoal(Goal):
    subsystem_cls = TodoAuditSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


def _error(console: Console, message: str) -> TodoAuditGoal:
    console.print_stderr(f"{console.red('error:')} {message}")
    return TodoAuditGoal(exit_code=1)


async def _rewrite(
    targets: Targets, paths: set[str], subsystem: TodoAuditSubsystem, today: date
) -> tuple[list[TodoRewrite], dict[str, bytes]]:
    """The rewrite of each file of `paths`, and the bytes it was computed from."""
    # One file can have two owners (one per resolve, say): rewrite it once.
    fields = {
        t[PythonSourceField].file_path: t[PythonSourceField]
        for t in targets
        if t.has_field(PythonSourceField) and t[PythonSourceField].file_path in paths
    }
    options = todo_options(subsystem.formats, today=today.isoformat())
    batches = partition_sequentially(
        fields.values(),
        key=lambda f: f.file_path,
        size_target=REWRITE_BATCH_SIZE,
        size_max=4 * REWRITE_BATCH_SIZE,
    )
    results = await MultiGet(
        Get(AnalysisBatchResult, AnalysisBatch("todo-rewrite", tuple(batch), options))
        for batch in batches
    )
    sources = await Get(SourceFiles, SourceFilesRequest(tuple(fields.values())))
    contents = await Get(DigestContents, Digest, sources.snapshot.digest)
    rewrites = [rewrite_from_json(d) for result in results for d in parse_output(result.output)]
    return rewrites, {c.path: c.content for c in contents}


@goal_rule
async def audit_todos(
    targets: Targets,
    subsystem: TodoAuditSubsystem,
    lane_model: LaneModel,
    console: Console,
    workspace: Workspace,
    dist_dir: DistDir,
    build_root: BuildRoot,
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
        Get(AnalysisBatchResult, AnalysisBatch, dataclasses.replace(batch, options=options))
        for batch in batches_by_directory("todos", targets)
    )
    scans = [todo_scan_from_json(doc) for result in results for doc in parse_output(result.output)]
    audit = TodoAudit.build(config, scans, today, subsystem.max_age_days)

    baseline = await read_build_root_file(subsystem.baseline)
    comparison = None
    if baseline is not None and not subsystem.update_baseline:
        try:
            comparison = compare_to_baseline(audit, baseline, source=subsystem.baseline)
        except ValueError as e:
            return _error(console, str(e))

    out = dist_dir.relpath / "todo-audit"
    reports = {
        out / "todo_inventory.csv": inventory_csv(audit),
        out / "todo_audit.json": json.dumps(audit_json(audit, comparison), indent=2) + "\n",
        out / "TODO_CLEANUP_AUDIT.md": audit_markdown(audit, comparison),
    }
    if subsystem.update_baseline:
        reports[Path(subsystem.baseline)] = baseline_json(audit)

    rewrites: list[TodoRewrite] = []
    originals: dict[str, bytes] = {}
    if subsystem.rewrite and formats:
        declared = {e.item.path for e in audit.entries if e.item.format not in (None, CANONICAL)}
        rewrites, originals = await _rewrite(targets, declared, subsystem, today)
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
        console.print_stdout(comparison.render())
    elif subsystem.update_baseline:
        console.print_stdout(f"Wrote the baseline {subsystem.baseline}.")
    else:
        console.print_stdout(
            f"No baseline at {subsystem.baseline}: create it with "
            "`pants todo-audit --update-baseline ::` to fail on new TODO debt."
        )
    console.print_stdout(f"Reports: {', '.join(str(p) for p in list(reports)[:3])}")
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
