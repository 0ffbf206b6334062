from __future__ import annotations

import dataclasses
from typing import Optional

import pytest

from lanekeeper.todos.grammar import (
    CANONICAL,
    TodoItem,
    TodoScan,
    canonical_todo,
    parse_comment,
    scan_all,
    scan_todos,
    scan_todos_bytes,
)

P = "demo/x.py"


def structured(
    line: int,
    priority: str,
    owner: str,
    scope: str,
    issue: Optional[str],
    message: str,
    date: str = "2026-03-01",
    kind: str = "TODO",
    path: str = P,
) -> TodoItem:
    return TodoItem(
        path, line, kind, "structured", date, priority, owner, scope, issue, message, (), CANONICAL
    )


def malformed(line: int, message: str, *problems: str, kind: str = "TODO") -> TodoItem:
    return TodoItem(
        P, line, kind, "malformed", None, None, None, None, None, message, problems, CANONICAL
    )


def plain(line: int, kind: str, message: str) -> TodoItem:
    return TodoItem(P, line, kind, "plain", None, None, None, None, None, message)


def items(source: str) -> tuple[TodoItem, ...]:
    scan = scan_todos(P, source)
    assert (scan.error, scan.method) == (None, "tokenize")
    return scan.items


# Every todo-* row of demo/README.md, with the demo's comment line verbatim (indented as there).
DEMO_ROWS = [
    (
        "    # TODO[2026-03-01][PRIORITY:HIGH][OWNER:@alice][SCOPE:PROD][ISSUE:42] : "
        "use heapq for top-k",
        structured(1, "HIGH", "@alice", "PROD", "42", "use heapq for top-k"),
    ),
    (
        "        # TODO[2026-04-15][PRIORITY:MED][OWNER:@bob][SCOPE:PROD] : "
        "cache tokenized documents",
        structured(1, "MED", "@bob", "PROD", None, "cache tokenized documents", "2026-04-15"),
    ),
    (
        "# TODO[2026-07-01][PRIORITY:HIGH][OWNER:@frank][SCOPE:PROD][ISSUE:501] : "
        "security: allowlist names",
        structured(1, "HIGH", "@frank", "PROD", "501", "security: allowlist names", "2026-07-01"),
    ),
    (
        "    # TODO[2026-05-20][PRIORITY:LOW][OWNER:@carol][SCOPE:DOCS][ISSUE:108] : "
        "document the columns",
        structured(1, "LOW", "@carol", "DOCS", "108", "document the columns", "2026-05-20"),
    ),
    (
        "    # TODO[2026-06-01][PRIORITY:MED][OWNER:@dave][SCOPE:X][ISSUE:7] : "
        "order by priority instead",
        structured(1, "MED", "@dave", "UNKNOWN", "7", "order by priority instead", "2026-06-01"),
    ),
    (
        "    # TODO[2026-08-01][PRIORITY:LOW][OWNER:@gina][SCOPE:CANDIDATE][ISSUE:21] : "
        "split on commas",
        structured(1, "LOW", "@gina", "CANDIDATE", "21", "split on commas", "2026-08-01"),
    ),
    (
        "# TODO[2026-09-10][PRIORITY:HIGH][OWNER:@erin][SCOPE:CANDIDATE][ISSUE:314] : use a vault",
        structured(1, "HIGH", "@erin", "CANDIDATE", "314", "use a vault", "2026-09-10"),
    ),
    (
        "# TODO[2026-13-40][PRIORITY:MED][OWNER:@alice][SCOPE:PROD][ISSUE:43] : drop this adapter",
        malformed(1, "drop this adapter", "bad date '2026-13-40' (want YYYY-MM-DD)"),
    ),
    (
        "    # TODO[2026-03-01][PRIORITY:URGENT][OWNER:@bob][SCOPE:PROD] : learn the step size",
        malformed(1, "learn the step size", "unknown priority 'URGENT' (want HIGH, MED or LOW)"),
    ),
    (
        "# TODO[2026-03-15][PRIORITY:LOW][OWNER:@gina][SCOPE:CANDIDATE] "
        "move the sandbox out of the repo",
        malformed(
            1,
            "move the sandbox out of the repo",
            "missing ' : ' between the tags and the message",
        ),
    ),
    (
        "    # TODO[2026-02-20][PRIORITY:LOW][OWNER:bob][SCOPE:PROD][ISSUE:44] : "
        "paginate the export",
        malformed(1, "paginate the export", "owner 'bob' must start with '@'"),
    ),
    (
        "    # TODO fix this: read the plugin directory from settings instead of __file__",
        plain(1, "TODO", "fix this: read the plugin directory from settings instead of __file__"),
    ),
    (
        "# FIXME: labels with surrounding whitespace are stripped silently by the factory",
        plain(
            1, "FIXME", "labels with surrounding whitespace are stripped silently by the factory"
        ),
    ),
    (
        "    # HACK: __import__ bypasses the plugin allowlist; remove once plugins are packaged",
        plain(
            1, "HACK", "__import__ bypasses the plugin allowlist; remove once plugins are packaged"
        ),
    ),
    (
        "    # TODO redact document ids before reports reach the logs (privacy review pending)",
        plain(
            1, "TODO", "redact document ids before reports reach the logs (privacy review pending)"
        ),
    ),
    (
        "    # TODO retry a failed step once before giving up",
        plain(1, "TODO", "retry a failed step once before giving up"),
    ),
    (
        "# XXX: scratch directory is never cleaned up",
        plain(1, "XXX", "scratch directory is never cleaned up"),
    ),
]


@pytest.mark.parametrize("comment, expected", DEMO_ROWS)
def test_demo_rows(comment: str, expected: TodoItem) -> None:
    # Indented comments stand inside a block in the demo; here after an `if` header.
    source = comment + "\n" if not comment.startswith(" ") else "if x:\n" + comment + "\n    y\n"
    line = 1 if not comment.startswith(" ") else 2
    assert items(source) == (dataclasses.replace(expected, line=line),)


def test_demo_sensitive_rows() -> None:
    assert [item.message for _, item in DEMO_ROWS if item.mentions_sensitive] == [
        "security: allowlist names",
        "redact document ids before reports reach the logs (privacy review pending)",
    ]


def test_strings_and_docstrings_never_count() -> None:
    source = '''"""Module docstring.

# TODO[2026-03-01][PRIORITY:HIGH][OWNER:@a][SCOPE:PROD] : inside a docstring
TODO: also inside
"""


def render(title: str = "") -> str:
    """Labels that authors left as TODO are rendered verbatim."""
    heading = title or "TODO: untitled report"
    other = 'FIXME: single quotes' + f"# TODO in an f-string {title}"
    raw = rb"# HACK in bytes"
    text = """
    # XXX inside a triple-quoted string
    """
    return heading + other + str(raw) + text  # TODO: the only real one
'''
    assert items(source) == (plain(16, "TODO", "the only real one"),)


@pytest.mark.parametrize(
    "comment, expected",
    [
        ("# TODO", plain(1, "TODO", "")),
        ("# TODO:", plain(1, "TODO", "")),
        ("#TODO no space after the hash", plain(1, "TODO", "no space after the hash")),
        ("#\tFIXME tab after the hash", plain(1, "FIXME", "tab after the hash")),
        ("# TODO(alice): handle empty input", plain(1, "TODO", "(alice): handle empty input")),
        ("# XXX\tthe tab counts as space", plain(1, "XXX", "the tab counts as space")),
        ("# HACK:no space", plain(1, "HACK", "no space")),
        # An attempt at the format, but not `TAG[`: plain.
        (
            "# TODO [2026-03-01][PRIORITY:LOW][OWNER:@a][SCOPE:PROD] : m",
            plain(1, "TODO", "[2026-03-01][PRIORITY:LOW][OWNER:@a][SCOPE:PROD] : m"),
        ),
        # Every kind may use the format.
        (
            "# FIXME[2026-03-01][PRIORITY:LOW][OWNER:@a-b][SCOPE:DOCS] : fix the docs",
            structured(1, "LOW", "@a-b", "DOCS", None, "fix the docs", kind="FIXME"),
        ),
        (
            "# HACK[2026-03-01][PRIORITY:MED][OWNER:@a][SCOPE:PROD][ISSUE:9] :  spaces  ",
            structured(1, "MED", "@a", "PROD", "9", "spaces", kind="HACK"),
        ),
        (
            "# TODO[] : m",
            malformed(
                1,
                "m",
                "bad date '' (want YYYY-MM-DD)",
                *(f"missing [{key}:...]" for key in ("PRIORITY", "OWNER", "SCOPE")),
            ),
        ),
    ],
)
def test_kinds_and_separators(comment: str, expected: TodoItem) -> None:
    assert parse_comment(P, 1, comment) == expected


@pytest.mark.parametrize(
    "comment",
    [
        "# todo: lower case is not a tag",
        "# Todo: nor is title case",
        "# TODOS are plural",
        "# TODO-HIGH is a word of its own",
        "# XXXL shirt",
        "# noqa: E402 TODO a mention inside another comment",
        "# see the TODO list",
        "## TODO after two hashes",
        "#: TODO after a sphinx marker",
        "# FIXME.",
    ],
)
def test_not_todos(comment: str) -> None:
    assert parse_comment(P, 1, comment) is None


def test_trailing_comments_count() -> None:
    source = "x = 1  # TODO: trailing\ny = [  # FIXME inside brackets\n    2,  # noqa TODO\n]\n"
    assert items(source) == (
        plain(1, "TODO", "trailing"),
        plain(2, "FIXME", "inside brackets"),
    )


def test_a_todo_after_a_pragma_counts() -> None:
    tags = "[2026-03-01][PRIORITY:LOW][OWNER:@a][SCOPE:PROD]"
    source = (
        "import os  # noqa: F401  # TODO: drop os\n"
        f"x: int = '1'  # type: ignore[assignment] # FIXME{tags} : parse it\n"
        "y = 1  # pragma: no cover\t#\tXXX tabs\n"
        "z = 2  # see issue #12 TODO later\n"
        "w = 3  # noqa:E501#TODO no space before the hash\n"
    )
    assert items(source) == (
        plain(1, "TODO", "drop os"),
        structured(2, "LOW", "@a", "PROD", None, "parse it", kind="FIXME"),
        plain(3, "XXX", "tabs"),
    )


def test_canonical_todo_reads_back() -> None:
    text = canonical_todo("FIXME", "2026-03-01", "HIGH", "@a", "DOCS", "7", "m (tag: T4)")
    assert text == "FIXME[2026-03-01][PRIORITY:HIGH][OWNER:@a][SCOPE:DOCS][ISSUE:7] : m (tag: T4)"
    assert parse_comment(P, 1, f"# {text}") == structured(
        1, "HIGH", "@a", "DOCS", "7", "m (tag: T4)", kind="FIXME"
    )
    assert "[ISSUE:" not in canonical_todo("TODO", "2026-03-01", "LOW", "@a", "PROD", None, "m")


GOOD_TAGS = "[PRIORITY:LOW][OWNER:@a][SCOPE:PROD]"


@pytest.mark.parametrize(
    "comment, problems, message",
    [
        (f"TODO[2026-13-40]{GOOD_TAGS} : m", ["bad date '2026-13-40' (want YYYY-MM-DD)"], "m"),
        (f"TODO[2026-02-30]{GOOD_TAGS} : m", ["bad date '2026-02-30' (want YYYY-MM-DD)"], "m"),
        (f"TODO[2026/05/01]{GOOD_TAGS} : m", ["bad date '2026/05/01' (want YYYY-MM-DD)"], "m"),
        (f"TODO[26-05-01]{GOOD_TAGS} : m", ["bad date '26-05-01' (want YYYY-MM-DD)"], "m"),
        (f"TODO[soon]{GOOD_TAGS} : m", ["bad date 'soon' (want YYYY-MM-DD)"], "m"),
        (f"TODO{GOOD_TAGS} : m", ["missing [YYYY-MM-DD] date as the first tag"], "m"),
        (
            "TODO[2026-03-01][PRIORITY:URGENT][OWNER:@a][SCOPE:PROD] : m",
            ["unknown priority 'URGENT' (want HIGH, MED or LOW)"],
            "m",
        ),
        (
            "TODO[2026-03-01][PRIORITY:high][OWNER:@a][SCOPE:PROD] : m",
            ["unknown priority 'high' (want HIGH, MED or LOW)"],
            "m",
        ),
        (
            "TODO[2026-03-01][PRIORITY:LOW][OWNER:alice][SCOPE:PROD] : m",
            ["owner 'alice' must start with '@'"],
            "m",
        ),
        (
            "TODO[2026-03-01][PRIORITY:LOW][OWNER:@-alice][SCOPE:PROD] : m",
            ["owner '@-alice' is not '@' and a GitHub user name"],
            "m",
        ),
        (
            "TODO[2026-03-01][PRIORITY:LOW][OWNER:@a][SCOPE:PROD][ISSUE:#7] : m",
            ["bad issue '#7' (want a number, like [ISSUE:42])"],
            "m",
        ),
        ("TODO[2026-03-01][OWNER:@a][SCOPE:PROD] : m", ["missing [PRIORITY:...]"], "m"),
        ("TODO[2026-03-01][PRIORITY:LOW][SCOPE:PROD] : m", ["missing [OWNER:...]"], "m"),
        ("TODO[2026-03-01][PRIORITY:LOW][OWNER:@a] : m", ["missing [SCOPE:...]"], "m"),
        (
            "TODO[2026-03-01][OWNER:@a][PRIORITY:LOW][SCOPE:PROD] : m",
            [
                "tags out of order "
                "(want [YYYY-MM-DD][PRIORITY:...][OWNER:...][SCOPE:...][ISSUE:...])"
            ],
            "m",
        ),
        (
            f"TODO[2026-03-01][ISSUE:1]{GOOD_TAGS} : m",
            [
                "tags out of order "
                "(want [YYYY-MM-DD][PRIORITY:...][OWNER:...][SCOPE:...][ISSUE:...])"
            ],
            "m",
        ),
        (
            f"TODO[2026-03-01]{GOOD_TAGS}[PRIORITY:HIGH] : m",
            ["[PRIORITY:...] appears twice"],
            "m",
        ),
        (
            f"TODO[2026-03-01]{GOOD_TAGS}[TEAM:infra] : m",
            ["unknown tag '[TEAM:infra]' (want PRIORITY, OWNER, SCOPE or ISSUE)"],
            "m",
        ),
        (
            f"TODO[2026-03-01]{GOOD_TAGS}[urgent] : m",
            [
                "tag '[urgent]' is not KEY:value "
                "(want [YYYY-MM-DD][PRIORITY:...][OWNER:...][SCOPE:...][ISSUE:...])"
            ],
            "m",
        ),
        (
            f"TODO[2026-03-01]{GOOD_TAGS}[ISSUE:7 : m",
            ["a '[' in the tags is never closed (write each tag as [KEY:value])"],
            "m",
        ),
        (
            f"TODO[2026-03-01]{GOOD_TAGS} move it",
            ["missing ' : ' between the tags and the message"],
            "move it",
        ),
        (
            f"TODO[2026-03-01]{GOOD_TAGS}: move it",
            ["missing ' : ' between the tags and the message"],
            "move it",
        ),
        (f"TODO[2026-03-01]{GOOD_TAGS} : ", ["empty message after ' : '"], ""),
        (f"TODO[2026-03-01]{GOOD_TAGS}", ["missing ' : ' and a message after the tags"], ""),
        (
            "TODO[2026-03-01][PRIORITY:LOW",
            ["a '[' in the tags is never closed (write each tag as [KEY:value])"],
            "[PRIORITY:LOW",
        ),
        (
            "TODO[2026-03-01][PRIORITY:LOW][OWNER:@a][SCOPE:PROD]  :  two spaces",
            ["missing ' : ' between the tags and the message"],
            "two spaces",
        ),
        (
            "TODO[2026-13-01][PRIORITY:P1][OWNER:bob] msg",
            [
                "bad date '2026-13-01' (want YYYY-MM-DD)",
                "unknown priority 'P1' (want HIGH, MED or LOW)",
                "owner 'bob' must start with '@'",
                "missing [SCOPE:...]",
                "missing ' : ' between the tags and the message",
            ],
            "msg",
        ),
    ],
)
def test_malformed_problems(comment: str, problems: list[str], message: str) -> None:
    assert parse_comment(P, 3, "# " + comment) == malformed(3, message, *problems)


@pytest.mark.parametrize(
    "scope, expected",
    [
        ("PROD", "PROD"),
        ("CANDIDATE", "CANDIDATE"),
        ("DOCS", "DOCS"),
        ("X", "UNKNOWN"),
        ("prod", "UNKNOWN"),
        ("", "UNKNOWN"),
    ],
)
def test_unknown_scopes_are_unknown_but_structured(scope: str, expected: str) -> None:
    comment = f"# TODO[2026-03-01][PRIORITY:LOW][OWNER:@a][SCOPE:{scope}] : m"
    assert parse_comment(P, 1, comment) == structured(1, "LOW", "@a", expected, None, "m")


@pytest.mark.parametrize(
    "message, sensitive",
    [
        ("security: allowlist names", True),
        ("make the token check secure", True),
        ("insecure default", True),
        ("Privacy review pending", True),
        ("model safety evaluation", True),
        ("model-safety gate", True),
        ("SECURITY", True),
        ("make this thread-safe", False),
        ("private helper", False),
        ("use a vault", False),
    ],
)
def test_mentions_sensitive(message: str, sensitive: bool) -> None:
    assert plain(1, "TODO", message).mentions_sensitive is sensitive


def test_json_dict() -> None:
    item = structured(4, "HIGH", "@a", "PROD", "9", "secure it")
    assert item.to_json_dict() == {
        "path": P,
        "line": 4,
        "kind": "TODO",
        "status": "structured",
        "date": "2026-03-01",
        "priority": "HIGH",
        "owner": "@a",
        "scope": "PROD",
        "issue": "9",
        "message": "secure it",
        "problems": [],
        "format": "canonical",
        "extras": [],
        "sensitive": True,
    }


@pytest.mark.parametrize(
    "source, expected",
    [
        # The tokenizer gives up at the string: comments before it are kept, later lines are
        # scanned for lines that start with `#`, so the one inside the string counts too.
        (
            '# TODO before\nx = 1  # FIXME trailing\ny = """never closed\n'
            "    # XXX in the string, counted by the line scan\nz = 2  # HACK not counted\n",
            TodoScan(
                P,
                (
                    plain(1, "TODO", "before"),
                    plain(2, "FIXME", "trailing"),
                    plain(4, "XXX", "in the string, counted by the line scan"),
                ),
                "line 3: unterminated triple-quoted string literal",
                "tokenize+line-scan",
            ),
        ),
        (
            "if x:\n        a = 1  # TODO kept\n    b = 2  # TODO lost\n# FIXME line scan\n",
            TodoScan(
                P,
                (plain(2, "TODO", "kept"), plain(4, "FIXME", "line scan")),
                "line 3: unindent does not match any outer indentation level",
                "tokenize+line-scan",
            ),
        ),
        # Unclosed brackets: every line was tokenized, so no line scan is needed.
        (
            "x = [1,\n    # TODO inside\n    f(2,\n",
            TodoScan(
                P,
                (plain(2, "TODO", "inside"),),
                "line 1: '[' was never closed",
                "tokenize",
            ),
        ),
        (
            "x = 1  # TODO a\ny = 2 + \\\n",
            TodoScan(
                P,
                (plain(1, "TODO", "a"),),
                "line 3: unexpected end of file after a line continuation",
                "tokenize",
            ),
        ),
        # A stray quote: the rest of its line may be string, the next lines are fine.
        (
            "x = \"it's\" + 'unclosed  # TODO maybe in the string\ny = 1  # TODO after\n",
            TodoScan(
                P,
                (plain(2, "TODO", "after"),),
                "line 1: unterminated string literal",
                "tokenize",
            ),
        ),
        # Syntax errors the tokenizer does not notice are not scan errors.
        ("if x return 1  # TODO ok\n", TodoScan(P, (plain(1, "TODO", "ok"),), None, "tokenize")),
    ],
)
def test_tokenize_errors(source: str, expected: TodoScan) -> None:
    assert scan_todos(P, source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "x = 1\r\n# TODO at three\r\n# TODO at three\r\n",
        "x = 1\r# TODO at three\r# TODO at three\r",
        "\ufeffx = 1\n# TODO at three\n# TODO at three\n",
    ],
)
def test_line_endings_and_bom(source: str) -> None:
    assert items(source) == (plain(2, "TODO", "at three"), plain(3, "TODO", "at three"))


@pytest.mark.parametrize(
    "data, expected",
    [
        (
            "# -*- coding: latin-1 -*-\n# TODO café\n".encode("latin-1"),
            TodoScan(P, (plain(2, "TODO", "café"),), None, "tokenize"),
        ),
        (
            "# TODO café\n".encode("utf-8"),
            TodoScan(P, (plain(1, "TODO", "café"),), None, "tokenize"),
        ),
        (
            b"\xef\xbb\xbf# TODO bom\n",
            TodoScan(P, (plain(1, "TODO", "bom"),), None, "tokenize"),
        ),
        (
            b"# TODO x\n\xff\n",
            TodoScan(
                P,
                (),
                "not valid UTF-8 at byte 9 (line 2); re-save the file as UTF-8",
                "none",
            ),
        ),
        # An undecodable first line is what detect_encoding calls a bad declaration.
        (
            b"x = '\xe9'\n",
            TodoScan(
                P,
                (),
                "not valid UTF-8 at byte 5 (line 1); re-save the file as UTF-8",
                "none",
            ),
        ),
        # Offsets count the byte-order mark.
        (
            b"\xef\xbb\xbf# a\n\xc3(\n",
            TodoScan(
                P,
                (),
                "not valid UTF-8 at byte 7 (line 2); re-save the file as UTF-8",
                "none",
            ),
        ),
        (
            b"# coding: ascii\n# TODO caf\xc3\xa9\n",
            TodoScan(
                P,
                (),
                "not valid ascii at byte 26 (line 2); re-save the file as UTF-8",
                "none",
            ),
        ),
        (
            b"# coding: klingon\n# TODO x\n",
            TodoScan(
                P,
                (),
                "unknown encoding: klingon; fix the coding line or re-save the file as UTF-8",
                "none",
            ),
        ),
    ],
)
def test_bytes(data: bytes, expected: TodoScan) -> None:
    assert scan_todos_bytes(P, data) == expected


def test_scan_all_sorts_by_path() -> None:
    scans = scan_all([("b.py", b"# TODO b\n"), ("a.py", b"x = 1\n")])
    assert [scan.path for scan in scans] == ["a.py", "b.py"]
    assert scans[1].items == (
        TodoItem("b.py", 1, "TODO", "plain", None, None, None, None, None, "b"),
    )


def test_items_are_hashable() -> None:
    assert len({item for _, item in DEMO_ROWS}) == len(DEMO_ROWS)
