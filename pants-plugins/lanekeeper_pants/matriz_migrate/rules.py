"""`pants matriz-migrate` and the `matriz-migrate` fixer: one rewrite, cached per batch of files.

The engine reads every file (a cheap byte test per stable batch of files, memoized); only files
that can mention a legacy name go to the analyzer (libcst), in stable batches of a quarter of
`[lanekeeper-analyzer].batch_size` files (libcst costs more per file than the `ast`-based
analyses), one cached process each: a cold run starts a handful of processes, and a changed
file re-runs only its batch.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Optional, cast

from pants.backend.python.target_types import PythonSourceField
from pants.base.build_root import BuildRoot
from pants.core.goals.fix import AbstractFixRequest, FixResult, FixTargetsRequest, Partitions
from pants.core.util_rules.distdir import DistDir
from pants.core.util_rules.partitions import PartitionerType
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.console import Console
from pants.engine.fs import (
    CreateDigest,
    Digest,
    DigestContents,
    DigestSubset,
    FileContent,
    MergeDigests,
    PathGlobs,
    Snapshot,
    Workspace,
)
from pants.engine.goal import Goal
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule, rule
from pants.engine.target import FieldSet, Target, Targets
from pants.engine.unions import UnionMembership
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

from lanekeeper.findings.convert import from_migration
from lanekeeper.findings.report import machine_output, sarif_path
from lanekeeper.kernel.analyzer_protocol import decode_output
from lanekeeper.kernel.batches import stable_batches
from lanekeeper.kernel.globs import PathGlob
from lanekeeper.kernel.ratchet import Comparison
from lanekeeper.rename.migration import (
    CHANGED,
    DEFAULT_MAX_LINES,
    ERROR,
    Migration,
    RewriteResult,
    baseline_json,
    check_findings,
    compare_to_baseline,
    console_table,
    dynamic_note,
    group_file_stem,
    group_html,
    group_json,
    legacy_counts,
    may_mention,
    names_legacy_in_import,
    summary_markdown,
    validate_renames,
)
from lanekeeper.rename.narrow_rewrite import NarrowRewrite, narrow_rewrite
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.analyzer.rules import (
    AnalysisBatchResult,
    AnalyzeDigest,
    AnalyzerPex,
    source_batches,
)
from lanekeeper_pants.analyzer.subsystem import AnalyzerTool
from lanekeeper_pants.goal_support import (
    read_build_root_file,
    recover_interrupted,
    rewrite_refusal,
    write_all_or_nothing,
)
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.machine_output import print_annotations
from lanekeeper_pants.matriz_migrate.subsystem import GroupBy, MatrizMigrateSubsystem
from lanekeeper_pants.skip_fields import SkipMatrizMigrateField
from lanekeeper_pants.transaction import TransactionError

SCOPE = MatrizMigrateSubsystem.name
# A dot directory: Pants does not watch it.
JOURNAL = ".lanekeeper/matriz-migrate.journal"
# A libcst rewrite with scope analysis costs several times an `ast`-based analysis per file
# (DESIGN.md: 12 ms against 1.3 ms to parse alone): a quarter of the batch size (32 files by
# default) keeps a rewrite process about as long as an analysis process.
REWRITE_BATCH_DIVISOR = 4


@dataclass(frozen=True)
class RenameSnapshotRequest:
    snapshot: Snapshot
    options: str  # {"renames": ..., "rewrite_strings": ...} as JSON: part of the cache key


@dataclass(frozen=True)
class LegacyCandidatesRequest:
    sources: tuple[PythonSourceField, ...]  # one batch of files
    renames: str  # JSON


@dataclass(frozen=True)
class LegacyCandidates:
    sources: tuple[PythonSourceField, ...]  # those that may mention a legacy name
    scanned: int


@dataclass(frozen=True)
class RenameBatchRequest:
    sources: tuple[PythonSourceField, ...]
    options: str


@dataclass(frozen=True)
class RenameResults:
    results: tuple[RewriteResult, ...]  # the files that may mention a legacy name
    originals: tuple[tuple[str, bytes], ...]  # the changed files' bytes before the rewrite
    blocking: tuple[str, ...] = ()  # unparseable files that may import a legacy module


def rename_options(subsystem: MatrizMigrateSubsystem) -> str:
    renames = dict(subsystem.renames)
    validate_renames(renames, f"[{SCOPE}].renames")
    return json.dumps(
        {"renames": renames, "rewrite_strings": subsystem.rewrite_strings}, sort_keys=True
    )


@rule(desc="Rewrite legacy imports", level=LogLevel.DEBUG)
async def rename_snapshot(request: RenameSnapshotRequest) -> RenameResults:
    contents = await Get(DigestContents, Digest, request.snapshot.digest)
    renames = json.loads(request.options)["renames"]
    candidates = {c.path: c.content for c in contents if may_mention(c.content, renames)}
    if not candidates:
        return RenameResults((), ())
    paths = tuple(sorted(candidates))
    subset = await Get(Digest, DigestSubset(request.snapshot.digest, PathGlobs(paths)))
    output = await Get(AnalysisBatchResult, AnalyzeDigest("rename", subset, paths, request.options))
    results = decode_output(RewriteResult, output.output)
    originals = tuple((r.path, candidates[r.path]) for r in results if r.status == CHANGED)
    blocking = tuple(
        r.path
        for r in results
        if r.status == ERROR and names_legacy_in_import(candidates[r.path], renames)
    )
    return RenameResults(results, originals, blocking)


@rule(desc="Find files that mention legacy modules", level=LogLevel.DEBUG)
async def find_legacy_candidates(request: LegacyCandidatesRequest) -> LegacyCandidates:
    sources = await Get(SourceFiles, SourceFilesRequest(request.sources))
    contents = await Get(DigestContents, Digest, sources.snapshot.digest)
    renames = json.loads(request.renames)
    mentioning = {c.path for c in contents if may_mention(c.content, renames)}
    candidates = tuple(f for f in request.sources if f.file_path in mentioning)
    return LegacyCandidates(candidates, len(contents))


@rule(desc="Rewrite legacy imports in a batch of files", level=LogLevel.DEBUG)
async def rename_batch(request: RenameBatchRequest) -> RenameResults:
    sources = await Get(SourceFiles, SourceFilesRequest(request.sources))
    return await Get(RenameResults, RenameSnapshotRequest(sources.snapshot, request.options))


async def rewrite_imports(targets: Iterable[Target], options: str, batch_size: int) -> Migration:
    """The rewrite (`rename_options` JSON) of every file of `targets` that can need it, read in
    batches of `batch_size` (`[lanekeeper-analyzer].batch_size`) files."""
    renames = json.dumps(json.loads(options)["renames"], sort_keys=True)
    candidates = await MultiGet(
        Get(LegacyCandidates, LegacyCandidatesRequest(batch, renames))
        for batch in source_batches(targets, batch_size)
    )
    to_parse = {f.file_path: f for c in candidates for f in c.sources}
    batches = stable_batches(to_parse, max(1, batch_size // REWRITE_BATCH_DIVISOR))
    renamed = await MultiGet(
        Get(RenameResults, RenameBatchRequest(tuple(to_parse[path] for path in batch), options))
        for batch in batches
    )
    return Migration(
        scanned=sum(c.scanned for c in candidates),
        results=tuple(result for r in renamed for result in r.results),
        originals=dict(original for r in renamed for original in r.originals),
        blocking=frozenset(path for r in renamed for path in r.blocking),
    )


async def _replace_files(snapshot: Snapshot, files: Mapping[str, bytes]) -> Snapshot:
    """`snapshot` with the contents of `files` replaced (they must be in it)."""
    kept = await Get(
        Digest,
        DigestSubset(snapshot.digest, PathGlobs(["**", *(f"!{path}" for path in files)])),
    )
    new = await Get(Digest, CreateDigest(FileContent(p, c) for p, c in files.items()))
    return await Get(Snapshot, MergeDigests([kept, new]))


async def format_in_memory(
    files: Mapping[str, bytes], targets: Iterable[Target], union_membership: UnionMembership
) -> tuple[dict[str, bytes], list[str]]:
    """Run what `pants fix` would run (fixers, then formatters) on `files`, in memory."""
    snapshot = await Get(
        Snapshot, CreateDigest(FileContent(path, content) for path, content in files.items())
    )
    owners = [t for t in targets if t.has_field(PythonSourceField)]
    owners = [t for t in owners if t[PythonSourceField].file_path in files]
    # As `pants fix` orders them: fixers first, then formatters; each tool, one at a time,
    # works on the previous tool's output.
    fixers = [rt for rt in union_membership.get(AbstractFixRequest) if rt.is_fixer]
    formatters = [rt for rt in union_membership.get(AbstractFixRequest) if not rt.is_fixer]
    tools: list[str] = []
    for member in (*fixers, *formatters):
        if member is MatrizMigrateFixRequest or not issubclass(member, FixTargetsRequest):
            continue
        request_type = cast("type[FixTargetsRequest]", member)  # mypy won't narrow a union member
        field_set_type = request_type.field_set_type
        field_sets = tuple(
            field_set_type.create(t) for t in owners if field_set_type.is_applicable(t)
        )
        if not field_sets:
            continue
        partitions = await Get(
            Partitions,
            FixTargetsRequest.PartitionRequest,
            request_type.PartitionRequest(field_sets),
        )
        for partition in partitions:
            elements = tuple(partition.elements)
            batch_input = await Get(Snapshot, DigestSubset(snapshot.digest, PathGlobs(elements)))
            result = await Get(
                FixResult,
                AbstractFixRequest.Batch,
                request_type.Batch(
                    request_type.tool_name, elements, partition.metadata, batch_input
                ),
            )
            if result.did_change:
                output = await Get(DigestContents, Digest, result.output.digest)
                snapshot = await _replace_files(snapshot, {c.path: c.content for c in output})
            if request_type.tool_name not in tools:
                tools.append(request_type.tool_name)
    contents = await Get(DigestContents, Digest, snapshot.digest)
    return {c.path: c.content for c in contents}, tools


async def narrow_outputs(
    migration: Migration, targets: Iterable[Target], union_membership: UnionMembership, fmt: bool
) -> tuple[dict[str, NarrowRewrite], list[str]]:
    """What to write to each changed file, and the tools that formatted.

    The repo's formatters run on each file twice, before and after the rewrite: only a file
    they leave as it was before is written formatted (see `lanekeeper.rename.narrow_rewrite`).
    """
    rewritten = {r.path: r.new_source for r in migration.changed if r.new_source is not None}
    originals = {path: migration.originals[path] for path in rewritten}
    before: Mapping[str, bytes] = {}
    after: Mapping[str, bytes] = {}
    tools: list[str] = []
    if fmt and rewritten:
        before, tools = await format_in_memory(originals, targets, union_membership)
        after, _ = await format_in_memory(rewritten, targets, union_membership)
    outputs = {
        path: narrow_rewrite(
            path,
            originals[path],
            new,
            before.get(path) if tools else None,
            after.get(path) if tools else None,
        )
        for path, new in rewritten.items()
    }
    return outputs, tools


# --- the fixer: `pants fix` applies the rewrite, `pants lint` reports what it would change ---


@dataclass(frozen=True)
class MatrizMigrateFieldSet(FieldSet):
    required_fields = (PythonSourceField,)

    source: PythonSourceField

    @classmethod
    def opt_out(cls, tgt: Target) -> bool:
        return tgt.get(SkipMatrizMigrateField).value


class MatrizMigrateFixRequest(FixTargetsRequest):
    field_set_type = MatrizMigrateFieldSet
    # The goal subsystem carries `skip`; mypy cannot match its classproperty scope.
    tool_subsystem = MatrizMigrateSubsystem  # type: ignore[assignment]
    partitioner_type = PartitionerType.DEFAULT_SINGLE_PARTITION


@rule(desc="Fix legacy imports", level=LogLevel.DEBUG)
async def fix_legacy_imports(
    request: MatrizMigrateFixRequest.Batch, subsystem: MatrizMigrateSubsystem
) -> FixResult:
    if not subsystem.renames:
        # A repo with no legacy names has nothing to fix (the goal says how to add some).
        return FixResult(request.snapshot, request.snapshot, "", "", request.tool_name)
    renamed = await Get(
        RenameResults, RenameSnapshotRequest(request.snapshot, rename_options(subsystem))
    )
    new = {r.path: r.new_source for r in renamed.results if r.new_source is not None}
    output = await _replace_files(request.snapshot, new) if new else request.snapshot
    notes = [f"{r.path}: not rewritten: {r.error}" for r in renamed.results if r.error]
    notes += [dynamic_note(r.path, d) for r in renamed.results for d in r.dynamic_left]
    return FixResult(request.snapshot, output, "\n".join(notes), "", request.tool_name)


# --- the goal ---


class MatrizMigrateGoal(Goal):
    subsystem_cls = MatrizMigrateSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


def _error(console: Console, message: str) -> MatrizMigrateGoal:
    console.print_stderr(f"{console.red('error:')} {message}")
    return MatrizMigrateGoal(exit_code=1)


@goal_rule
async def matriz_migrate(
    targets: Targets,
    subsystem: MatrizMigrateSubsystem,
    lane_model: LaneModel,
    console: Console,
    workspace: Workspace,
    dist_dir: DistDir,
    build_root: BuildRoot,
    union_membership: UnionMembership,
    analyzer: AnalyzerTool,
    _: AnalyzerPex,  # asked for here so that building it overlaps reading the targets
) -> MatrizMigrateGoal:
    root = Path(build_root.path)
    if subsystem.recover:
        return MatrizMigrateGoal(exit_code=recover_interrupted(console, root, root / JOURNAL))
    if subsystem.apply and (root / JOURNAL).exists():
        return _error(
            console,
            f"nothing written: an interrupted `--apply` left {JOURNAL}. Run `pants {SCOPE} "
            "--recover` first: it gives the files it was rewriting their old bytes back.",
        )
    config = lane_model.config
    if config is None:
        return _error(console, lane_model.error or "`[lanes]` is not valid")
    try:
        options = rename_options(subsystem)
        batch_size = analyzer.checked_batch_size()
        allowed = _allowed_paths(subsystem.allowed_paths)
        if subsystem.max_lines < 1:
            raise ValueError(
                f"`[{SCOPE}].max_lines` is {subsystem.max_lines}; set it to 1 or more (the "
                "guide's pull requests stay under 200 changed lines)."
            )
    except ValueError as e:
        return _error(console, str(e))

    migration = await rewrite_imports(targets, options, batch_size)
    outputs, formatted_with = await narrow_outputs(
        migration, targets, union_membership, subsystem.fmt
    )
    migration = dataclasses.replace(migration, outputs=outputs)
    groups = migration.groups(subsystem.group_by.value, config, subsystem.max_lines)
    selected = groups.get(subsystem.group, []) if subsystem.group else migration.results
    if subsystem.group and subsystem.group not in groups:
        names = ", ".join(f"`{name}`" for name in list(groups)[:10]) or "none"
        return _error(
            console,
            f"`[{SCOPE}].group`: no group {subsystem.group!r} with `--group-by="
            f"{subsystem.group_by.value}` (groups: {names}); see "
            f"{dist_dir.relpath / 'matriz-migrate' / 'migration-summary.md'} of a dry run.",
        )
    console.print_stdout(console_table(migration, groups))

    new: dict[str, bytes] = {}
    if subsystem.apply:
        new = {r.path: outputs[r.path].content for r in selected if r.path in outputs}
    applying = bool(new)
    if applying:
        refusal = await rewrite_refusal(
            [(r.path, r.error or "") for r in selected if r.path in migration.blocking],
            list(new),
            build_root,
        )
        if refusal:
            return _error(console, refusal)

    # What is left once the rewrite is written: every file it does not write.
    remaining = (
        dataclasses.replace(
            migration, results=tuple(r for r in migration.results if r.path not in new)
        )
        if applying
        else migration
    )
    comparison: Optional[Comparison] = None
    baseline = await read_build_root_file(subsystem.baseline)
    if baseline is not None and not subsystem.update_baseline:
        try:
            comparison = compare_to_baseline(remaining, config, baseline, subsystem.baseline)
        except ValueError as e:
            return _error(console, str(e))

    out = dist_dir.relpath / "matriz-migrate"
    reports: dict[Path, str] = {}
    for group, results in groups.items():
        stem = group_file_stem(group)
        document = group_json(migration, group, results)
        reports[out / f"dryrun_{stem}.json"] = json.dumps(document, indent=2)
        reports[out / f"dryrun_{stem}.html"] = group_html(migration, group, results)
    reports[out / "migration-summary.md"] = summary_markdown(
        migration,
        dict(subsystem.renames),
        groups,
        applying,
        formatted_with,
        comparison.lines() if comparison is not None else [],
        _apply_one_group(subsystem),
    )
    left = from_migration(remaining, config)
    reports.update(machine_output(out, SCOPE, left, {"files_scanned": migration.scanned}))
    if subsystem.update_baseline:
        reports[Path(subsystem.baseline)] = baseline_json(legacy_counts(remaining, config))
    reports_digest = await Get(
        Digest, CreateDigest(FileContent(str(p), text.encode()) for p, text in reports.items())
    )

    # Side effects come last, after the final `await`: the engine re-runs a rule that is still
    # running when files it read change, and that re-run would see the tree already rewritten.
    if applying:
        try:
            write_all_or_nothing(
                root,
                {path: (migration.originals[path], content) for path, content in new.items()},
                root / JOURNAL,
                SCOPE,
            )
        except TransactionError as e:
            return _error(console, f"nothing written: {e}")
        of_group = f" (group {subsystem.group})" if subsystem.group else ""
        console.print_stdout(f"Rewrote {pluralize(len(new), 'file')}{of_group}.")
    workspace.write_digest(reports_digest)
    console.print_stdout(f"Summary: {out / 'migration-summary.md'}")
    production = config.production if config is not None else ()
    print_annotations(console, subsystem.annotations, left, production, sarif_path(out, SCOPE))

    failed = comparison is not None and comparison.failed
    for line in comparison.regressions if comparison is not None else ():
        console.print_stdout(f"regression: {line}")
    findings = check_findings(remaining, config, allowed) if subsystem.check and config else []
    for finding in findings:
        console.print_stdout(finding)
    if findings:
        console.print_stdout(
            f"{pluralize(len(findings), 'legacy import')} left in production lanes: run "
            f"`pants {SCOPE} --apply` on them, or list shims in `[{SCOPE}].allowed_paths`."
        )
        failed = True
    if not subsystem.apply and migration.changed and not subsystem.check:
        console.print_stdout(f"Dry run: nothing written. Rerun with `--{SCOPE}-apply` to write.")
    return MatrizMigrateGoal(exit_code=1 if failed else 0)


def _apply_one_group(subsystem: MatrizMigrateSubsystem) -> str:
    """The command that applies one `pull-request` group, for the summary ("" otherwise)."""
    if subsystem.group_by != GroupBy.pull_request:
        return ""
    default = subsystem.max_lines == DEFAULT_MAX_LINES
    max_lines = "" if default else f" --max-lines={subsystem.max_lines}"
    return f"pants {SCOPE} --apply --group-by=pull-request{max_lines} --group=<group> <specs>"


def _allowed_paths(patterns: Iterable[str]) -> list[PathGlob]:
    try:
        return [PathGlob.parse(p) for p in patterns]
    except ValueError as e:
        raise ValueError(f"`[{SCOPE}].allowed_paths`: {e}") from e


def rewrite_rules():
    """The rules of the rewrite itself, without the goal and the fixer (`promote --apply`'s)."""
    # collect_rules() also yields the rules of the subsystems imported here (UnionRules).
    return [
        rule
        for rule in collect_rules()
        if getattr(rule, "output_type", None) is not MatrizMigrateGoal
    ]


def rules():
    return [*collect_rules(), *lane_model_rules.rules(), *MatrizMigrateFixRequest.rules()]
