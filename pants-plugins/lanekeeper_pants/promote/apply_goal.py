"""`pants promote --apply`, `--rollback` and `--recover`: the plan, from Pants, then the change.

`apply_preconditions` asks whether the tree is ready; the `plan_apply` rule reads everything an
apply needs through the engine (the module's files, the rewrite of every file that uses it and
its formatting, the BUILD files, the tests to re-run, all from lanekeeper's import graph)
before the first change; `run_apply` and `run_rollback` then only call `apply` (the side
effects) and print what happened. They return the goal's exit code. Every decision is
`lanekeeper.promote.apply`'s.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePath
from typing import Any, Optional

from pants.backend.python.subsystems.pytest import PythonTestFieldSet
from pants.backend.python.target_types import PythonSourceField
from pants.base.build_root import BuildRoot
from pants.engine.addresses import Addresses
from pants.engine.console import Console
from pants.engine.fs import Digest, DigestContents, PathGlobs, Paths, Snapshot
from pants.engine.internals.build_files import BuildFileOptions
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.target import Targets
from pants.engine.unions import UnionMembership
from pants.option.global_options import GlobalOptions
from pants.util.frozendict import FrozenDict
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize
from pants.vcs.git import GitWorktreeRequest, MaybeGitWorktree

from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.lanes.imports import reachable
from lanekeeper.promote import apply as policy
from lanekeeper.promote.module import in_module, module_importers
from lanekeeper.promote.relocation import (
    Relocation,
    RelocationError,
    lane_directory,
    plan_relocation,
    rewrite_build_addresses,
)
from lanekeeper.promote.render import pr_body
from lanekeeper.promote.report import PromotionReport
from lanekeeper.promote.signoff import SignOff
from lanekeeper.rename.migration import Migration, RewriteResult, dynamic_note
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.lanes.edges import RepoImports, RepoImportsRequest
from lanekeeper_pants.matriz_migrate.rules import format_in_memory, rewrite_imports
from lanekeeper_pants.promote import apply
from lanekeeper_pants.promote.evaluate import PromotionEvaluation
from lanekeeper_pants.promote.subsystem import PromoteSubsystem
from lanekeeper_pants.transaction import TransactionError


def error(console: Console, message: str) -> int:
    console.print_stderr(f"{console.red('error:')} {message}")
    return 1


@dataclass(frozen=True)
class ImporterRewriteRequest:
    package_dir: str  # the top-level package the moved module is in (`demo/candidate`)
    options: str  # `rename_options` JSON: {"renames": ..., "rewrite_strings": ...}
    batch_size: int  # `[lanekeeper-analyzer].batch_size`, checked


@dataclass(frozen=True)
class ImporterRewrite:
    results: tuple[RewriteResult, ...]  # the files that may mention the moved module
    originals: tuple[tuple[str, bytes], ...]  # the changed files' bytes before the rewrite
    targets: Targets  # every target offered to the rewrite


@rule(desc="Rewrite every use of a promoted module", level=LogLevel.DEBUG)
async def rewrite_importers(request: ImporterRewriteRequest) -> ImporterRewrite:
    """The rewrite of every file of the moved module's top-level package and of every file
    whose imports reach into that package, in lanekeeper's import graph (Pants' `Dependents`
    would stop on the first file of the repo that is not UTF-8).

    The module's own importers are not enough: `import candidate` (or `import
    candidate.store`), then `candidate.memory_index.f()`, imports `candidate` (or
    `candidate.store`) only. Every file that can reach the module imports something of its
    package; the rewrite's byte pre-filter parses only those that mention it.
    """
    repo = await Get(RepoImports, RepoImportsRequest())
    package_files = [f.path for f in repo.files if in_module(request.package_dir, f.path)]
    importers = module_importers(request.package_dir, repo.edges)
    targets = await Get(Targets, Addresses(repo.addresses_of([*package_files, *importers])))
    migration = await rewrite_imports(targets, request.options, request.batch_size)
    originals = tuple(sorted(migration.originals.items()))
    return ImporterRewrite(migration.results, originals, targets)


@dataclass(frozen=True)
class ApplySetup:
    plan: apply.Plan
    relocation: Relocation
    start_commit: str
    notes: tuple[str, ...] = ()  # what the rewrite could not follow, for the reviewer


def _git_output(root: Path, *args: str) -> Optional[str]:
    try:
        return apply.git(root, *args).strip()
    except apply.ApplyError:
        return None


async def apply_preconditions(subsystem: PromoteSubsystem, build_root: BuildRoot) -> str:
    """The commit an apply starts from; raises ValueError if the tree is not ready for one."""
    root = Path(build_root.path)
    maybe = await Get(MaybeGitWorktree, GitWorktreeRequest())
    worktree = maybe.git_worktree
    in_git = worktree is not None
    state = policy.TreeState(
        journal_left=(root / apply.JOURNAL).exists(),
        in_git=in_git,
        uncommitted=tuple(
            sorted(worktree.changed_files(include_untracked=True, relative_to=build_root.path))
            if worktree is not None
            else ()
        ),
        has_identity=not subsystem.commit
        or (in_git and _git_output(root, "var", "GIT_COMMITTER_IDENT") is not None),
        head=_git_output(root, "rev-parse", "--verify", "HEAD") if in_git else None,
    )
    refusal = policy.tree_refusal(
        state, journal=apply.JOURNAL, audit_log=subsystem.audit_log, commit=subsystem.commit
    )
    if refusal is not None:
        raise ValueError(refusal)
    assert state.head is not None
    return state.head


@dataclass(frozen=True)
class ApplyPlanRequest:
    evaluation: PromotionEvaluation
    start_commit: str
    batch_size: int  # `[lanekeeper-analyzer].batch_size`, checked by the goal


@dataclass(frozen=True)
class ApplyPlan:
    """What `--apply` will do (`setup`), or why it will not (`refusal`)."""

    setup: Optional[ApplySetup] = None
    refusal: Optional[str] = None


@rule(desc="Plan applying a promotion", level=LogLevel.DEBUG)
async def plan_apply(
    request: ApplyPlanRequest,
    lane_model: LaneModel,
    subsystem: PromoteSubsystem,
    build_files: BuildFileOptions,
    union_membership: UnionMembership,
    global_options: GlobalOptions,
) -> ApplyPlan:
    """Everything `--apply` will write, read and computed before the first change; or why not."""
    config = lane_model.config
    assert config is not None  # the goal checked it
    report, signoff = request.evaluation.report, request.evaluation.signoff
    module = report.module
    refusals = policy.apply_refusals(report, signoff)
    if refusals:
        return ApplyPlan(refusal="not applied, nothing changed:\n  " + "\n  ".join(refusals))
    module_snapshot = await Get(Snapshot, PathGlobs([f"{module}/**"]))
    try:
        relocation = plan_relocation(
            config, module, request.evaluation.source_root, report.target, module_snapshot.files
        )
    except RelocationError as e:
        return ApplyPlan(refusal=f"not applied: {e}")
    existing = await Get(Paths, PathGlobs([f"{relocation.target_dir}/**"]))
    exists = policy.target_refusal(relocation.target_dir, existing.files)
    if exists is not None:
        return ApplyPlan(refusal=exists)

    options = json.dumps({"renames": relocation.renames, "rewrite_strings": True}, sort_keys=True)
    rewrite = await Get(
        ImporterRewrite, ImporterRewriteRequest(relocation.package_dir, options, request.batch_size)
    )
    migration = Migration(len(rewrite.results), rewrite.results, dict(rewrite.originals))
    unrewritable = policy.rewrite_refusal([(r.path, r.error or "") for r in migration.errors])
    if unrewritable is not None:
        return ApplyPlan(refusal=unrewritable)
    rewritten = {r.path: r.new_source for r in migration.changed if r.new_source is not None}
    owners = [
        t
        for t in rewrite.targets
        if t.has_field(PythonSourceField) and t[PythonSourceField].file_path in rewritten
    ]
    if rewritten:
        rewritten, _ = await format_in_memory(rewritten, owners, union_membership)
    build_file_contents = await Get(
        DigestContents,
        PathGlobs(
            [f"**/{pattern}" for pattern in build_files.patterns]
            + [f"!{ignore}" for ignore in build_files.ignores]
        ),
    )
    module_contents = await Get(DigestContents, Digest, module_snapshot.digest)

    new_path = dict(relocation.moves)
    originals = {c.path: c.content for c in module_contents}
    contents: dict[str, bytes] = {}
    for path, data in rewritten.items():
        originals[path] = migration.originals[path]
        contents[new_path.get(path, path)] = data
    for build_file in build_file_contents:
        text = build_file.content.decode()
        moved = rewrite_build_addresses(text, relocation.source_dir, relocation.target_dir)
        if moved != text:
            originals[build_file.path] = build_file.content
            contents[new_path.get(build_file.path, build_file.path)] = moved.encode()

    # Re-validate the moved module, every rewritten file, and the tests that depend on either.
    importers = sorted(p for p in rewritten if p not in new_path)
    repo = await Get(RepoImports, RepoImportsRequest())
    module_files = [path for path in module_snapshot.files if path.endswith((".py", ".pyi"))]
    dependent_paths = reachable(repo.edges, [*module_files, *importers], reverse=True)
    dependent_targets = await Get(Targets, Addresses(repo.addresses_of(dependent_paths)))
    dependent_tests = {
        t.address.spec: t[PythonSourceField].file_path
        for t in dependent_targets
        if PythonTestFieldSet.is_applicable(t)
    }
    plan = apply.Plan(
        moves=relocation.moves,
        # Engine values: hashable.
        contents=FrozenDict(contents),
        originals=FrozenDict(originals),
        revalidate=policy.revalidation_command(
            subsystem.pants_command or [global_options.pants_bin_name],
            module,
            relocation,
            importers,
            dependent_tests,
        ),
        audit_log=subsystem.audit_log,
    )
    notes = tuple(dynamic_note(r.path, d) for r in migration.results for d in r.dynamic_left)
    return ApplyPlan(ApplySetup(plan, relocation, request.start_commit, notes))


def run_apply(
    console: Console,
    setup: ApplySetup,
    report: PromotionReport,
    signoff: SignOff,
    evidence: bytes,
    config: LaneConfig,
    subsystem: PromoteSubsystem,
    root: Path,
    out: PurePath,
) -> int:
    """Apply the planned promotion (side effects only: every `await` is done)."""
    relocation = setup.relocation
    moved_files = len(relocation.moves)
    rewritten = len([p for p in setup.plan.contents if p not in dict(relocation.moves).values()])
    console.print_stderr(
        f"Applying: moving {pluralize(moved_files, 'file')} {relocation.source_dir} -> "
        f"{relocation.target_dir}, rewriting {pluralize(rewritten, 'other file')} "
        f"({relocation.old_module} -> {relocation.new_module})."
    )
    for note in setup.notes:  # the re-validation catches them only where a test runs them
        console.print_stderr(f"note: {note}")

    def record(
        changed: dict[str, bytes], created: dict[str, bytes], removed: list[str]
    ) -> dict[str, Any]:
        return policy.promotion_record(
            report=report,
            relocation=relocation,
            signoff=signoff,
            evidence=evidence,
            start_commit=setup.start_commit,
            changed=changed,
            created=created,
            removed=removed,
            when=datetime.now(timezone.utc),
        )

    log_path = root / out / "revalidation.log"
    try:
        applied = apply.apply_promotion(
            root, setup.plan, record, log_path, lambda line: console.print_stderr(line)
        )
    except TransactionError as e:
        return error(console, f"not applied: {e} (`pants promote --recover`)")
    except apply.ApplyError as e:
        return error(console, f"not applied: {e}")
    if applied.record is None:
        failed = applied.revalidation.failures or [
            f"`{' '.join(applied.revalidation.command)}` exited with "
            f"{applied.revalidation.exit_code}"
        ]
        return error(
            console,
            "re-validation failed, so the promotion was rolled back and the tree is as it was: "
            f"{'; '.join(failed)}. Full output: {out / 'revalidation.log'}",
        )
    audit_id = applied.record["id"]
    console.print_stdout(
        f"Promoted {relocation.old_module} -> {relocation.new_module}: re-validated, staged "
        f"(`git status`), logged in {subsystem.audit_log} as {audit_id}. "
        f"Undo with `pants promote --rollback={audit_id}`."
    )
    branch = None
    if subsystem.branch:
        lane_dir = lane_directory(config, report.source)
        branch = policy.branch_name(relocation, lane_dir, datetime.now().date())
    message = None
    if subsystem.commit:
        subject = f"Promote {relocation.old_module} to {relocation.new_module}"
        message = f"{subject}\n\n{pr_body(report)}\nAudit-Id: {audit_id}\n"
    try:
        for done in apply.branch_and_commit(root, branch, message, subsystem.audit_log):
            console.print_stdout(done[0].upper() + done[1:] + ".")
    except apply.ApplyError as e:
        return error(console, f"the promotion is applied and logged, but: {e}")
    return 0


def run_rollback(console: Console, root: Path, subsystem: PromoteSubsystem) -> int:
    audit_log = subsystem.audit_log
    log = root / audit_log
    if not log.is_file():
        return error(console, f"there is no {audit_log}: nothing was promoted here to roll back.")
    now = datetime.now(timezone.utc)
    try:
        records = policy.parse_audit_log(log.read_text(), audit_log)
        promotion = policy.find_promotion(records, subsystem.rollback or "", audit_log)
        record = apply.rollback_promotion(
            root,
            promotion,
            audit_log,
            lambda head: policy.rollback_record(promotion, head, now),
        )
    except TransactionError as e:
        return error(console, f"not rolled back: {e} (`pants promote --recover`)")
    except (ValueError, apply.ApplyError) as e:
        return error(console, f"not rolled back: {e}")
    restored, removed = policy.rollback_paths(promotion)
    console.print_stdout(
        f"Rolled back promotion {promotion['id']} ({promotion['module']} -> "
        f"{promotion['new_module']}): {pluralize(len(restored), 'file')} restored from "
        f"{promotion['start_commit'][:12]} and {pluralize(len(removed), 'file')} removed, in the "
        f"working tree and the git index. Logged in {audit_log} as {record['id']}."
    )
    return 0


def rules():
    return [*collect_rules(), *lane_model_rules.rules()]
