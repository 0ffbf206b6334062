from __future__ import annotations

from typing import Any, Optional

import pytest

from lanekeeper.todos.formats import TodoFormat, TodoFormatError, parse_formats
from lanekeeper.todos.grammar import TodoItem, parse_comment, scan_todos

P = "demo/products/q.py"
T4: dict[str, Any] = {
    "tag": "T4-[A-Z0-9-]+",
    "fields": {"issue": "ticket", "message": "reason"},
    "values": {
        "priority": {"low": "LOW", "medium": "MED", "high": "HIGH"},
        "issue": "GH-([0-9]+)",
    },
    "drop": ["estimate"],
}
[T4_FORMAT] = parse_formats({"t4": T4})


def t4(
    line: int,
    kind: str,
    priority: str,
    owner: str,
    issue: Optional[str],
    message: str,
    *extras: tuple[str, str],
    scope: str = "UNKNOWN",
    date: Optional[str] = None,
) -> TodoItem:
    return TodoItem(
        P, line, kind, "structured", date, priority, owner, scope, issue, message, (), "t4", extras
    )


def t4_malformed(line: int, kind: str, message: str, problems: Any, *extras: Any) -> TodoItem:
    return TodoItem(
        P, line, kind, "malformed", None, None, None, None, None, message, problems, "t4", extras
    )


# Written as the team of issue #21 writes them: after pragmas, with quotes inside the JSON, and
# one JSON object that does not parse.
SOURCE = "".join(
    line + "\n"
    for line in [
        'import json  # noqa: F401  # TODO[T4-UNUSED-IMPORT]: {"code":"F401",'
        '"ticket":"GH-1031","owner":"matriz-team","status":"accepted",'
        '"reason":"keep json for plugins","estimate":"0h","priority":"medium","id":"t4-0001"}',
        'x: int = "1"  # type: ignore[assignment]  # TODO[T4-TYPE]: {"code":"assignment",'
        '"ticket":"GH-1052","owner":"@dave","reason":"parse it","priority":"LOW"}',
        '# TODO[T4-ISSUE]: {"ticket":"GH-1040","owner":"carol",'
        '"reason":"don\'t share one \\"deque()\\"; the \'maxlen\' leaks","priority":"high"}',
        '# TODO[T4-ISSUE]: {"ticket":"GH-1077","owner":"erin","priority":"low",'
        '"reason":"wrap the "long" ids"}',
        '    # FIXME[T4-ISSUE]: {"ticket":"GH-1081","priority":"urgent","reason":"retry"}',
        "# TODO[2026-03-01][PRIORITY:LOW][OWNER:@gina][SCOPE:DOCS] : the guide's own grammar",
        "# TODO: plain",
    ]
)


def test_the_inventory_of_a_t4_file() -> None:
    scan = scan_todos(P, SOURCE, (T4_FORMAT,))
    assert scan.error is None
    assert scan.items == (
        t4(
            1,
            "TODO",
            "MED",
            "@matriz-team",
            "1031",
            "keep json for plugins",
            ("tag", "T4-UNUSED-IMPORT"),
            ("code", "F401"),
            ("status", "accepted"),
            ("estimate", "0h"),
            ("id", "t4-0001"),
        ),
        t4(
            2,
            "TODO",
            "LOW",
            "@dave",
            "1052",
            "parse it",
            ("tag", "T4-TYPE"),
            ("code", "assignment"),
        ),
        t4(
            3,
            "TODO",
            "HIGH",
            "@carol",
            "1040",
            "don't share one \"deque()\"; the 'maxlen' leaks",
            ("tag", "T4-ISSUE"),
        ),
        t4_malformed(
            4,
            "TODO",
            '{"ticket":"GH-1077","owner":"erin","priority":"low","reason":"wrap the "long" ids"}',
            ("the payload is not JSON: Expecting ',' delimiter at character 73",),
            ("tag", "T4-ISSUE"),
        ),
        t4_malformed(
            5,
            "FIXME",
            "retry",
            (
                "unknown priority 'urgent' (want HIGH, MED or LOW); `values.priority` knows "
                "low, medium, high",
                "missing owner (no 'owner' in the JSON object)",
            ),
            ("tag", "T4-ISSUE"),
        ),
        TodoItem(
            P,
            6,
            "TODO",
            "structured",
            "2026-03-01",
            "LOW",
            "@gina",
            "DOCS",
            None,
            "the guide's own grammar",
            (),
            "canonical",
        ),
        TodoItem(P, 7, "TODO", "plain", None, None, None, None, None, "plain"),
    )
    # Without the format, the same file has no structured T4 item.
    assert [i.format for i in scan_todos(P, SOURCE).items] == [
        "canonical",
        "canonical",
        "canonical",
        "canonical",
        "canonical",
        "canonical",
        None,
    ]


def claim(comment: str, **spec: Any) -> Optional[TodoItem]:
    [declared] = parse_formats({"f": spec})
    return parse_comment(P, 1, comment, (declared,))


@pytest.mark.parametrize(
    "comment, spec, expected",
    [
        # A tag that does not match is not claimed: the guide's grammar reads it (malformed).
        ('# TODO[T5-X]: {"priority": "low"}', {"tag": "T4-.*"}, "canonical"),
        # The colon is optional, and a value can be a number.
        (
            '# TODO[T4-X] {"priority":"Low","owner":"a","message":"m","issue":12}',
            {"tag": "T4-X"},
            ("LOW", "@a", "12", "m"),
        ),
        # issue: `#12` reads as 12 without a value map; an empty ticket is no ticket.
        (
            '# TODO[T4]: {"priority":"med","owner":"a","message":"m","issue":"#12"}',
            {"tag": "T4"},
            ("MED", "@a", "12", "m"),
        ),
        (
            '# TODO[T4]: {"priority":"med","owner":"a","message":"m","ticket":""}',
            {"tag": "T4", "fields": {"issue": "ticket"}, "values": {"issue": "GH-([0-9]+)"}},
            ("MED", "@a", None, "m"),
        ),
        # A table maps a value to none; the group of a regex may match nothing.
        (
            '# TODO[T4]: {"priority":"med","owner":"a","message":"m","issue":"n/a"}',
            {"tag": "T4", "values": {"issue": {"N/A": ""}}},
            ("MED", "@a", None, "m"),
        ),
        (
            '# TODO[T4]: {"priority":"med","owner":"a","message":"m","issue":"none"}',
            {"tag": "T4", "values": {"issue": "GH-([0-9]+)|none"}},
            ("MED", "@a", None, "m"),
        ),
        # Defaults fill what an item does not have, written as the inventory writes them; a
        # message may be left optional.
        (
            '# TODO[T4]: {"priority":"high"}',
            {"tag": "T4", "required": ["priority"], "defaults": {"owner": "team-a"}},
            ("HIGH", "@team-a", None, ""),
        ),
        (
            '# TODO[T4]: {"owner":"a"}',
            {"tag": "T4", "required": ["owner"], "defaults": {"priority": "low", "issue": ""}},
            ("LOW", "@a", None, ""),
        ),
        # A line break escaped in the JSON never reaches the one-line message.
        (
            '# TODO[T4]: {"priority":"low","owner":"a","message":"one\\ntwo\\tthree"}',
            {"tag": "T4"},
            ("LOW", "@a", None, "one two three"),
        ),
        # A pattern: named groups, matched from the kind on.
        (
            "# TODO(alice) GH-7: use heapq",
            {
                "pattern": r"TODO\((?P<owner>[a-z]+)\) GH-(?P<issue>[0-9]+): (?P<message>.+)",
                "required": ["owner", "message"],
                "defaults": {"priority": "MED"},
            },
            ("MED", "@alice", "7", "use heapq"),
        ),
    ],
)
def test_claims(comment: str, spec: dict[str, Any], expected: Any) -> None:
    item = claim(comment, **spec)
    assert item is not None
    if expected == "canonical":
        assert item.format == "canonical"
    else:
        assert (item.status, item.problems) == ("structured", ())
        assert (item.priority, item.owner, item.issue, item.message) == expected


@pytest.mark.parametrize(
    "comment, problems",
    [
        ("# TODO[T4]", ["no JSON object after [T4]"]),
        ("# TODO[T4]: fix it", ["no JSON object after [T4] (found 'fix it')"]),
        (
            '# TODO[T4]: {"owner": "a", "message": "m", "priority": ["low"]}',
            ['priority is a list, not a value (["low"])'],
        ),
        (
            '# TODO[T4]: {"owner": "a b", "message": "m", "priority": "low"}',
            ["owner 'a b' is not a GitHub user name"],
        ),
        (
            '# TODO[T4]: {"owner": "a", "message": "m", "priority": "low", "date": "2026-02-30"}',
            ["bad date '2026-02-30' (want YYYY-MM-DD)"],
        ),
        (
            '# TODO[T4]: {"owner": "a", "message": "m", "priority": "low", "issue": "JIRA-5"}',
            ["bad issue 'JIRA-5' (want a number, like 42 or #42)"],
        ),
        (
            "# TODO[T4]: {}",
            [
                f"missing {f} (no '{f}' in the JSON object)"
                for f in ("priority", "owner", "message")
            ],
        ),
    ],
)
def test_malformed_claims(comment: str, problems: list[str]) -> None:
    item = claim(comment, tag="T4")
    assert item is not None
    assert (item.status, item.format, list(item.problems)) == ("malformed", "f", problems)


def test_issue_regex_that_does_not_match() -> None:
    item = claim(
        '# TODO[T4]: {"owner":"a","message":"m","priority":"low","ticket":"JIRA-5"}',
        tag="T4",
        fields={"issue": "ticket"},
        values={"issue": "GH-([0-9]+)"},
    )
    assert item is not None
    assert item.problems == ("issue 'JIRA-5' does not match `values.issue` ('GH-([0-9]+)')",)


def test_scopes_are_read_in_any_case_and_unknown_ones_are_kept() -> None:
    base = '# TODO[T4]: {"owner":"a","message":"m","priority":"low","scope":"%s"}'
    docs, backend = (claim(base % scope, tag="T4") for scope in ("docs", "backend"))
    assert docs is not None and backend is not None
    assert (docs.scope, docs.extras) == ("DOCS", (("tag", "T4"),))
    assert (backend.scope, backend.extras) == ("UNKNOWN", (("tag", "T4"), ("scope", "backend")))


def test_the_first_format_that_claims_decides_and_the_guide_comes_first() -> None:
    formats = parse_formats(
        {
            "loose": {"tag": ".*", "required": []},
            "never": {"tag": "T4", "required": []},
        }
    )
    canonical = "# TODO[2026-03-01][PRIORITY:LOW][OWNER:@a][SCOPE:PROD] : m"
    assert [
        getattr(parse_comment(P, 1, comment, formats), "format")
        for comment in (canonical, '# TODO[T4]: {"priority":"low"}', "# TODO[2026-13-01] : m")
    ] == ["canonical", "loose", "loose"]


def test_object_values_are_extras_as_json() -> None:
    item = claim(
        '# TODO[T4]: {"owner":"a","message":"m","priority":"low","meta":{"a": [1, "é"]},"n":null}',
        tag="T4",
    )
    assert item is not None
    assert item.extras == (("tag", "T4"), ("meta", '{"a":[1,"é"]}'))


OPTION = "[todo-audit].formats"


@pytest.mark.parametrize(
    "raw, message",
    [
        (
            ["t4"],
            f"`{OPTION}`: expected a table of named formats, like t4 = "
            '{ tag = "T4-[A-Z-]+", fields = { issue = "ticket", message = "reason" } }; '
            "got ['t4'].",
        ),
        (
            {"canonical": {"tag": "x"}},
            f"`{OPTION}`: 'canonical' is not a format name; use letters, digits, '-', '_' and "
            "'.' (and not 'canonical', the guide's own grammar).",
        ),
        (
            {"t4": "T4-.*"},
            f"`{OPTION}.t4`: expected a table like "
            '{ tag = "T4-[A-Z-]+", fields = { issue = "ticket", message = "reason" } }; '
            "got 'T4-.*'.",
        ),
        (
            {"t4": {"tag": "T4", "feilds": {}}},
            f"`{OPTION}.t4`: unknown key 'feilds'; the keys are tag, pattern, fields, values, "
            "required, defaults, drop.",
        ),
        (
            {"t4": {"fields": {}}},
            f"`{OPTION}.t4`: set exactly one of `tag` (a tag in brackets, then a JSON object) "
            "and `pattern` (a regex with named groups, matched from the kind on).",
        ),
        (
            {"t4": {"tag": "T4-[A-Z"}},
            f"`{OPTION}.t4.tag`: 'T4-[A-Z' is not a regular expression (unterminated character "
            "set at position 3); fix it.",
        ),
        (
            {"j": {"pattern": "TODO(?P<owner>", "required": []}},
            f"`{OPTION}.j.pattern`: 'TODO(?P<owner>' is not a regular expression (missing ), "
            "unterminated subpattern at position 4); fix it.",
        ),
        (
            {"t4": {"tag": "T4", "fields": {"ticket": "issue"}}},
            f"`{OPTION}.t4.fields`: 'ticket' is not an inventory field; the fields are date, "
            "priority, owner, scope, issue, message.",
        ),
        (
            {"t4": {"tag": "T4", "fields": {"issue": 3}}},
            f"`{OPTION}.t4.fields.issue`: expected the name of a JSON key or a group; got 3.",
        ),
        (
            {"t4": {"tag": "T4", "values": {"priority": {"low": "LOWEST"}}}},
            f"`{OPTION}.t4.values.priority.low`: unknown priority 'LOWEST' (want HIGH, MED or "
            "LOW).",
        ),
        (
            {"t4": {"tag": "T4", "values": {"priority": {"low": "LOW", "LOW": "MED"}}}},
            f"`{OPTION}.t4.values.priority`: 'LOW' is listed twice (keys are compared without "
            "case).",
        ),
        (
            {"t4": {"tag": "T4", "values": {"issue": "GH-([0-9]+"}}},
            f"`{OPTION}.t4.values.issue`: 'GH-([0-9]+' is not a regular expression (missing ), "
            "unterminated subpattern at position 3); fix it.",
        ),
        (
            {"t4": {"tag": "T4", "values": {"issue": ["GH"]}}},
            f"`{OPTION}.t4.values.issue`: expected a table of written value -> issue, or a regex "
            "whose first group is the issue; got ['GH'].",
        ),
        (
            {"t4": {"tag": "T4", "required": "priority"}},
            f"`{OPTION}.t4.required`: expected a list of names; got 'priority'.",
        ),
        (
            {"t4": {"tag": "T4", "required": ["prio"]}},
            f"`{OPTION}.t4.required`: 'prio' is not a field name; the fields are date, "
            "priority, owner, scope, issue, message.",
        ),
        (
            {"t4": {"tag": "T4", "defaults": {"owner": "@a"}}},
            f"`{OPTION}.t4.defaults.owner`: owner is also required, so the default is never "
            "used; drop one of them.",
        ),
        (
            {"t4": {"tag": "T4", "defaults": {"scope": "BACKEND"}}},
            f"`{OPTION}.t4.defaults.scope`: unknown scope 'BACKEND' (want PROD, CANDIDATE, DOCS).",
        ),
        (
            {"t4": {"tag": "T4", "required": [], "defaults": {"date": "tomorrow"}}},
            f"`{OPTION}.t4.defaults.date`: bad date 'tomorrow' (want YYYY-MM-DD).",
        ),
        (
            {"j": {"pattern": r"TODO\((?P<who>\w+)\)", "fields": {"owner": "owner"}}},
            f"`{OPTION}.j.fields.owner`: the pattern has no group 'owner' (its named groups: who).",
        ),
        (
            {"j": {"pattern": r"TODO\((?P<owner>\w+)\): (?P<message>.*)"}},
            f"`{OPTION}.j.required`: priority is required but the pattern has no group for it "
            "(its named groups: message, owner); add (?P<priority>...) or map it in `fields`.",
        ),
        (
            {"t4": {"tag": "T4", "drop": "estimate"}},
            f"`{OPTION}.t4.drop`: expected a list of names; got 'estimate'.",
        ),
    ],
)
def test_bad_options_are_one_line_errors(raw: Any, message: str) -> None:
    with pytest.raises(TodoFormatError) as error:
        parse_formats(raw)
    assert str(error.value) == message


def test_formats_keep_their_order() -> None:
    formats = parse_formats({"b": {"tag": "B"}, "a": {"tag": "A"}})
    assert [f.name for f in formats] == ["b", "a"]
    assert all(isinstance(f, TodoFormat) for f in formats)
    assert parse_formats({}) == ()
