"""TODO, FIXME, XXX and HACK comments, and the machine-readable TODO format.

The structured format is

    # TODO[YYYY-MM-DD][PRIORITY:HIGH|MED|LOW][OWNER:@user][SCOPE:PROD|CANDIDATE|DOCS][ISSUE:n] : msg

with `[ISSUE:n]` optional. Only comments count: the source is tokenized, so the word TODO in a
string or docstring never does. A comment is a TODO when its body (the text after `#` and any
spaces or tabs) starts with a kind, case-sensitive, followed by `[`, `:`, whitespace, `(` or
the end of the comment; or when a later `#` after whitespace starts one: the tokenizer makes
`# noqa: F401  # TODO ...` one comment, but the TODO after the pragma is one of its own. A kind
later in a body (`# noqa: E402 TODO ...`) is a mention, not a TODO; `x = 1  # TODO ...` counts,
because that trailing comment is a comment of its own.

Each TODO gets one status:

- `structured`: the kind is followed by `[` and every tag is present, valid and in order;
- `malformed`: the kind is followed by `[` (it attempts the format) but something is wrong;
  `problems` says what, and the tag fields stay None, since none of them can be trusted;
- `plain`: anything else (`# TODO: fix`, `# FIXME(alice) ...`, `# TODO [2026-01-01]...`).

Every kind may use the format (`# FIXME[2026-01-01][PRIORITY:LOW]...` is structured). An
unknown SCOPE value keeps the TODO structured with scope `UNKNOWN`, as the cleanup guide asks.

A repo may declare formats of its own (`lanekeeper.todos.formats`): a TODO that is not structured
in the guide's grammar is offered to them in order, and the first that claims it decides its
status. `format` names the grammar an item was read in: `canonical` (the guide's), a declared
format's name, or None for a plain TODO.

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
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence

from lanekeeper.kernel.source_text import decode_source

if TYPE_CHECKING:
    from lanekeeper.todos.formats import TodoFormat

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
# The `format` of items read in the guide's grammar.
CANONICAL = "canonical"

_KIND = re.compile(f"({'|'.join(KINDS)})" + r"(?=[\[:(\s]|$)")
# Where a comment's body, or a later comment after whitespace (`# noqa: F401  # TODO`), begins.
_BODY = re.compile(r"(?:^|(?<=\s))#[ \t]*")
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
    `format` is `canonical`, a declared format's name, or None (plain). `extras` holds the
    fields of a declared item that the inventory has no column for, as written.
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
    format: Optional[str] = None
    extras: tuple[tuple[str, str], ...] = ()

    @property
    def mentions_sensitive(self) -> bool:
        """Whether the message is about security, privacy or safety: convert, never delete."""
        return _SENSITIVE.search(self.message) is not None

    def to_json_dict(self) -> dict[str, Any]:
        fields = dataclasses.asdict(self)
        fields["problems"] = list(self.problems)
        fields["extras"] = [list(pair) for pair in self.extras]
        fields["sensitive"] = self.mentions_sensitive
        return fields


def malformed_item(
    path: str,
    line: int,
    kind: str,
    message: str,
    problems: Iterable[str],
    format: str,
    extras: tuple[tuple[str, str], ...] = (),
) -> TodoItem:
    """A TODO that attempts a format but is wrong: no field of it can be trusted, so none is set."""
    return TodoItem(
        path,
        line,
        kind,
        MALFORMED,
        None,
        None,
        None,
        None,
        None,
        message,
        tuple(problems),
        format,
        extras,
    )


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


def find_todo(comment: str) -> Optional[tuple[int, str]]:
    """Where the TODO of one comment starts (the offset of its kind) and its kind, or None.

    `comment` is a comment as the tokenizer yields it (`# ...`), or a body without the `#`.
    """
    starts = [] if comment.startswith("#") else [0]
    starts += [body.end() for body in _BODY.finditer(comment)]
    for start in starts:
        match = _KIND.match(comment, start)
        if match is not None:
            return start, match.group(1)
    return None


def parse_comment(
    path: str, line: int, comment: str, formats: Sequence[TodoFormat] = ()
) -> Optional[TodoItem]:
    """The TodoItem of one comment (`# ...`, as the tokenizer yields it), or None if no TODO."""
    found = find_todo(comment)
    if found is None:
        return None
    start, kind = found
    return parse_todo(path, line, kind, comment[start:], formats)


def parse_todo(
    path: str, line: int, kind: str, text: str, formats: Sequence[TodoFormat] = ()
) -> TodoItem:
    """The item of `text`, a TODO from its kind on: the guide's grammar, then declared formats."""
    rest = text[len(kind) :]
    canonical = _parse_structured(path, line, kind, rest) if rest.startswith("[") else None
    if canonical is not None and canonical.status == STRUCTURED:
        return canonical
    for declared in formats:
        claimed = declared.parse(path, line, kind, text)
        if claimed is not None:
            return claimed.item
    if canonical is not None:
        return canonical
    message = rest.strip()
    # `TODO: msg` and `TODO msg` carry the same message.
    if message.startswith(":"):
        message = message[1:].lstrip()
    return TodoItem(path, line, kind, PLAIN, None, None, None, None, None, message)


def canonical_todo(
    kind: str,
    date: str,
    priority: str,
    owner: str,
    scope: str,
    issue: Optional[str],
    message: str,
) -> str:
    """A TODO in the guide's grammar, from its kind on (no `#`); `parse_todo` reads it back."""
    issue_tag = "" if issue is None else f"[ISSUE:{issue}]"
    tags = f"[{date}][PRIORITY:{priority}][OWNER:{owner}][SCOPE:{scope}]{issue_tag}"
    return f"{kind}{tags}{_SEPARATOR}{message}"


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
        if not is_date(date_value):
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
        return malformed_item(path, line, kind, message, problems, CANONICAL)
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
        format=CANONICAL,
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


def is_date(value: str) -> bool:
    """Whether `value` is a real date written YYYY-MM-DD."""
    if not _DATE.fullmatch(value):
        return False
    try:
        date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return False
    return True


def is_github_user(name: str) -> bool:
    return _GITHUB_USER.fullmatch(name) is not None


def _value_problems(key: str, value: str) -> list[str]:
    """What is wrong with one tag's value; an unknown scope is not wrong, it is UNKNOWN."""
    if key == "PRIORITY" and value not in PRIORITIES:
        return [f"unknown priority '{value}' (want HIGH, MED or LOW)"]
    if key == "OWNER":
        if not value.startswith("@"):
            return [f"owner '{value}' must start with '@'"]
        if not is_github_user(value[1:]):
            return [f"owner '{value}' is not '@' and a GitHub user name"]
    if key == "ISSUE" and not _ISSUE.fullmatch(value):
        return [f"bad issue '{value}' (want a number, like [ISSUE:42])"]
    return []


@dataclass(frozen=True)
class Comment:
    """One comment: its 1-based line, the 0-based column of its `#`, and its text."""

    line: int
    column: int
    text: str


def _tokenized_comments(source: str) -> tuple[list[Comment], Optional[str], str]:
    """Every comment of `source` (newlines already `\\n`), the error and the method."""
    comments: list[Comment] = []
    opened: list[tuple[int, str]] = []
    # Lines with a quote that never closes: their comments may be part of the string.
    stray_quotes: set[int] = set()
    error: Optional[str] = None
    fallback_line: Optional[int] = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments.append(Comment(token.start[0], token.start[1], token.string))
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
    comments = [c for c in comments if c.line not in stray_quotes]
    if fallback_line is None:
        return comments, error, METHOD_TOKENIZE
    kept = [c for c in comments if c.line < fallback_line]
    lines = source.split("\n")
    for number in range(fallback_line, len(lines) + 1):
        text = lines[number - 1]
        stripped = text.lstrip(" \t\f")
        if stripped.startswith("#"):
            kept.append(Comment(number, len(text) - len(stripped), stripped.rstrip()))
    return kept, error, METHOD_FALLBACK


def source_comments(source: str) -> tuple[list[Comment], Optional[str], str]:
    """`_tokenized_comments` of a file's decoded text, whatever its line breaks."""
    if source.startswith("\ufeff"):
        source = source[1:]
    # The tokenizer splits lines on "\n" only; Python also ends lines with "\r".
    return _tokenized_comments(_LINE_BREAK.sub("\n", source))


def scan_todos(path: str, source: str, formats: Sequence[TodoFormat] = ()) -> TodoScan:
    """Every TODO comment of the file `path`, whose text is `source`, by line."""
    comments, error, method = source_comments(source)
    items = []
    for comment in comments:
        item = parse_comment(path, comment.line, comment.text, formats)
        if item is not None:
            items.append(item)
    return TodoScan(path, tuple(items), error, method)


def scan_todos_bytes(path: str, data: bytes, formats: Sequence[TodoFormat] = ()) -> TodoScan:
    """`scan_todos` for a file's bytes, decoded as Python does (PEP 263 coding line or UTF-8)."""
    decoded = decode_source(data)
    if decoded.text is None:
        return TodoScan(path, (), decoded.error, METHOD_NONE)
    return scan_todos(path, decoded.text, formats)


def scan_all(
    files: Iterable[tuple[str, bytes]], formats: Sequence[TodoFormat] = ()
) -> tuple[TodoScan, ...]:
    """`scan_todos_bytes` of every `(path, bytes)` pair, sorted by path."""
    return tuple(scan_todos_bytes(path, data, formats) for path, data in sorted(files))
