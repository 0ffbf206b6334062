"""`pants promote --apply`, `--rollback` and `--recover` inside the goal: the plan, from Pants.

`plan_apply` reads everything an apply needs through the engine (the module's files, the rewrite
of every file that uses it and its formatting, the BUILD files, the tests to re-run, all from
lanekeeper's import graph) before the first change; `run_apply`, `run_rollback` and
`run_recover` then only call `apply` (the side effects) and print what happened. They return
the goal's exit code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Union

from pants.backend.python.subsystems.pytest import PythonTestFieldSet
from pants.backend.python.target_types import PythonSourceField
from pants.base.build_root import BuildRoot
from pants.engine.addresses import Addresses
from pants.engine.console import Console
from pants.engine.fs import Digest, DigestContents, PathGlobs, Paths, Snapshot
from pants.engine.internals.build_files import BuildFileOptions
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.target import Target, Targets
from pants.engine.unions import UnionMembership
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize
from pants.vcs.git import GitWorktreeRequest, MaybeGitWorktree

from lanekeeper import promote as policy
from lanekeeper import promote_apply
from lanekeeper.imports import reachable
from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.migration import Migration, RewriteResult, dynamic_note
from lanekeeper.promote import PromotionReport
from lanekeeper.relocation import (
    Relocation,
    RelocationError,
    lane_directory,
    plan_relocation,
    rewrite_build_addresses,
)
from lanekeeper.signoff import SignOff
from lanekeeper_pants.lanes.edges import RepoImports, RepoImportsRequest
from lanekeeper_pants.matriz_migrate.rules import format_in_memory, rewrite_imports
from lanekeeper_pants.promote import apply
from lanekeeper_pants.promote.subsystem import PromoteSubsystem
from lanekeeper_pants.transaction import TransactionError

if TYPE_CHECKING:
    from lanekeeper_pants.promote.rules import PromoteRequest


def error(console: Console, message: str) -> int:
    console.print_stderr(f"{console.red('error:')} {message}")
    return 1


@dataclass(frozen=True)
class ImporterRewriteRequest:
    package_dir: str  # the top-level package the moved module is in (`demo/candidate`)
    options: str  # `rename_options` JSON: {"renames": ..., "rewrite_strings": ...}


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
    package_files = [f.path for f in repo.files if policy.in_module(request.package_dir, f.path)]
    importers = policy.module_importers(request.package_dir, repo.edges)
    targets = await Get(Targets, Addresses(repo.addresses_of([*package_files, *importers])))
    migration = await rewrite_imports(targets, request.options)
    originals = tuple(sorted(migration.originals.items()))
    return ImporterRewrite(migration.results, originals, targets)


@dataclass(frozen=True)
class ApplySetup:
    plan: apply.Plan
    relocation: Relocation
    start_commit: str
    notes: tuple[str, ...] = ()  # what the rewrite could not follow, for the reviewer


async def apply_preconditions(subsystem: PromoteSubsystem, build_root: BuildRoot) -> str:
    """The commit an apply starts from; raises ValueError if the tree is not ready for one."""
    root = Path(build_root.path)
    if (root / apply.JOURNAL).exists():
        raise ValueError(
            f"not applied: an interrupted run left {apply.JOURNAL}. Run `pants promote "
            "--recover` first: it puts back every file that run was changing."
        )
    maybe = await Get(MaybeGitWorktree, GitWorktreeRequest())
    if maybe.git_worktree is None:
        raise ValueError(
            "not applied: the build root is not in a git repository. `--apply` stages the move "
            "with git so that it can be reviewed and rolled back; run `git init` and commit."
        )
    dirty = maybe.git_worktree.changed_files(include_untracked=True, relative_to=build_root.path)
    dirty = {path for path in dirty if path != subsystem.audit_log}
    if dirty:
        listed = ", ".join(sorted(dirty)[:10])
        raise ValueError(
            f"not applied, nothing changed: the git tree has "
            f"{pluralize(len(dirty), 'uncommitted change')} ({listed}). Commit or stash them "
            "first, so that the promotion is one reviewable change."
        )
    if subsystem.commit:
        try:
            apply.git(root, "var", "GIT_COMMITTER_IDENT")
        except apply.ApplyError:
            raise ValueError(
                "not applied: `--commit` needs a git identity to commit with; set it with "
                "`git config user.name ...` and `git config user.email ...`."
            )
    try:
        return apply.git(root, "rev-parse", "--verify", "HEAD").strip()
    except apply.ApplyError:
        raise ValueError("not applied: the git repository has no commit yet; commit it first.")


async def plan_apply(
    request: PromoteRequest,
    report: PromotionReport,
    signoff: SignOff,
    config: LaneConfig,
    source_root: str,
    subsystem: PromoteSubsystem,
    start_commit: str,
    build_files: BuildFileOptions,
    union_membership: UnionMembership,
) -> Union[ApplySetup, str]:
    """Everything `--apply` will write, read and computed before the first change; or why not."""
    refusals = promote_apply.apply_refusals(report, signoff)
    if refusals:
        return "not applied, nothing changed:\n  " + "\n  ".join(refusals)
    module_snapshot = await Get(Snapshot, PathGlobs([f"{request.module}/**"]))
    try:
        relocation = plan_relocation(
            config, request.module, source_root, request.target_lane, module_snapshot.files
        )
    except RelocationError as e:
        return f"not applied: {e}"
    existing = await Get(Paths, PathGlobs([f"{relocation.target_dir}/**"]))
    if existing.files:
        return (
            f"not applied: {relocation.target_dir} already exists ({existing.files[0]}); move or "
            "merge it by hand first."
        )

    options = json.dumps({"renames": relocation.renames, "rewrite_strings": True}, sort_keys=True)
    rewrite = await Get(ImporterRewrite, ImporterRewriteRequest(relocation.package_dir, options))
    migration = Migration(len(rewrite.results), rewrite.results, dict(rewrite.originals))
    if migration.errors:
        listed = "; ".join(f"{r.path}: {r.error}" for r in migration.errors[:10])
        count = pluralize(len(migration.errors), "importer")
        return f"not applied: {count} cannot be rewritten ({listed})."
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
    tests = sorted(
        t.address.spec
        for t in dependent_targets
        if PythonTestFieldSet.is_applicable(t)
        and not _in(request.module, t)
        and t[PythonSourceField].file_path not in importers
    )
    specs = list(dict.fromkeys([f"{relocation.target_dir}::", *importers, *tests]))
    command = (*subsystem.pants_command, "--no-pantsd", "--no-dynamic-ui", "lint", "check", "test")
    plan = apply.Plan(
        moves=relocation.moves,
        contents=contents,
        originals=originals,
        revalidate=(*command, *specs),
        audit_log=subsystem.audit_log,
    )
    notes = tuple(dynamic_note(r.path, d) for r in migration.results for d in r.dynamic_left)
    return ApplySetup(plan, relocation, start_commit, notes)


def _in(module: str, target: Target) -> bool:
    return policy.in_module(module, target.address.spec_path)


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
        return promote_apply.promotion_record(
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
        branch = promote_apply.branch_name(relocation, lane_dir, datetime.now().date())
    message = None
    if subsystem.commit:
        subject = f"Promote {relocation.old_module} to {relocation.new_module}"
        message = f"{subject}\n\n{policy.pr_body(report)}\nAudit-Id: {audit_id}\n"
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
        records = promote_apply.parse_audit_log(log.read_text(), audit_log)
        promotion = promote_apply.find_promotion(records, subsystem.rollback or "", audit_log)
        record = apply.rollback_promotion(
            root,
            promotion,
            audit_log,
            lambda head: promote_apply.rollback_record(promotion, head, now),
        )
    except TransactionError as e:
        return error(console, f"not rolled back: {e} (`pants promote --recover`)")
    except (ValueError, apply.ApplyError) as e:
        return error(console, f"not rolled back: {e}")
    restored, removed = promote_apply.rollback_paths(promotion)
    console.print_stdout(
        f"Rolled back promotion {promotion['id']} ({promotion['module']} -> "
        f"{promotion['new_module']}): {pluralize(len(restored), 'file')} restored from "
        f"{promotion['start_commit'][:12]} and {pluralize(len(removed), 'file')} removed, in the "
        f"working tree and the git index. Logged in {audit_log} as {record['id']}."
    )
    return 0


def rules():
    return collect_rules()
