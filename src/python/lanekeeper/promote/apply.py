"""The policy of `pants promote --apply`, `--rollback` and `--recover`, as plain data.

When the tree is ready for an apply (`tree_refusal`) and the promotion may be applied
(`apply_refusals`), what re-validates it (`revalidation_command`), what its audit record holds
(`promotion_record`, one JSON line of `promotion-audit.log`), when a promotion can be rolled
back exactly (`rollback_refusals`) and how a failed re-validation is reported
(`revalidation_failures`). The plugin moves the files, runs git and Pants, and asks here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping, Optional, Sequence

from lanekeeper.kernel.report_text import counted
from lanekeeper.promote.gate import Status
from lanekeeper.promote.module import in_module
from lanekeeper.promote.relocation import Relocation
from lanekeeper.promote.report import PromotionReport
from lanekeeper.promote.signoff import SignOff, signoff_problems

AUDIT_VERSION = 1
PROMOTE = "promote"
ROLLBACK = "rollback"


@dataclass(frozen=True)
class TreeState:
    """What `--apply` needs to know about the working tree before it changes anything."""

    journal_left: bool  # an interrupted run left its journal
    in_git: bool
    uncommitted: tuple[str, ...]  # files with uncommitted changes (untracked ones too)
    has_identity: bool  # git can commit (user.name and user.email)
    head: Optional[str]  # the commit the tree is at; None before the first commit


def tree_refusal(state: TreeState, *, journal: str, audit_log: str, commit: bool) -> Optional[str]:
    """Why the tree is not ready for `--apply` (one line with the fix), or None."""
    if state.journal_left:
        return (
            f"not applied: an interrupted run left {journal}. Run `pants promote "
            "--recover` first: it puts back every file that run was changing."
        )
    if not state.in_git:
        return (
            "not applied: the build root is not in a git repository. `--apply` stages the move "
            "with git so that it can be reviewed and rolled back; run `git init` and commit."
        )
    # The audit log is the one file a promotion may find changed: the last one appended to it.
    dirty = sorted(path for path in state.uncommitted if path != audit_log)
    if dirty:
        count = counted(len(dirty), "uncommitted change")
        return (
            f"not applied, nothing changed: the git tree has {count} ({', '.join(dirty[:10])}). "
            "Commit or stash them first, so that the promotion is one reviewable change."
        )
    if commit and not state.has_identity:
        return (
            "not applied: `--commit` needs a git identity to commit with; set it with "
            "`git config user.name ...` and `git config user.email ...`."
        )
    if state.head is None:
        return "not applied: the git repository has no commit yet; commit it first."
    return None


def revalidation_command(
    pants_command: Sequence[str],
    module: str,
    relocation: Relocation,
    importers: Sequence[str],
    dependent_tests: Mapping[str, str],
) -> tuple[str, ...]:
    """`lint check test` of the moved module, every rewritten importer, and the tests that
    depend on either (`dependent_tests`: address -> file), without pantsd, as a second Pants.

    The module's own tests move with it and its importers are named already, so neither is
    repeated."""
    tests = sorted(
        address
        for address, path in dependent_tests.items()
        if not in_module(module, path) and path not in importers
    )
    specs = list(dict.fromkeys([f"{relocation.target_dir}::", *importers, *tests]))
    return (
        *pants_command,
        "--no-pantsd",
        "--no-dynamic-ui",
        "lint",
        "check",
        "test",
        *specs,
    )


def apply_refusals(report: PromotionReport, signoff: SignOff) -> list[str]:
    """Why the promotion must not be applied: a FAILed gate, or a human gate nobody recorded."""
    reasons = [
        f"gate {g.gate} FAILED: {g.summary}" for g in report.gates if g.status is Status.FAIL
    ]
    for gate in report.gates:
        if gate.status is not Status.NEEDS_HUMAN:
            continue
        if gate.gate == "sign-off":
            problems = signoff_problems(signoff)
            if problems:
                reasons.append(
                    f"gate sign-off is not recorded: {'; '.join(problems)}. Name them with "
                    "--promote-owner and --promote-reviewers, or in PROMOTE.md's `Owner:` and "
                    "`Reviewers:` lines."
                )
        elif gate.gate == "ethics":
            if not any("ethics" in r.lower() for r in signoff.reviewers):
                reasons.append(
                    "gate ethics is not recorded: the module is sensitive, so one reviewer must "
                    "be its ethics reviewer, e.g. --promote-reviewers=\"['@dan (ethics)', ...]\"."
                )
        else:
            reasons.append(f"gate {gate.gate} needs a human and has no way to record one.")
    return reasons


def target_refusal(target_dir: str, existing: Sequence[str]) -> Optional[str]:
    """Why the module cannot move into `target_dir`, which already holds `existing` files."""
    if not existing:
        return None
    return (
        f"not applied: {target_dir} already exists ({existing[0]}); move or merge it by hand first."
    )


def rewrite_refusal(errors: Sequence[tuple[str, str]]) -> Optional[str]:
    """Why the importers cannot be rewritten: each (path, error), the first ten named."""
    if not errors:
        return None
    listed = "; ".join(f"{path}: {error}" for path, error in errors[:10])
    count = counted(len(errors), "importer")
    return f"not applied: {count} cannot be rewritten ({listed})."


def branch_name(relocation: Relocation, lane_dir: str, day: date) -> str:
    """`promote/<module path below its lane>-YYYYMMDD`, e.g. `promote/memory_index-20261122`."""
    below = relocation.source_dir[len(lane_dir) :].strip("/") or relocation.source_dir
    return f"promote/{below}-{day:%Y%m%d}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def promotion_record(
    *,
    report: PromotionReport,
    relocation: Relocation,
    signoff: SignOff,
    evidence: bytes,
    start_commit: str,
    changed: Mapping[str, bytes],
    created: Mapping[str, bytes],
    removed: Sequence[str],
    when: datetime,
) -> dict[str, Any]:
    """The audit record of an applied promotion, with the digest of every file it left.

    `changed` and `created` map paths to their bytes after the promotion; `removed` lists the
    paths it moved away. A rollback checks those digests before it restores anything.
    """
    record: dict[str, Any] = {
        "version": AUDIT_VERSION,
        "action": PROMOTE,
        "time": when.isoformat(timespec="seconds"),
        "module": relocation.old_module,
        "new_module": relocation.new_module,
        "from": report.source,
        "to": report.target,
        "from_dir": relocation.source_dir,
        "to_dir": relocation.target_dir,
        "start_commit": start_commit,
        "owner": signoff.owner,
        "reviewers": list(signoff.reviewers),
        "gates": {g.gate: g.status.value for g in report.gates},
        "evidence_sha256": sha256(evidence),
        "changed": {path: sha256(data) for path, data in sorted(changed.items())},
        "created": {path: sha256(data) for path, data in sorted(created.items())},
        "removed": sorted(removed),
    }
    record["id"] = _record_id(record)
    return record


def rollback_record(promotion: Mapping[str, Any], head: str, when: datetime) -> dict[str, Any]:
    record: dict[str, Any] = {
        "version": AUDIT_VERSION,
        "action": ROLLBACK,
        "time": when.isoformat(timespec="seconds"),
        "rolls_back": promotion["id"],
        "module": promotion["new_module"],
        "new_module": promotion["module"],
        "from": promotion["to"],
        "to": promotion["from"],
        "head": head,
        "restored_from": promotion["start_commit"],
    }
    record["id"] = _record_id(record)
    return record


def _record_id(record: Mapping[str, Any]) -> str:
    return sha256(json.dumps(record, sort_keys=True).encode())[:12]


def audit_line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, sort_keys=True) + "\n"


def parse_audit_log(text: str, path: str) -> list[dict[str, Any]]:
    """Every record of the log; ValueError naming the line that is not one."""
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{number}: not a JSON audit record ({e.msg}).") from e
        if not isinstance(record, dict) or record.get("version") != AUDIT_VERSION:
            raise ValueError(
                f"{path}:{number}: not a version-{AUDIT_VERSION} lanekeeper audit record."
            )
        records.append(record)
    return records


def find_promotion(
    records: Sequence[Mapping[str, Any]], audit_id: str, path: str
) -> dict[str, Any]:
    """The promotion `audit_id` names (a unique prefix will do) that is not yet rolled back."""
    promotions = [r for r in records if r.get("action") == PROMOTE]
    matches = (
        [r for r in promotions if str(r.get("id", "")).startswith(audit_id)] if audit_id else []
    )
    if not matches:
        known = ", ".join(
            f"{r['id']} ({r['module']} -> {r['new_module']})" for r in promotions[-5:]
        )
        raise ValueError(
            f"no promotion {audit_id!r} in {path}"
            + (f"; the latest: {known}." if known else ": it records no promotion.")
        )
    if len(matches) > 1:
        raise ValueError(
            f"{audit_id!r} names {len(matches)} promotions in {path}: give more of it."
        )
    promotion = dict(matches[0])
    undone = [r for r in records if r.get("rolls_back") == promotion["id"]]
    if undone:
        raise ValueError(
            f"promotion {promotion['id']} was already rolled back on {undone[-1]['time']} "
            f"(record {undone[-1]['id']})."
        )
    return promotion


def rollback_refusals(
    promotion: Mapping[str, Any], current: Mapping[str, Optional[bytes]]
) -> list[str]:
    """Files that no longer hold what the promotion left (None: the file is absent).

    Restoring them would lose the later change, so the rollback refuses and names them.
    """
    problems = []
    for path, digest in {**promotion["changed"], **promotion["created"]}.items():
        data = current.get(path)
        if data is None:
            problems.append(f"{path} is gone")
        elif sha256(data) != digest:
            problems.append(f"{path} changed after the promotion")
    for path in promotion["removed"]:
        if current.get(path) is not None:
            problems.append(f"{path} exists again")
    return problems


def rollback_paths(promotion: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(paths to restore from the start commit, paths the promotion created, to remove)."""
    restore = sorted([*promotion["changed"], *promotion["removed"]])
    return restore, sorted(promotion["created"])


def revalidation_failures(output: str) -> list[str]:
    """The failed checks of a `pants lint check test` run: its `✕` summary lines."""
    failures = []
    for line in output.splitlines():
        text = line.strip()
        if text.startswith("✕"):
            failures.append(text.lstrip("✕ ").strip())
    return failures
