from __future__ import annotations

from datetime import date

import pytest

from lanekeeper.todos.formats import parse_formats
from lanekeeper.todos.grammar import scan_todos, scan_todos_bytes
from lanekeeper.todos.rewrite import (
    LeftTodo,
    TodoEdit,
    TodoRewrite,
    rewrite_diff,
    rewrite_report,
    rewrite_summary,
    rewrite_todos,
)

P = "demo/products/q.py"
TODAY = date(2026, 11, 22)
FORMATS = parse_formats(
    {
        "t4": {
            "tag": "T4-[A-Z0-9-]+",
            "fields": {"issue": "ticket", "message": "reason"},
            "values": {
                "priority": {"low": "LOW", "medium": "MED", "high": "HIGH"},
                "issue": "GH-([0-9]+)",
            },
            "defaults": {"scope": "PROD"},
            "drop": ["estimate"],
        }
    }
)

BEFORE = "".join(
    line + "\n"
    for line in [
        'import json  # noqa: F401  # TODO[T4-UNUSED-IMPORT]: {"code":"F401",'
        '"ticket":"GH-1031","owner":"matriz-team","reason":"keep json","estimate":"0h",'
        '"priority":"medium"}',
        'x: int = "1"  # type: ignore[assignment]  # TODO[T4-TYPE]: {"ticket":"GH-1052",'
        '"owner":"@dave","reason":"parse it","priority":"low"}  # noqa: E501',
        '# TODO[T4-ISSUE]: {"owner":"carol","reason":"don\'t share one \\"deque()\\"",'
        '"priority":"high","created":"2026-01-05"}',
        '    # FIXME[T4-ISSUE]: {"ticket":"GH-1081","priority":"urgent","reason":"retry"}',
        '# TODO[T4-ISSUE]: {"owner":"erin","priority":"low","reason":"wrap the "long" ids"}',
        "# TODO[2026-03-01][PRIORITY:LOW][OWNER:@gina][SCOPE:DOCS] : the guide's own grammar",
    ]
)

AFTER = "".join(
    line + "\n"
    for line in [
        "import json  # noqa: F401  # TODO[2026-11-22][PRIORITY:MED][OWNER:@matriz-team]"
        "[SCOPE:PROD][ISSUE:1031] : keep json (tag: T4-UNUSED-IMPORT; code: F401)",
        'x: int = "1"  # type: ignore[assignment]  # TODO[2026-11-22][PRIORITY:LOW]'
        "[OWNER:@dave][SCOPE:PROD][ISSUE:1052] : parse it (tag: T4-TYPE)  # noqa: E501",
        "# TODO[2026-11-22][PRIORITY:HIGH][OWNER:@carol][SCOPE:PROD] : don't share one "
        '"deque()" (tag: T4-ISSUE; created: 2026-01-05)',
        '    # FIXME[T4-ISSUE]: {"ticket":"GH-1081","priority":"urgent","reason":"retry"}',
        '# TODO[T4-ISSUE]: {"owner":"erin","priority":"low","reason":"wrap the "long" ids"}',
        "# TODO[2026-03-01][PRIORITY:LOW][OWNER:@gina][SCOPE:DOCS] : the guide's own grammar",
    ]
)

UNDATED = "date: 2026-11-22 (the run's date; the TODO has none)"
EDITS = (
    TodoEdit(
        1,
        "t4",
        'TODO[T4-UNUSED-IMPORT]: {"code":"F401","ticket":"GH-1031","owner":"matriz-team",'
        '"reason":"keep json","estimate":"0h","priority":"medium"}',
        "TODO[2026-11-22][PRIORITY:MED][OWNER:@matriz-team][SCOPE:PROD][ISSUE:1031] : keep json "
        "(tag: T4-UNUSED-IMPORT; code: F401)",
        ("tag: T4-UNUSED-IMPORT", "code: F401"),
        ("estimate: 0h",),
        (UNDATED,),
    ),
    TodoEdit(
        2,
        "t4",
        'TODO[T4-TYPE]: {"ticket":"GH-1052","owner":"@dave","reason":"parse it","priority":"low"}',
        "TODO[2026-11-22][PRIORITY:LOW][OWNER:@dave][SCOPE:PROD][ISSUE:1052] : parse it "
        "(tag: T4-TYPE)",
        ("tag: T4-TYPE",),
        (),
        (UNDATED,),
    ),
    TodoEdit(
        3,
        "t4",
        'TODO[T4-ISSUE]: {"owner":"carol","reason":"don\'t share one \\"deque()\\"",'
        '"priority":"high","created":"2026-01-05"}',
        "TODO[2026-11-22][PRIORITY:HIGH][OWNER:@carol][SCOPE:PROD] : don't share one "
        '"deque()" (tag: T4-ISSUE; created: 2026-01-05)',
        ("tag: T4-ISSUE", "created: 2026-01-05"),
        (),
        (UNDATED,),
    ),
)
LEFT = (
    LeftTodo(
        4,
        "t4",
        "unknown priority 'urgent' (want HIGH, MED or LOW); `values.priority` knows low, "
        "medium, high; missing owner (no 'owner' in the JSON object)",
    ),
    LeftTodo(5, "t4", "the payload is not JSON: Expecting ',' delimiter at character 54"),
)


def test_rewrites_every_structured_item_and_keeps_the_rest_of_each_line() -> None:
    rewrite = rewrite_todos(P, BEFORE.encode(), FORMATS, TODAY)
    assert rewrite == TodoRewrite(P, AFTER.encode(), EDITS, LEFT)


def test_the_rewrite_reads_back_with_the_same_fields_and_a_second_run_changes_nothing() -> None:
    before = scan_todos(P, BEFORE, FORMATS).items
    after = scan_todos(P, AFTER, FORMATS).items
    fields = ("line", "kind", "status", "priority", "owner", "scope", "issue")
    assert [tuple(getattr(i, f) for f in fields) for i in after] == [
        tuple(getattr(i, f) for f in fields) for i in before
    ]
    assert [i.format for i in after] == ["canonical"] * 3 + ["t4", "t4", "canonical"]
    assert rewrite_todos(P, AFTER.encode(), FORMATS, TODAY) == TodoRewrite(P, left=LEFT)


T4_LINE = '# TODO[T4-X]: {"owner":"a","priority":"low","reason":"caf\\u00e9 \u00e9"}'
CANONICAL_LINE = (
    "# TODO[2026-11-22][PRIORITY:LOW][OWNER:@a][SCOPE:PROD] : caf\u00e9 \u00e9 (tag: T4-X)"
)


@pytest.mark.parametrize(
    "before, after",
    [
        # Line endings, a byte-order mark and a declared encoding are kept.
        (
            f"x = 1\r\n{T4_LINE}\r\ny = 2\r".encode(),
            f"x = 1\r\n{CANONICAL_LINE}\r\ny = 2\r".encode(),
        ),
        (
            f"{T4_LINE}\n".encode("utf-8-sig"),
            f"{CANONICAL_LINE}\n".encode("utf-8-sig"),
        ),
        (
            f"# -*- coding: latin-1 -*-\n{T4_LINE}\n".encode("latin-1"),
            f"# -*- coding: latin-1 -*-\n{CANONICAL_LINE}\n".encode("latin-1"),
        ),
        # Tabs before the comment count as one column each, as the tokenizer counts them.
        (f"if x:\n\tpass  {T4_LINE}\n".encode(), f"if x:\n\tpass  {CANONICAL_LINE}\n".encode()),
    ],
)
def test_bytes_outside_the_todo_are_kept(before: bytes, after: bytes) -> None:
    rewrite = rewrite_todos(P, before, FORMATS, TODAY)
    assert (rewrite.new_source, rewrite.error) == (after, None)


@pytest.mark.parametrize(
    "source, error",
    [
        (
            b"# TODO[T4-X]: {} \xff\n",
            "not valid UTF-8 at byte 17 (line 1); re-save the file as UTF-8",
        ),
        (
            f'x = """\n{T4_LINE}\n'.encode(),
            "line 1: unterminated triple-quoted string literal: the file does not tokenize; "
            "fix it first",
        ),
        (
            b'# coding: latin-1\n# TODO[T4-X]: {"owner":"a","priority":"low","reason":"\\u2603"}\n',
            "the rewritten text has '\u2603', which iso-8859-1 cannot encode; re-save the file as "
            "UTF-8",
        ),
    ],
)
def test_a_file_that_cannot_be_rewritten_is_an_error(source: bytes, error: str) -> None:
    rewrite = rewrite_todos(P, source, FORMATS, TODAY)
    assert (rewrite.new_source, rewrite.edits, rewrite.error) == (None, (), error)


def test_items_the_guide_cannot_hold_are_left_with_the_reason() -> None:
    formats = parse_formats(
        {
            "loose": {"tag": "L", "required": []},
            "bare": {
                "pattern": r"TODO\((?P<priority>[a-z]+)\)$",
                "required": [],
                "defaults": {"owner": "@a"},
            },
        }
    )
    source = '# TODO[L]: {"owner": "a"}\n# TODO[L]: {"priority": "low"}\n# TODO(low)\n'
    rewrite = rewrite_todos(P, source.encode(), formats, TODAY)
    assert rewrite == TodoRewrite(
        P,
        left=(
            LeftTodo(
                1,
                "loose",
                "no priority, which the guide's grammar requires; make it required or set "
                "`defaults.priority` in the format",
            ),
            LeftTodo(
                2,
                "loose",
                "no owner, which the guide's grammar requires; make it required or set "
                "`defaults.owner` in the format",
            ),
            LeftTodo(3, "bare", "no message and no other field to write after ' : '"),
        ),
    )


def test_a_missing_scope_is_written_as_unknown_and_reported() -> None:
    formats = parse_formats({"t4": {"tag": "T4"}})
    source = b'# TODO[T4]: {"owner":"a","priority":"low","message":"m"}\n'
    [edit] = rewrite_todos(P, source, formats, TODAY).edits
    assert edit.after == "TODO[2026-11-22][PRIORITY:LOW][OWNER:@a][SCOPE:UNKNOWN] : m (tag: T4)"
    assert edit.filled == (UNDATED, "scope: UNKNOWN (the TODO has none; set `defaults.scope`)")


def test_reports() -> None:
    rewrites = [
        rewrite_todos(P, BEFORE.encode(), FORMATS, TODAY),
        rewrite_todos("a/bad.py", b"\xff", FORMATS, TODAY),
    ]
    assert rewrite_summary(rewrites) == [
        "Rewrite to the guide's grammar: 3 TODOs in 1 file; 2 left as they are.",
        "Left out of the messages (`drop`): estimate; every value is in the JSON report.",
        "3 TODOs had no date: dated with the run's date.",
        f"left: {P}:4 (t4): {LEFT[0].reason}",
        f"left: {P}:5 (t4): {LEFT[1].reason}",
        "error: a/bad.py: not valid UTF-8 at byte 0 (line 1); re-save the file as UTF-8",
    ]
    report = rewrite_report(rewrites, applied=False)
    assert {k: v for k, v in report.items() if not isinstance(v, list)} == {
        "applied": False,
        "files_rewritten": 1,
        "todos_rewritten": 3,
        "todos_left": 2,
    }
    assert report["edits"][0] == {
        "file": P,
        "line": 1,
        "format": "t4",
        "before": EDITS[0].before,
        "after": EDITS[0].after,
        "carried": ("tag: T4-UNUSED-IMPORT", "code: F401"),
        "dropped": ("estimate: 0h",),
        "filled": (UNDATED,),
    }
    assert report["left"][1] == {"file": P, **vars(LEFT[1])}
    assert report["errors"] == [{"file": "a/bad.py", "error": rewrites[1].error}]
    before, after = BEFORE.splitlines(keepends=True), AFTER.splitlines(keepends=True)
    assert rewrite_diff(rewrites, {P: BEFORE.encode()}) == "".join(
        [f"--- a/{P}\n", f"+++ b/{P}\n", "@@ -1,6 +1,6 @@\n"]
        + [f"-{line}" for line in before[:3]]
        + [f"+{line}" for line in after[:3]]
        + [f" {line}" for line in before[3:]]
    )


def test_scanning_bytes_with_formats() -> None:
    scan = scan_todos_bytes(P, BEFORE.encode(), FORMATS)
    assert [i.format for i in scan.items] == ["t4"] * 5 + ["canonical"]
