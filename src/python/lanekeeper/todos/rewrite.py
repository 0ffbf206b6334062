"""`pants todo-audit --rewrite`: TODOs of declared formats rewritten into the guide's grammar.

Only structured items of a declared format are rewritten. The text the format read (from the
kind to the end of the JSON object, or of the pattern's match) is replaced by the guide's
grammar, and everything else stays byte for byte: the code, the line ending, the encoding,
whatever follows, and a pragma before the TODO. So `x  # noqa: F401  # TODO[T4-...]: {...}`
becomes `x  # noqa: F401  # TODO[2026-...]... : ...`: the TODO stays a comment of its own after
the same pragma, which ruff (`# noqa`) and mypy (`# type: ignore[...]`) read up to the next
`#`, as they did before.

Fields the guide's grammar has no tag for (a JSON key no field reads, the tag in brackets, a
scope it does not know) are carried into the message, `message (tag: T4-ISSUE; code: B008)`,
except the keys of the format's `drop`, which the report lists instead. An item with no date
gets the run's date, and one with no scope `UNKNOWN`; the report says so. Every rewritten TODO
is read back with the guide's grammar before anything is kept: it must come out structured with
the same fields. An item that cannot be rewritten (malformed, no owner or priority) is left as it
is, with the reason. A file that cannot be decoded or tokenized is an error: nothing of it is
rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Optional, Sequence

from lanekeeper.kernel.report_text import counted, unified_diff
from lanekeeper.kernel.source_text import decode_source
from lanekeeper.todos.formats import TodoFormat
from lanekeeper.todos.grammar import (
    CANONICAL,
    MALFORMED,
    STRUCTURED,
    UNKNOWN_SCOPE,
    TodoItem,
    canonical_todo,
    find_todo,
    parse_comment,
    parse_todo,
    source_comments,
)

# Python's line breaks, kept: split() returns the lines and the breaks between them.
_LINE_BREAKS = re.compile(r"(\r\n|\r|\n)")


@dataclass(frozen=True)
class TodoEdit:
    """One TODO rewritten: its line, format, the text replaced and the text written.

    `carried` are the fields moved into the message, `dropped` those left out of it (the
    format's `drop`), `filled` the values the TODO did not have, each `key: value`.
    """

    line: int
    format: str
    before: str
    after: str
    carried: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    filled: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeftTodo:
    """A TODO of a declared format that is left as it is, and why."""

    line: int
    format: str
    reason: str


@dataclass(frozen=True)
class TodoRewrite:
    """The rewrite of one file: `new_source` is set when at least one TODO was rewritten."""

    path: str
    new_source: Optional[bytes] = None
    edits: tuple[TodoEdit, ...] = ()
    left: tuple[LeftTodo, ...] = ()
    error: Optional[str] = None


def rewrite_todos(
    path: str, data: bytes, formats: Sequence[TodoFormat], today: date
) -> TodoRewrite:
    """Rewrite every structured TODO of `formats` in the file `path` (its bytes `data`)."""
    decoded = decode_source(data)
    if decoded.text is None:
        return TodoRewrite(path, error=decoded.error)
    bom = "\ufeff" if decoded.text.startswith("\ufeff") else ""
    text = decoded.text[len(bom) :]
    comments, error, _ = source_comments(text)
    if error is not None:
        return TodoRewrite(path, error=f"{error}: the file does not tokenize; fix it first")
    by_name = {declared.name: declared for declared in formats}
    parts = _LINE_BREAKS.split(text)
    edits: list[TodoEdit] = []
    left: list[LeftTodo] = []
    for comment in comments:
        found = find_todo(comment.text)
        if found is None:
            continue
        start, kind = found
        todo = comment.text[start:]
        item = parse_todo(path, comment.line, kind, todo, formats)
        declared = by_name.get(item.format or CANONICAL)
        if declared is None:
            continue
        if item.status == MALFORMED:
            left.append(LeftTodo(comment.line, declared.name, "; ".join(item.problems)))
            continue
        claimed = declared.parse(path, comment.line, kind, todo)
        assert claimed is not None and claimed.item == item
        before = todo[: claimed.end]
        edit, reason = _edit(item, declared, before, today)
        if edit is None:
            left.append(LeftTodo(comment.line, declared.name, reason))
            continue
        index = 2 * (comment.line - 1)
        column = comment.column + start
        line_text = parts[index]
        assert line_text[column : column + len(before)] == before
        new_line = line_text[:column] + edit.after + line_text[column + len(before) :]
        problem = _read_back(path, comment.line, new_line[comment.column :], item)
        if problem is not None:
            left.append(LeftTodo(comment.line, declared.name, problem))
            continue
        parts[index] = new_line
        edits.append(edit)
    if not edits:
        return TodoRewrite(path, left=tuple(left))
    try:
        new_source = (bom + "".join(parts)).encode(decoded.encoding)
    except UnicodeEncodeError as e:
        return TodoRewrite(
            path,
            left=tuple(left),
            error=f"the rewritten text has {e.object[e.start : e.end]!r}, which "
            f"{decoded.encoding} cannot encode; re-save the file as UTF-8",
        )
    return TodoRewrite(path, new_source, tuple(edits), tuple(left))


def _edit(
    item: TodoItem, declared: TodoFormat, before: str, today: date
) -> tuple[Optional[TodoEdit], str]:
    """The edit of one structured item, or None and why it cannot be rewritten."""
    if item.priority is None or item.owner is None:
        missing = "priority" if item.priority is None else "owner"
        return None, (
            f"no {missing}, which the guide's grammar requires; make it required or set "
            f"`defaults.{missing}` in the format"
        )
    carried = tuple(f"{k}: {v}" for k, v in item.extras if k not in declared.drop)
    dropped = tuple(f"{k}: {v}" for k, v in item.extras if k in declared.drop)
    message = item.message
    if carried:
        message = f"{message} ({'; '.join(carried)})" if message else "; ".join(carried)
    if not message:
        return None, "no message and no other field to write after ' : '"
    filled = []
    if item.date is None:
        filled.append(f"date: {today.isoformat()} (the run's date; the TODO has none)")
    if item.scope == UNKNOWN_SCOPE and not any(k == "scope" for k, _ in item.extras):
        filled.append(f"scope: {UNKNOWN_SCOPE} (the TODO has none; set `defaults.scope`)")
    after = canonical_todo(
        item.kind,
        item.date or today.isoformat(),
        item.priority,
        item.owner,
        item.scope or UNKNOWN_SCOPE,
        item.issue,
        message,
    )
    return TodoEdit(item.line, declared.name, before, after, carried, dropped, tuple(filled)), ""


def _read_back(path: str, line: int, comment: str, item: TodoItem) -> Optional[str]:
    """None when `comment` reads back as `item` in the guide's grammar, else the problem."""
    again = parse_comment(path, line, comment)
    if again is None or again.status != STRUCTURED:
        problems = "; ".join(again.problems) if again is not None else "no TODO"
        return f"the rewrite would not read back as structured ({problems})"
    fields = ("priority", "owner", "scope", "issue")
    if any(getattr(again, f) != getattr(item, f) for f in fields):
        return "the rewrite would not read back with the same fields"
    return None


# ---------------------------------------------------------------------------------------------
# The reports


def rewrite_diff(rewrites: Iterable[TodoRewrite], originals: Mapping[str, bytes]) -> str:
    """One `diff -u` of every rewritten file, by path: what `--apply` writes."""
    return "".join(
        unified_diff(r.path, originals[r.path], r.new_source)
        for r in sorted(rewrites, key=lambda r: r.path)
        if r.new_source is not None
    )


def rewrite_report(rewrites: Iterable[TodoRewrite], applied: bool) -> dict[str, Any]:
    """`todo_rewrite.json`: every edit, every TODO left and why, every file that failed."""
    rewrites = sorted(rewrites, key=lambda r: r.path)
    return {
        "applied": applied,
        "files_rewritten": sum(r.new_source is not None for r in rewrites),
        "todos_rewritten": sum(len(r.edits) for r in rewrites),
        "todos_left": sum(len(r.left) for r in rewrites),
        "edits": [{"file": r.path, **vars(edit)} for r in rewrites for edit in r.edits],
        "left": [{"file": r.path, **vars(todo)} for r in rewrites for todo in r.left],
        "errors": [{"file": r.path, "error": r.error} for r in rewrites if r.error],
    }


def rewrite_summary(rewrites: Iterable[TodoRewrite]) -> list[str]:
    """The console lines: what is rewritten, what is left and why, which files failed."""
    rewrites = sorted(rewrites, key=lambda r: r.path)
    edits = [edit for r in rewrites for edit in r.edits]
    files = sum(r.new_source is not None for r in rewrites)
    left = [(r.path, todo) for r in rewrites for todo in r.left]
    lines = [
        f"Rewrite to the guide's grammar: {counted(len(edits), 'TODO')} in "
        f"{counted(files, 'file')}; {len(left)} left as they are."
    ]
    dropped = sorted({field.split(":", 1)[0] for edit in edits for field in edit.dropped})
    if dropped:
        lines.append(
            f"Left out of the messages (`drop`): {', '.join(dropped)}; every value is in the "
            "JSON report."
        )
    undated = sum(1 for edit in edits if any(f.startswith("date:") for f in edit.filled))
    if undated:
        lines.append(f"{counted(undated, 'TODO')} had no date: dated with the run's date.")
    lines += [f"left: {path}:{todo.line} ({todo.format}): {todo.reason}" for path, todo in left]
    lines += [f"error: {r.path}: {r.error}" for r in rewrites if r.error]
    return lines
