"""What the migration writes to a file: a diff as narrow as the rename.

A repo's formatter (black, ruff's import sorting) runs on a rewritten file only if it was
formatter-clean before the rewrite; then formatting changes only what the rename moved. A file
that was never formatter-clean would be reformatted from top to bottom, so it gets the rename
alone, with each import block that the rename changed kept in order. Line counts say how much of
a diff is the rename's and how much the formatter's. Pure functions, no formatter here: the
plugin runs the repo's own formatters and hands their output in.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from lanekeeper.kernel.source_text import decode_source

FORMATTED = "formatted"  # formatter-clean before: the formatters' output is written
IMPORTS_SORTED = "imports-sorted"  # not clean: the rename, changed import blocks re-sorted
RENAME_ONLY = "rename-only"  # not clean, and no changed import block needed sorting
NOT_FORMATTED = "not-formatted"  # formatting is off (or the repo has no formatter)


@dataclass(frozen=True)
class NarrowRewrite:
    """The bytes to write to `path`, how they were formatted, and the lines each step changed.

    A changed line counts once: a line replaced, added or removed is one line (so renaming one
    import is one line). `rename_lines` is the rename's own diff; `format_lines` what the
    written diff has beyond it (`rename_lines + format_lines` is the whole diff).
    """

    path: str
    content: bytes
    formatting: str
    rename_lines: int
    format_lines: int

    @property
    def lines(self) -> int:
        return self.rename_lines + self.format_lines


def narrow_rewrite(
    path: str,
    original: bytes,
    rewritten: bytes,
    formatted_original: Optional[bytes] = None,
    formatted_rewritten: Optional[bytes] = None,
) -> NarrowRewrite:
    """The narrowest output for one rewritten file.

    `formatted_original` and `formatted_rewritten` are what the repo's formatters make of the
    file before and after the rename (None: formatting is off). The formatted rewrite is used
    only when formatting the original changes nothing.
    """
    if formatted_original is None or formatted_rewritten is None:
        content, formatting = rewritten, NOT_FORMATTED
    elif formatted_original == original:
        content, formatting = formatted_rewritten, FORMATTED
    else:
        content = sort_changed_import_blocks(original, rewritten)
        formatting = RENAME_ONLY if content == rewritten else IMPORTS_SORTED
    rename_lines = changed_lines(original, rewritten)
    total = changed_lines(original, content)
    return NarrowRewrite(path, content, formatting, rename_lines, max(0, total - rename_lines))


def changed_lines(old: bytes, new: bytes) -> int:
    """Lines a reviewer sees change: a replaced line counts once, as does one added or removed."""
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in _opcodes(old, new) if tag != "equal"
    )


def sort_changed_import_blocks(original: bytes, rewritten: bytes) -> bytes:
    """`rewritten` with each import block that the rewrite changed put back in order.

    A block is a run of import statements, one after the other at one indentation with no blank
    or comment line between them. It is re-sorted only when it was in order before the rewrite
    (`import x` before `from x import y`, each by module name, ignoring case, as isort's and
    ruff's defaults sort); a block the repo does not keep in that order (sections without a
    blank line between them, a custom order) is left as it is. Statements move as whole lines,
    with their trailing comments.
    """
    decoded = decode_source(rewritten)
    if decoded.text is None:
        return rewritten
    try:
        tree = ast.parse(rewritten)
    except (SyntaxError, ValueError):
        return rewritten
    lines = _split_lines(decoded.text)
    touched = _touched_lines(original, rewritten)
    keys_before = _keys_before(original, rewritten)
    replacements: list[tuple[int, int, list[str]]] = []
    for block in _import_blocks(tree, lines):
        if not any(n in touched for s in block for n in range(s.lineno, _end(s) + 1)):
            continue
        before = [keys_before[s.lineno] for s in block if s.lineno in keys_before]
        if before != sorted(before):
            continue
        ordered = sorted(block, key=_sort_key)
        if ordered == block:
            continue
        new_lines = [line for s in ordered for line in lines[s.lineno - 1 : _end(s)]]
        replacements.append((block[0].lineno - 1, _end(block[-1]), new_lines))
    if not replacements:
        return rewritten
    for start, end, new_lines in reversed(replacements):
        lines[start:end] = new_lines
    # The codec that decoded the file writes it back (utf-8-sig puts its byte-order mark back).
    return "".join(lines).encode(decoded.encoding)


_Import = (ast.Import, ast.ImportFrom)


def _import_blocks(tree: ast.AST, lines: Sequence[str]) -> list[list[ast.stmt]]:
    """Runs of two or more import statements that own their lines, in every statement list."""
    blocks: list[list[ast.stmt]] = []
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if not isinstance(body, list):
                continue
            run: list[ast.stmt] = []
            for index, stmt in enumerate(body):
                if not (isinstance(stmt, _Import) and _owns_lines(body, index, lines)):
                    run = _close(run, blocks)
                    continue
                if run and stmt.lineno != _end(run[-1]) + 1:
                    run = _close(run, blocks)
                run.append(stmt)
            _close(run, blocks)
    return blocks


def _close(run: list[ast.stmt], blocks: list[list[ast.stmt]]) -> list[ast.stmt]:
    if len(run) > 1:
        blocks.append(run)
    return []


def _owns_lines(body: Sequence[ast.stmt], index: int, lines: Sequence[str]) -> bool:
    """The statement is alone on its lines, which all end in a newline (it can move)."""
    stmt = body[index]
    end = _end(stmt)
    if index and _end(body[index - 1]) >= stmt.lineno:
        return False
    if index + 1 < len(body) and body[index + 1].lineno <= end:
        return False
    if end > len(lines) or not lines[end - 1].endswith(("\n", "\r")):
        return False
    return not lines[stmt.lineno - 1][: stmt.col_offset].strip()


def _end(stmt: ast.stmt) -> int:
    return stmt.end_lineno or stmt.lineno


def _sort_key(stmt: ast.stmt) -> tuple[int, int, str, str]:
    if isinstance(stmt, ast.Import):
        name = stmt.names[0].name
        return (0, 0, name.lower(), name)
    assert isinstance(stmt, ast.ImportFrom)
    module = stmt.module or ""
    return (1, stmt.level, module.lower(), module)


def _touched_lines(original: bytes, rewritten: bytes) -> set[int]:
    """The 1-based lines of `rewritten` that differ from `original` (replaced or added)."""
    return {
        j + 1
        for tag, _, _, j1, j2 in _opcodes(original, rewritten)
        if tag != "equal"
        for j in range(j1, j2)
    }


def _keys_before(original: bytes, rewritten: bytes) -> dict[int, tuple[int, int, str, str]]:
    """For each import statement of `rewritten` that was in `original` (renamed or not), by
    the line it starts on in `rewritten`: its sort key in `original`. A rename replaces lines
    one for one; the lines it adds (an import beside a parent package's) have no key."""
    try:
        tree = ast.parse(original)
    except (SyntaxError, ValueError):
        return {}
    keys = {n.lineno: _sort_key(n) for n in ast.walk(tree) if isinstance(n, _Import)}
    moved: dict[int, tuple[int, int, str, str]] = {}
    for tag, i1, i2, j1, j2 in _opcodes(original, rewritten):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(i2 - i1):
                if i1 + offset + 1 in keys:
                    moved[j1 + offset + 1] = keys[i1 + offset + 1]
    return moved


def _opcodes(old: bytes, new: bytes) -> Sequence[tuple[str, int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, _lines(old), _lines(new), autojunk=False)
    return matcher.get_opcodes()


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BYTE_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _split_lines(text: str) -> list[str]:
    """Lines with their endings, split where Python's tokenizer splits them (not at \\f)."""
    return _LINE.findall(text)


def _lines(source: bytes) -> list[bytes]:
    return _BYTE_LINE.findall(source)
