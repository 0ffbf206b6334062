from __future__ import annotations

from typing import Optional

import pytest

from lanekeeper.promote.signoff import (
    SignOff,
    SignOffError,
    from_options,
    from_promote_md,
    parse_signoff,
    person,
    signoff_problems,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("alice", "@alice"),
        ("@alice", "@alice"),
        ("@@alice", "@alice"),
        (" @Alice ", "@alice"),
        ("mona-lisa", "@mona-lisa"),
        ("@carol (security)", "@carol (security)"),
        ("carol(security)", "@carol (security)"),
        ("@dan ( Ethics )", "@dan (Ethics)"),
        ("alice smith", None),
        ("alice@example.com", None),
        ("@bob;@carol", None),
        ("-alice", None),
        ("alice-", None),
        ("a--b", None),
        ("a" * 40, None),
        ("", None),
    ],
)
def test_a_person_is_a_github_handle_however_it_is_written(
    text: str, expected: Optional[str]
) -> None:
    assert person(text) == expected


def test_options_split_reviewers_at_commas_and_name_each_person_once() -> None:
    recorded = from_options("alice", ["bob, @Carol (security)", "@bob", "dan"])
    assert recorded == SignOff("@alice", ("@bob", "@carol (security)", "@dan"), "command line")


def test_no_options_defer_to_promote_md() -> None:
    assert from_options(None, []) is None
    assert parse_signoff(None, [], "Owner: ann\n", "m/PROMOTE.md").owner == "@ann"
    assert parse_signoff("zed", [], "Owner: ann\n", "m/PROMOTE.md").owner == "@zed"


@pytest.mark.parametrize(
    "owner, reviewers, message",
    [
        (
            "alice smith",
            [],
            "--owner='alice smith' is not a GitHub handle; write e.g. --owner=@alice.",
        ),
        ("@alice,@bob", [], "--owner='@alice,@bob' is not one owner; write e.g. --owner=@alice."),
        (
            None,
            ["bob carol"],
            "--reviewers: 'bob carol' is not a GitHub handle; separate reviewers with commas, "
            'e.g. --reviewers="@bob,@carol (security)".',
        ),
    ],
)
def test_an_option_that_names_nobody_is_an_error_showing_a_form_that_works(
    owner: Optional[str], reviewers: list[str], message: str
) -> None:
    with pytest.raises(SignOffError) as error:
        from_options(owner, reviewers)
    assert str(error.value) == message


def test_promote_md_lines_are_read_the_same_way_and_bad_entries_named_by_line() -> None:
    text = "# Promote\n\nOwner: Alice\nReviewers: bob, Carol Jones, @dan (security), @Bob\n"
    recorded = from_promote_md(text, "m/PROMOTE.md")
    assert recorded == SignOff(
        "@alice",
        ("@bob", "@dan (security)"),
        "m/PROMOTE.md",
        ("m/PROMOTE.md:4: 'Carol Jones' is not a GitHub handle (write e.g. @alice)",),
    )
    assert signoff_problems(recorded) == [
        "m/PROMOTE.md:4: 'Carol Jones' is not a GitHub handle (write e.g. @alice)"
    ]


@pytest.mark.parametrize(
    "signoff, problems",
    [
        (SignOff("@ann", ("@bo", "@cy (security)"), "x"), []),
        (
            SignOff(None, (), "x"),
            ["no owner named", "0 reviewers named, 2 needed", "no security reviewer named"],
        ),
        (SignOff("@ann", ("@cy (security)",), "x"), ["1 reviewer named, 2 needed"]),
        (
            SignOff("@ann", ("@ann (security)", "@bo"), "x"),
            [
                "the owner @ann cannot also be a reviewer",
                "1 reviewer named, 2 needed",
                "no security reviewer named",
            ],
        ),
    ],
)
def test_an_owner_and_two_other_people_one_of_them_security(
    signoff: SignOff, problems: list[str]
) -> None:
    assert signoff_problems(signoff) == problems
