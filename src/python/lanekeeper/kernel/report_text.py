"""Small pieces of text that every goal's reports share: counted nouns and file diffs."""

from __future__ import annotations

import difflib

from lanekeeper.kernel.source_text import decode_source


def counted(n: int, noun: str) -> str:
    """`1 file`, `2 files`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A `diff -u` of two versions of `path` (`a/<path>`, `b/<path>`), for reports."""
    old_lines = _decode_for_diff(old).splitlines(keepends=True)
    new_lines = _decode_for_diff(new).splitlines(keepends=True)
    out: list[str] = []
    for line in difflib.unified_diff(old_lines, new_lines, f"a/{path}", f"b/{path}"):
        if line.endswith("\n"):
            out.append(line)
        else:
            # As diff and git do, so the report stays one line per line.
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _decode_for_diff(source: bytes) -> str:
    decoded = decode_source(source)
    return decoded.text if decoded.text is not None else source.decode("utf-8", errors="replace")
