from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime
from typing import Any, Optional

import pytest

from lanekeeper.promote.apply import (
    TreeState,
    apply_refusals,
    audit_line,
    branch_name,
    find_promotion,
    parse_audit_log,
    promotion_record,
    revalidation_command,
    revalidation_failures,
    rewrite_refusal,
    rollback_paths,
    rollback_record,
    rollback_refusals,
    target_refusal,
    tree_refusal,
)
from lanekeeper.promote.gate import GateResult, Status
from lanekeeper.promote.relocation import Relocation
from lanekeeper.promote.report import PromotionReport
from lanekeeper.promote.signoff import SignOff

LOG = "promotion-audit.log"
WHEN = datetime(2026, 11, 22, 9, 30, 5)
RELOCATION = Relocation(
    source_dir="demo/candidate/memory_index",
    target_dir="demo/core/memory_index",
    old_module="candidate.memory_index",
    new_module="core.memory_index",
    moves=(
        ("demo/candidate/memory_index/BUILD", "demo/core/memory_index/BUILD"),
        ("demo/candidate/memory_index/index.py", "demo/core/memory_index/index.py"),
    ),
)
SIGNED = SignOff("@ana", ("@ben", "@cy (security)"), "command line")


def report(*gates: GateResult) -> PromotionReport:
    return PromotionReport("demo/candidate/memory_index", "candidate", "core", gates)


def human(gate: str) -> GateResult:
    return GateResult(gate, Status.NEEDS_HUMAN, "sign-offs pending")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "report": report(
            GateResult("lint", Status.PASS, "ruff: no findings"),
            GateResult("benchmarks", Status.SKIP, "no benchmarks"),
            human("sign-off"),
        ),
        "relocation": RELOCATION,
        "signoff": SIGNED,
        "evidence": b'{"gates": []}',
        "start_commit": "0123abcd",
        "changed": {"demo/products/app/main.py": b"from core.memory_index import index\n"},
        "created": {
            "demo/core/memory_index/index.py": b"VALUE = 1\n",
            "demo/core/memory_index/BUILD": b"python_sources()\n",
        },
        "removed": ["demo/candidate/memory_index/index.py", "demo/candidate/memory_index/BUILD"],
        "when": WHEN,
    }
    arguments.update(overrides)
    return promotion_record(**arguments)


def listed(promotion_id: str, module: str) -> dict[str, Any]:
    """A hand-written promotion line, for ids chosen by the test."""
    return {
        "version": 1,
        "action": "promote",
        "id": promotion_id,
        "module": f"candidate.{module}",
        "new_module": f"core.{module}",
    }


# ---------------------------------------------------------------------------------------------
# apply_refusals
# ---------------------------------------------------------------------------------------------


def test_pass_and_skip_gates_give_no_refusal() -> None:
    passing = report(
        GateResult("lint", Status.PASS, "ruff: no findings"),
        GateResult("benchmarks", Status.SKIP, "no benchmarks configured"),
    )
    assert apply_refusals(passing, SignOff(None, (), "PROMOTE.md")) == []


def test_a_failed_gate_is_listed_with_its_summary() -> None:
    failing = report(
        GateResult("lint", Status.PASS, "ruff: no findings"),
        GateResult("tests", Status.FAIL, "2 of 14 tests failed"),
        GateResult("coverage", Status.FAIL, "1 file below 80%"),
    )
    assert apply_refusals(failing, SIGNED) == [
        "gate tests FAILED: 2 of 14 tests failed",
        "gate coverage FAILED: 1 file below 80%",
    ]


def test_a_signoff_nobody_recorded_is_refused_with_what_it_lacks() -> None:
    refusals = apply_refusals(report(human("sign-off")), SignOff(None, ("@ben",), "PROMOTE.md"))
    assert refusals == [
        "gate sign-off is not recorded: no owner named; 1 reviewer named, 2 needed; "
        "no security reviewer named. Name them with --promote-owner and --promote-reviewers, "
        "or in PROMOTE.md's `Owner:` and `Reviewers:` lines."
    ]


@pytest.mark.parametrize(
    "signoff, problem",
    [
        (SignOff(None, ("@ben", "@cy (security)"), "command line"), "no owner named"),
        (SignOff("@ana", ("@cy (security)",), "command line"), "1 reviewer named, 2 needed"),
        (SignOff("@ana", ("@ben", "@dan"), "PROMOTE.md"), "no security reviewer named"),
    ],
)
def test_a_signoff_missing_one_person_is_refused(signoff: SignOff, problem: str) -> None:
    [refusal] = apply_refusals(report(human("sign-off")), signoff)
    assert refusal.startswith(f"gate sign-off is not recorded: {problem}. Name them with ")


def test_a_recorded_signoff_is_accepted() -> None:
    assert apply_refusals(report(human("sign-off")), SIGNED) == []


def test_the_ethics_gate_needs_an_ethics_reviewer() -> None:
    sensitive = report(human("ethics"))
    assert apply_refusals(sensitive, SIGNED) == [
        "gate ethics is not recorded: the module is sensitive, so one reviewer must be its "
        "ethics reviewer, e.g. --promote-reviewers=\"['@dan (ethics)', ...]\"."
    ]
    with_ethics = SignOff("@ana", ("@cy (security)", "@dan (Ethics)"), "command line")
    assert apply_refusals(sensitive, with_ethics) == []


def test_a_human_gate_with_no_way_to_record_it_is_refused() -> None:
    assert apply_refusals(report(human("benchmarks")), SIGNED) == [
        "gate benchmarks needs a human and has no way to record one."
    ]


def test_failures_come_before_unrecorded_human_gates() -> None:
    mixed = report(human("ethics"), GateResult("mypy", Status.FAIL, "3 type errors"))
    refusals = apply_refusals(mixed, SIGNED)
    assert len(refusals) == 2
    assert refusals[0] == "gate mypy FAILED: 3 type errors"
    assert refusals[1].startswith("gate ethics is not recorded: ")


# ---------------------------------------------------------------------------------------------
# branch_name
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lane_dir", ["demo/candidate", "demo/candidate/"])
def test_the_branch_is_named_after_the_module_below_its_lane(lane_dir: str) -> None:
    assert branch_name(RELOCATION, lane_dir, date(2026, 11, 2)) == "promote/memory_index-20261102"


def test_a_nested_module_keeps_its_path_in_the_branch_name() -> None:
    nested = Relocation(
        "demo/candidate/tools/memory_index",
        "demo/core/tools/memory_index",
        "candidate.tools.memory_index",
        "core.tools.memory_index",
        (),
    )
    assert (
        branch_name(nested, "demo/candidate", date(2026, 1, 5))
        == "promote/tools/memory_index-20260105"
    )


# ---------------------------------------------------------------------------------------------
# promotion_record, audit_line, parse_audit_log
# ---------------------------------------------------------------------------------------------


def test_the_record_names_the_move_the_people_and_the_gates() -> None:
    promotion = record()
    assert {k: v for k, v in promotion.items() if k not in ("changed", "created", "id")} == {
        "version": 1,
        "action": "promote",
        "time": "2026-11-22T09:30:05",
        "module": "candidate.memory_index",
        "new_module": "core.memory_index",
        "from": "candidate",
        "to": "core",
        "from_dir": "demo/candidate/memory_index",
        "to_dir": "demo/core/memory_index",
        "start_commit": "0123abcd",
        "owner": "@ana",
        "reviewers": ["@ben", "@cy (security)"],
        "gates": {"lint": "PASS", "benchmarks": "SKIP", "sign-off": "NEEDS-HUMAN"},
        "evidence_sha256": digest(b'{"gates": []}'),
        "removed": ["demo/candidate/memory_index/BUILD", "demo/candidate/memory_index/index.py"],
    }


def test_the_record_holds_the_digest_of_every_file_it_left() -> None:
    promotion = record()
    assert promotion["changed"] == {
        "demo/products/app/main.py": digest(b"from core.memory_index import index\n")
    }
    assert promotion["created"] == {
        "demo/core/memory_index/BUILD": digest(b"python_sources()\n"),
        "demo/core/memory_index/index.py": digest(b"VALUE = 1\n"),
    }
    assert list(promotion["created"]) == sorted(promotion["created"])


def test_the_record_id_is_stable_for_the_same_promotion() -> None:
    first = record()
    assert len(first["id"]) == 12
    int(first["id"], 16)  # hexadecimal
    assert record()["id"] == first["id"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"start_commit": "4567ef01"},
        {"evidence": b'{"gates": [1]}'},
        {"when": datetime(2026, 11, 22, 9, 30, 6)},
        {"signoff": SignOff("@eve", SIGNED.reviewers, "command line")},
        {"created": {"demo/core/memory_index/index.py": b"VALUE = 2\n"}},
        {"removed": ["demo/candidate/memory_index/index.py"]},
    ],
)
def test_the_record_id_changes_when_the_promotion_does(overrides: dict[str, Any]) -> None:
    assert record(**overrides)["id"] != record()["id"]


def test_audit_lines_read_back_as_the_records_they_were() -> None:
    promotion = record(signoff=SignOff("@zoë", ("@ben", "@cy (security)"), "PROMOTE.md"))
    rollback = rollback_record(promotion, "89abcdef", datetime(2026, 11, 23, 10, 0, 0))
    line = audit_line(promotion)
    assert line.endswith("\n") and line.count("\n") == 1
    text = line + "\n" + audit_line(rollback)
    assert parse_audit_log(text, LOG) == [promotion, rollback]


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ('{"version": 1, "action": ', "promotion-audit.log:3: not a JSON audit record ("),
        ('{"version": 2, "action": "promote"}', "promotion-audit.log:3: not a version-1 "),
        ('["version", 1]', "promotion-audit.log:3: not a version-1 lanekeeper audit record."),
    ],
)
def test_a_broken_audit_line_is_named_by_path_and_line(bad_line: str, message: str) -> None:
    text = audit_line(record()) + "\n" + bad_line + "\n" + audit_line(record())
    with pytest.raises(ValueError) as error:
        parse_audit_log(text, LOG)
    assert str(error.value).startswith(message)


# ---------------------------------------------------------------------------------------------
# find_promotion
# ---------------------------------------------------------------------------------------------


def test_a_promotion_is_found_by_its_id_or_a_unique_prefix() -> None:
    first = record()
    second = record(start_commit="4567ef01", when=datetime(2026, 11, 24, 8, 0, 0))
    records = [first, second]
    assert find_promotion(records, second["id"], LOG) == second
    shared = 0
    while first["id"][shared] == second["id"][shared]:
        shared += 1
    assert find_promotion(records, first["id"][: shared + 1], LOG) == first


def test_an_unknown_id_lists_the_latest_five_promotions() -> None:
    records = [listed(f"{n:012x}", f"mod{n}") for n in range(1, 8)]
    with pytest.raises(ValueError) as error:
        find_promotion(records, "ffff", LOG)
    assert str(error.value) == (
        "no promotion 'ffff' in promotion-audit.log; the latest: "
        "000000000003 (candidate.mod3 -> core.mod3), 000000000004 (candidate.mod4 -> core.mod4), "
        "000000000005 (candidate.mod5 -> core.mod5), 000000000006 (candidate.mod6 -> core.mod6), "
        "000000000007 (candidate.mod7 -> core.mod7)."
    )


def test_a_log_without_promotions_says_so() -> None:
    with pytest.raises(ValueError) as error:
        find_promotion([], "abc", LOG)
    assert str(error.value) == "no promotion 'abc' in promotion-audit.log: it records no promotion."


def test_a_rollback_record_is_not_a_promotion() -> None:
    promotion = record()
    rollback = rollback_record(promotion, "89abcdef", datetime(2026, 11, 23, 10, 0, 0))
    with pytest.raises(ValueError) as error:
        find_promotion([promotion, rollback], rollback["id"], LOG)
    assert str(error.value).startswith(f"no promotion {rollback['id']!r} in promotion-audit.log")


def test_an_ambiguous_prefix_asks_for_more_of_the_id() -> None:
    records = [listed("a1b2c3000001", "one"), listed("a1b2c3ffffff", "two")]
    with pytest.raises(ValueError) as error:
        find_promotion(records, "a1b2c3", LOG)
    assert str(error.value) == (
        "'a1b2c3' names 2 promotions in promotion-audit.log: give more of it."
    )
    assert find_promotion(records, "a1b2c3f", LOG)["module"] == "candidate.two"


def test_a_promotion_already_rolled_back_is_refused() -> None:
    promotion = record()
    rollback = rollback_record(promotion, "89abcdef", datetime(2026, 11, 23, 10, 0, 0))
    assert rollback["rolls_back"] == promotion["id"]
    with pytest.raises(ValueError) as error:
        find_promotion([promotion, rollback], promotion["id"][:6], LOG)
    assert str(error.value) == (
        f"promotion {promotion['id']} was already rolled back on 2026-11-23T10:00:00 "
        f"(record {rollback['id']})."
    )


# ---------------------------------------------------------------------------------------------
# rollback_refusals, rollback_paths
# ---------------------------------------------------------------------------------------------


def as_left() -> dict[str, Optional[bytes]]:
    """The tree just after `record()`'s promotion."""
    return {
        "demo/products/app/main.py": b"from core.memory_index import index\n",
        "demo/core/memory_index/index.py": b"VALUE = 1\n",
        "demo/core/memory_index/BUILD": b"python_sources()\n",
        "demo/candidate/memory_index/index.py": None,
        "demo/candidate/memory_index/BUILD": None,
    }


def test_an_untouched_promotion_can_be_rolled_back() -> None:
    assert rollback_refusals(record(), as_left()) == []


def test_a_file_changed_after_the_promotion_is_refused() -> None:
    current = as_left()
    current["demo/core/memory_index/index.py"] = b"VALUE = 2\n"
    current["demo/products/app/main.py"] = b"import core.memory_index\n"
    assert sorted(rollback_refusals(record(), current)) == [
        "demo/core/memory_index/index.py changed after the promotion",
        "demo/products/app/main.py changed after the promotion",
    ]


def test_a_file_gone_after_the_promotion_is_refused() -> None:
    current = as_left()
    current["demo/core/memory_index/BUILD"] = None
    del current["demo/products/app/main.py"]
    assert sorted(rollback_refusals(record(), current)) == [
        "demo/core/memory_index/BUILD is gone",
        "demo/products/app/main.py is gone",
    ]


def test_a_removed_path_that_exists_again_is_refused() -> None:
    current = as_left()
    current["demo/candidate/memory_index/index.py"] = b"VALUE = 3\n"
    assert rollback_refusals(record(), current) == [
        "demo/candidate/memory_index/index.py exists again"
    ]


def test_rollback_restores_changed_and_removed_files_and_deletes_created_ones() -> None:
    assert rollback_paths(record()) == (
        [
            "demo/candidate/memory_index/BUILD",
            "demo/candidate/memory_index/index.py",
            "demo/products/app/main.py",
        ],
        ["demo/core/memory_index/BUILD", "demo/core/memory_index/index.py"],
    )


# ---------------------------------------------------------------------------------------------
# revalidation_failures
# ---------------------------------------------------------------------------------------------


def test_revalidation_failures_are_the_crossed_summary_lines() -> None:
    output = "\n".join(
        [
            "",
            "✓ black succeeded.",
            "✕ ruff failed.",
            "✓ mypy succeeded.",
            "✓ demo/core/memory_index/index_test.py:tests succeeded in 0.2s.",
            "  ✕ demo/x_test.py:tests failed in 0.5s.",
            "",
        ]
    )
    assert revalidation_failures(output) == ["ruff failed.", "demo/x_test.py:tests failed in 0.5s."]


def test_a_clean_revalidation_has_no_failures() -> None:
    output = "✓ black succeeded.\n✓ ruff succeeded.\n✓ demo/x_test.py:tests succeeded in 0.5s.\n"
    assert revalidation_failures(output) == []


# ---------------------------------------------------------------------------------------------
# tree_refusal, revalidation_command
# ---------------------------------------------------------------------------------------------

MODULE = "demo/candidate/memory_index"
ORCHESTRATOR = "demo/candidate/orchestrator"
READY_TREE = TreeState(False, True, (), True, "0123abcd")
JOURNAL = ".lanekeeper/promote.journal"


def refusal(state: TreeState, commit: bool = False) -> Optional[str]:
    return tree_refusal(state, journal=JOURNAL, audit_log=LOG, commit=commit)


def test_a_clean_committed_tree_is_ready() -> None:
    assert refusal(READY_TREE, commit=True) is None
    # The audit log is what the last promotion appended to: it may be uncommitted.
    assert refusal(dataclasses.replace(READY_TREE, uncommitted=(LOG,))) is None


@pytest.mark.parametrize(
    "state, commit, message",
    [
        (
            dataclasses.replace(READY_TREE, journal_left=True),
            False,
            f"not applied: an interrupted run left {JOURNAL}. Run `pants promote --recover` "
            "first: it puts back every file that run was changing.",
        ),
        (
            dataclasses.replace(READY_TREE, in_git=False),
            False,
            "not applied: the build root is not in a git repository. `--apply` stages the move "
            "with git so that it can be reviewed and rolled back; run `git init` and commit.",
        ),
        (
            dataclasses.replace(READY_TREE, uncommitted=("b.py", LOG, "a.py")),
            False,
            "not applied, nothing changed: the git tree has 2 uncommitted changes (a.py, b.py). "
            "Commit or stash them first, so that the promotion is one reviewable change.",
        ),
        (
            dataclasses.replace(READY_TREE, has_identity=False),
            True,
            "not applied: `--commit` needs a git identity to commit with; set it with "
            "`git config user.name ...` and `git config user.email ...`.",
        ),
        (
            dataclasses.replace(READY_TREE, head=None),
            False,
            "not applied: the git repository has no commit yet; commit it first.",
        ),
    ],
)
def test_a_tree_not_ready_is_refused_in_one_line(
    state: TreeState, commit: bool, message: str
) -> None:
    assert refusal(state, commit) == message


def test_without_commit_no_identity_is_needed() -> None:
    assert refusal(dataclasses.replace(READY_TREE, has_identity=False)) is None


def test_revalidation_runs_the_moved_module_the_importers_and_the_tests_that_depend() -> None:
    importers = [f"{ORCHESTRATOR}/planner.py"]
    tests = {
        f"{ORCHESTRATOR}/planner_test.py:tests": f"{ORCHESTRATOR}/planner_test.py",
        "demo/products/app/main_test.py:tests": "demo/products/app/main_test.py",
        # The module's own tests move with it; an importer is named already.
        f"{MODULE}/index_test.py:tests": f"{MODULE}/index_test.py",
        f"{ORCHESTRATOR}/planner.py": f"{ORCHESTRATOR}/planner.py",
    }
    command = revalidation_command(("./pants",), MODULE, RELOCATION, importers, tests)
    assert command == (
        "./pants",
        "--no-pantsd",
        "--no-dynamic-ui",
        "lint",
        "check",
        "test",
        "demo/core/memory_index::",
        f"{ORCHESTRATOR}/planner.py",
        f"{ORCHESTRATOR}/planner_test.py:tests",
        "demo/products/app/main_test.py:tests",
    )


def test_a_taken_target_or_unrewritable_importers_are_one_line_refusals() -> None:
    assert target_refusal("demo/core/x", []) is None
    assert target_refusal("demo/core/x", ["demo/core/x/a.py"]) == (
        "not applied: demo/core/x already exists (demo/core/x/a.py); move or merge it by hand "
        "first."
    )
    assert rewrite_refusal([]) is None
    assert rewrite_refusal([("a.py", "not UTF-8")]) == (
        "not applied: 1 importer cannot be rewritten (a.py: not UTF-8)."
    )
    errors = [(f"f{i}.py", "syntax error") for i in range(11)]
    assert rewrite_refusal(errors) == (
        "not applied: 11 importers cannot be rewritten ("
        + "; ".join(f"f{i}.py: syntax error" for i in range(10))
        + ")."
    )
