"""`--owner`, `--reviewers` and `--rollback` as people type them, through Pants' own parser.

Each case is the command line after `pants`, parsed by Pants' arg splitter and option parser
as in a real run, then read by the goal's own code (`lanekeeper.promote.signoff.from_options`).
`./pants` turns the forms with a space (`--rollback 27c4d77`) into these (tests/bootstrap_test.py).
"""

from __future__ import annotations

from typing import Optional

import pytest
from pants.testutil.rule_runner import QueryRule, RuleRunner

from lanekeeper.promote.signoff import SignOff, SignOffError, from_options
from lanekeeper_pants.promote.subsystem import PromoteSubsystem


@pytest.fixture(scope="module")
def rule_runner() -> RuleRunner:
    return RuleRunner(rules=[*PromoteSubsystem.rules(), QueryRule(PromoteSubsystem, [])])


def parse(rule_runner: RuleRunner, command: str) -> PromoteSubsystem:
    rule_runner.set_options(command.split(" "))
    return rule_runner.request(PromoteSubsystem, [])


def signoff(rule_runner: RuleRunner, command: str) -> Optional[SignOff]:
    subsystem = parse(rule_runner, command)
    return from_options(subsystem.owner, subsystem.reviewers)


@pytest.mark.parametrize(
    "command",
    [
        "promote --owner=@alice demo::",
        "promote --owner=alice demo::",
        "promote --owner=@Alice demo::",
        "promote --owner=@@alice demo::",
        "promote --promote-owner=@alice demo::",
        "--promote-owner=@alice promote demo::",
    ],
)
def test_the_owner_as_typed(rule_runner: RuleRunner, command: str) -> None:
    assert signoff(rule_runner, command) == SignOff("@alice", (), "command line")


@pytest.mark.parametrize(
    "command",
    [
        "promote --reviewers=bob,carol demo::",
        "promote --reviewers=@bob,@carol demo::",
        "promote --reviewers=@bob, --reviewers=carol demo::",
        "promote --reviewers=@bob --reviewers=@carol demo::",
        "promote --reviewers=['@bob','@carol'] demo::",
        "promote --reviewers=bob,carol,@Bob demo::",
        "promote --promote-reviewers=bob,carol demo::",
    ],
)
def test_reviewers_as_typed(rule_runner: RuleRunner, command: str) -> None:
    assert signoff(rule_runner, command) == SignOff(None, ("@bob", "@carol"), "command line")


def test_a_role_after_a_handle(rule_runner: RuleRunner) -> None:
    # The shell passes `--reviewers=@bob,@carol (security)` (quoted) as one argument.
    rule_runner.set_options(["promote", "--reviewers=@bob,@carol (security)", "demo::"])
    subsystem = rule_runner.request(PromoteSubsystem, [])
    recorded = from_options(subsystem.owner, subsystem.reviewers)
    assert recorded == SignOff(None, ("@bob", "@carol (security)"), "command line")


@pytest.mark.parametrize(
    "command, message",
    [
        (
            "promote --owner=@alice,@bob demo::",
            "--owner='@alice,@bob' is not one owner; write e.g. --owner=@alice.",
        ),
        (
            "promote --reviewers=@bob;@carol demo::",
            "--reviewers: '@bob;@carol' is not a GitHub handle; separate reviewers with commas, "
            'e.g. --reviewers="@bob,@carol (security)".',
        ),
    ],
)
def test_what_names_nobody_is_a_one_line_error_with_a_form_that_works(
    rule_runner: RuleRunner, command: str, message: str
) -> None:
    subsystem = parse(rule_runner, command)
    with pytest.raises(SignOffError) as error:
        from_options(subsystem.owner, subsystem.reviewers)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "command", ["promote --rollback=27c4d77", "promote --promote-rollback=27c4d77"]
)
def test_the_rollback_id(rule_runner: RuleRunner, command: str) -> None:
    assert parse(rule_runner, command).rollback == "27c4d77"
