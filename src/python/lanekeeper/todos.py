"""TODO, FIXME, XXX and HACK comments, and the machine-readable TODO format.

The structured format is

    # TODO[YYYY-MM-DD][PRIORITY:HIGH|MED|LOW][OWNER:@user][SCOPE:PROD|CANDIDATE|DOCS][ISSUE:n] : msg

with `[ISSUE:n]` optional. Only comments count: the source is tokenized, so the word TODO in a
string or docstring never does. A comment is a TODO when its body (the text after `#` and any
spaces or tabs) starts with a kind, case-sensitive, followed by `[`, `:`, whitespace, `(` or
the end of the comment. A kind later in the body (`# noqa: E402 TODO ...`) is a mention, not a
TODO; `x = 1  # TODO ...` counts, because that trailing comment is a comment of its own.

Each TODO gets one status:

- `structured`: the kind is followed by `[` and every tag is present, valid and in order;
- `malformed`: the kind is followed by `[` (it attempts the format) but something is wrong;
  `problems` says what, and the tag fields stay None, since none of them can be trusted;
- `plain`: anything else (`# TODO: fix`, `# FIXME(alice) ...`, `# TODO [2026-01-01]...`).

Every kind may use the format (`# FIXME[2026-01-01][PRIORITY:LOW]...` is structured). An
unknown SCOPE value keeps the TODO structured with scope `UNKNOWN`, as the cleanup guide asks.

When the tokenizer gives up (a triple-quoted string that never ends, a bad dedent), the
comments it found before that line are kept and the rest of the file is scanned line by line,
counting only lines whose first non-blank character is `#`; `method` says so and `error` names
the line. A quote that never closes on its line is reported too, but needs no line scan: a
single-quoted string ends with its line, so the tokenizer is back in step on the next line;
only the comment after the stray quote is dropped, since it may be part of the string.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tokenize
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

from lanekeeper.source_text import decode_source

KINDS = ("TODO", "FIXME", "XXX", "HACK")
PRIORITIES = ("HIGH", "MED", "LOW")
SCOPES = ("PROD", "CANDIDATE", "DOCS")
UNKNOWN_SCOPE = "UNKNOWN"

STRUCTURED = "structured"
MALFORMED = "malformed"
PLAIN = "plain"

METHOD_TOKENIZE = "tokenize"
METHOD_FALLBACK = "tokenize+line-scan"
# The file could not be decoded, so nothing was scanned.
METHOD_NONE = "none"

_KIND = re.compile(f"({'|'.join(KINDS)})" + r"(?=[\[:(\s]|$)")
# One `[...]` tag; nested or stray brackets are a problem of their own.
_TAG = re.compile(r"\[([^\[\]]*)\]")
_KEYED = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
# [0-9], not \d: \d also matches other scripts' digits, which int() would accept.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISSUE = re.compile(r"[0-9]+")
# GitHub user names: letters, digits and single hyphens, not at either end, at most 39.
_GITHUB_USER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
# The cleanup guide: never delete TODOs about security, privacy or (model) safety. Stems, so
# "secure", "insecure", "cybersecurity" and "model-safety" all match; "safe" alone does not,
# or every "thread-safe" would.
_SENSITIVE = re.compile(r"secur|privacy|safety", re.IGNORECASE)
# Python's line breaks only; str.splitlines also splits on form feeds and Unicode separators.
_LINE_BREAK = re.compile(r"\r\n|\r")
_SEPARATOR = " : "
_REQUIRED = ("PRIORITY", "OWNER", "SCOPE")
_TAG_ORDER = _REQUIRED + ("ISSUE",)
_WANT_ORDER = "[YYYY-MM-DD][PRIORITY:...][OWNER:...][SCOPE:...][ISSUE:...]"


@dataclass(frozen=True)
class TodoItem:
    """One TODO comment. `line` is 1-based; the tag fields are set only for structured items.

    `problems` lists, for a malformed item, everything wrong with it, one phrase each.
    """

    path: str
    line: int
    kind: str
    status: str
    date: Optional[str]
    priority: Optional[str]
    owner: Optional[str]
    scope: Optional[str]
    issue: Optional[str]
    message: str
    problems: tuple[str, ...] = ()

    @property
    def mentions_sensitive(self) -> bool:
        """Whether the message is about security, privacy or safety: convert, never delete."""
        return _SENSITIVE.search(self.message) is not None

    def to_json_dict(self) -> dict[str, Any]:
        fields = dataclasses.asdict(self)
        fields["problems"] = list(self.problems)
        fields["sensitive"] = self.mentions_sensitive
        return fields


@dataclass(frozen=True)
class TodoScan:
    """The TODOs of one file, by line, and how they were found.

    `error` is None, or one line (`line N: <what>`, or why the file could not be decoded);
    `method` is `tokenize`, `tokenize+line-scan` (after a tokenize error) or `none`.
    """

    path: str
    items: tuple[TodoItem, ...]
    error: Optional[str] = None
    method: str = METHOD_TOKENIZE


def parse_comment(path: str, line: int, comment: str) -> Optional[TodoItem]:
    """The TodoItem of one comment (`# ...`, as the tokenizer yields it), or None if no TODO."""
    body = comment[1:].lstrip(" \t") if comment.startswith("#") else comment
    match = _KIND.match(body)
    if match is None:
        return None
    kind, rest = match.group(1), body[match.end() :]
    if not rest.startswith("["):
        message = rest.strip()
        # `TODO: msg` and `TODO msg` carry the same message.
        if message.startswith(":"):
            message = message[1:].lstrip()
        return TodoItem(path, line, kind, PLAIN, None, None, None, None, None, message)
    return _parse_structured(path, line, kind, rest)


def _parse_structured(path: str, line: int, kind: str, rest: str) -> TodoItem:
    """Parse `[...][...]... : message`, collecting every problem rather than the first."""
    problems: list[str] = []
    groups: list[str] = []
    position = 0
    unclosed = False
    while rest.startswith("[", position):
        tag = _TAG.match(rest, position)
        if tag is None:
            unclosed = True
            break
        groups.append(tag.group(1))
        position = tag.end()
    tail = rest[position:]

    date_value: Optional[str] = None
    if groups and not _KEYED.fullmatch(groups[0]):
        date_value = groups.pop(0)
        if not _is_date(date_value):
            problems.append(f"bad date '{date_value}' (want YYYY-MM-DD)")
    elif not unclosed:
        problems.append("missing [YYYY-MM-DD] date as the first tag")

    values: dict[str, str] = {}
    for group in groups:
        keyed = _KEYED.fullmatch(group)
        if keyed is None:
            problems.append(f"tag '[{group}]' is not KEY:value (want {_WANT_ORDER})")
            continue
        key, value = keyed.group(1), keyed.group(2)
        if key not in _TAG_ORDER:
            problems.append(f"unknown tag '[{group}]' (want PRIORITY, OWNER, SCOPE or ISSUE)")
        elif key in values:
            problems.append(f"[{key}:...] appears twice")
        else:
            values[key] = value
            problems.extend(_value_problems(key, value))

    if unclosed:
        # What follows the bracket cannot be read as tags, so missing tags and the separator
        # would only repeat this problem; the message is a best guess.
        problems.append("a '[' in the tags is never closed (write each tag as [KEY:value])")
        message = tail.split(_SEPARATOR, 1)[-1].strip()
    else:
        if list(values) != [key for key in _TAG_ORDER if key in values]:
            problems.append(f"tags out of order (want {_WANT_ORDER})")
        problems.extend(f"missing [{key}:...]" for key in _REQUIRED if key not in values)
        message, problem = _split_message(tail)
        if problem is not None:
            problems.append(problem)

    if problems:
        return TodoItem(
            path, line, kind, MALFORMED, None, None, None, None, None, message, tuple(problems)
        )
    scope = values["SCOPE"]
    return TodoItem(
        path=path,
        line=line,
        kind=kind,
        status=STRUCTURED,
        date=date_value,
        priority=values["PRIORITY"],
        owner=values["OWNER"],
        scope=scope if scope in SCOPES else UNKNOWN_SCOPE,
        issue=values.get("ISSUE"),
        message=message,
    )


def _split_message(tail: str) -> tuple[str, Optional[str]]:
    """The message after the tags, and the problem with the separator, if any."""
    if tail.startswith(_SEPARATOR):
        message = tail[len(_SEPARATOR) :].strip()
        return message, None if message else "empty message after ' : '"
    # Best guess for reports: `] msg`, `]: msg` and `]  :  msg` all mean "msg".
    message = tail.strip()
    if message.startswith(":"):
        message = message[1:].lstrip()
    if not message:
        return "", "missing ' : ' and a message after the tags"
    return message, "missing ' : ' between the tags and the message"


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return False
    return True


def _value_problems(key: str, value: str) -> list[str]:
    """What is wrong with one tag's value; an unknown scope is not wrong, it is UNKNOWN."""
    if key == "PRIORITY" and value not in PRIORITIES:
        return [f"unknown priority '{value}' (want HIGH, MED or LOW)"]
    if key == "OWNER":
        if not value.startswith("@"):
            return [f"owner '{value}' must start with '@'"]
        if not _GITHUB_USER.fullmatch(value[1:]):
            return [f"owner '{value}' is not '@' and a GitHub user name"]
    if key == "ISSUE" and not _ISSUE.fullmatch(value):
        return [f"bad issue '{value}' (want a number, like [ISSUE:42])"]
    return []


def _comments(source: str) -> tuple[list[tuple[int, str]], Optional[str], str]:
    """Every `(line, comment)` of `source` (newlines already `\\n`), the error and the method."""
    comments: list[tuple[int, str]] = []
    opened: list[tuple[int, str]] = []
    # Lines with a quote that never closes: their comments may be part of the string.
    stray_quotes: set[int] = set()
    error: Optional[str] = None
    fallback_line: Optional[int] = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments.append((token.start[0], token.string))
            elif token.type == tokenize.OP and token.string in "([{":
                opened.append((token.start[0], token.string))
            elif token.type == tokenize.OP and token.string in ")]}" and opened:
                opened.pop()
            elif token.type == tokenize.ERRORTOKEN and token.string in ("'", '"'):
                stray_quotes.add(token.start[0])
                if error is None:
                    error = f"line {token.start[0]}: unterminated string literal"
    except tokenize.TokenError as exc:
        message, (line, _) = exc.args
        if "multi-line statement" in str(message):
            # The end of the file inside brackets or after a backslash: every line was
            # tokenized, so every comment was seen; only the statement is unfinished.
            if opened:
                line, bracket = opened[0]
                error = f"line {line}: '{bracket}' was never closed"
            else:
                line = min(line, source.count("\n") + 1)
                error = f"line {line}: unexpected end of file after a line continuation"
        else:
            fallback_line = line
            if "multi-line string" in str(message):
                error = f"line {line}: unterminated triple-quoted string literal"
            else:
                error = f"line {line}: {message}"
    except SyntaxError as exc:  # IndentationError: a dedent that matches no outer indent
        fallback_line = exc.lineno or 1
        error = f"line {fallback_line}: {exc.msg}"
    # A comment token never precedes a quote on its line, so every comment on such a line
    # follows the stray quote.
    comments = [(line, text) for line, text in comments if line not in stray_quotes]
    if fallback_line is None:
        return comments, error, METHOD_TOKENIZE
    kept = [(line, text) for line, text in comments if line < fallback_line]
    lines = source.split("\n")
    for number in range(fallback_line, len(lines) + 1):
        stripped = lines[number - 1].lstrip(" \t\f")
        if stripped.startswith("#"):
            kept.append((number, stripped.rstrip()))
    return kept, error, METHOD_FALLBACK


def scan_todos(path: str, source: str) -> TodoScan:
    """Every TODO comment of the file `path`, whose text is `source`, by line."""
    if source.startswith("\ufeff"):
        source = source[1:]
    # The tokenizer splits lines on "\n" only; Python also ends lines with "\r".
    comments, error, method = _comments(_LINE_BREAK.sub("\n", source))
    items = []
    for line, comment in comments:
        item = parse_comment(path, line, comment)
        if item is not None:
            items.append(item)
    return TodoScan(path, tuple(items), error, method)


def scan_todos_bytes(path: str, data: bytes) -> TodoScan:
    """`scan_todos` for a file's bytes, decoded as Python does (PEP 263 coding line or UTF-8)."""
    decoded = decode_source(data)
    if decoded.text is None:
        return TodoScan(path, (), decoded.error, METHOD_NONE)
    return scan_todos(path, decoded.text)


def scan_all(files: Iterable[tuple[str, bytes]]) -> tuple[TodoScan, ...]:
    """`scan_todos_bytes` of every `(path, bytes)` pair, sorted by path."""
    return tuple(scan_todos_bytes(path, data) for path, data in sorted(files))
