from __future__ import annotations

import pytest

from lanekeeper.rename.narrow_rewrite import (
    FORMATTED,
    IMPORTS_SORTED,
    NOT_FORMATTED,
    RENAME_ONLY,
    NarrowRewrite,
    changed_lines,
    narrow_rewrite,
    sort_changed_import_blocks,
)

# A file black would reformat from top to bottom (quotes, spacing), with one legacy import.
MESSY = b"""import attr
import candidate.memory_index
import json
x = { 'a':1 }
def f( y ):
    return candidate.memory_index.get( y )
"""
MESSY_RENAMED = MESSY.replace(b"candidate.memory_index", b"lanes.memory_index")


def test_a_file_that_was_not_formatter_clean_gets_the_rename_and_its_import_block_sorted() -> None:
    formatted_messy = b'import attr\nimport json\nx = {"a": 1}\n'  # whatever black makes of it
    result = narrow_rewrite("a.py", MESSY, MESSY_RENAMED, formatted_messy, b"formatted\n")
    assert result == NarrowRewrite(
        "a.py",
        b"""import attr
import json
import lanes.memory_index
x = { 'a':1 }
def f( y ):
    return lanes.memory_index.get( y )
""",
        IMPORTS_SORTED,
        rename_lines=2,
        format_lines=1,
    )
    assert result.lines == 3


def test_a_formatter_clean_file_gets_the_formatters_output() -> None:
    clean = b"import matriz\n"
    result = narrow_rewrite("a.py", clean, b"import MATRIZ\n", clean, b"import MATRIZ  # fmt\n")
    assert (result.content, result.formatting) == (b"import MATRIZ  # fmt\n", FORMATTED)
    assert (result.rename_lines, result.format_lines) == (1, 0)
    wrapped = narrow_rewrite("a.py", clean, b"import MATRIZ\n", clean, b"(\n  MATRIZ\n)\n")
    assert (wrapped.rename_lines, wrapped.format_lines) == (1, 2)


def test_without_formatting_the_rename_is_written_as_it_is() -> None:
    result = narrow_rewrite("a.py", MESSY, MESSY_RENAMED)
    assert (result.content, result.formatting, result.lines) == (MESSY_RENAMED, NOT_FORMATTED, 2)
    in_order = narrow_rewrite("a.py", b"import a\n", b"import b\n", b"import  a\n", b"")
    assert (in_order.content, in_order.formatting) == (b"import b\n", RENAME_ONLY)


@pytest.mark.parametrize(
    "before, after",
    [
        # Nested blocks too; case is ignored; a trailing comment moves with its statement.
        (
            b"def f():\n    import attr\n    import candidate.memory_index  # keep\n"
            b"    import JSON\n",
            b"def f():\n    import attr\n    import JSON\n    import lanes.memory_index  # keep\n",
        ),
        # A statement over several lines moves as a whole; CRLF endings stay.
        (
            b"from attr import x\r\nfrom candidate.memory_index import (\r\n    a,\r\n)\r\n"
            b"from json import y\r\n",
            b"from attr import x\r\nfrom json import y\r\nfrom lanes.memory_index import (\r\n"
            b"    a,\r\n)\r\n",
        ),
    ],
)
def test_a_changed_block_that_was_in_order_is_sorted(before: bytes, after: bytes) -> None:
    rewritten = before.replace(b"candidate.memory_index", b"lanes.memory_index")
    assert sort_changed_import_blocks(before, rewritten) == after


def test_an_import_the_rewrite_added_is_placed_too() -> None:
    # A use through the parent package: the rewrite adds the canonical import after the parent's.
    before = b"import attr\nimport candidate\nimport json\n"
    rewritten = b"import attr\nimport candidate\nimport lanes.memory_index\nimport json\n"
    assert sort_changed_import_blocks(before, rewritten) == (
        b"import attr\nimport candidate\nimport json\nimport lanes.memory_index\n"
    )


@pytest.mark.parametrize(
    "before",
    [
        # The block was not in order before: the repo does not sort it, so neither do we.
        b"import zlib\nimport attr\nimport candidate.memory_index\nimport json\n",
        b"import os\nimport candidate.memory_index\n",  # sections without a blank line
        # A comment line and a blank line end a block: statements never move across them.
        b"import attr\nimport candidate.memory_index\n# json next\nimport json\n",
        b"import candidate.memory_index\n\nimport json\n",
        # Statements sharing a line, or at the end of a file with no newline, stay put.
        b"import candidate.memory_index; import json\n",
        b"import candidate.memory_index\nimport json; x = 1\n",
        b"import attr\nimport json\nimport candidate.memory_index",
        # A block nobody changed is not touched, even when out of order.
        b"import zlib\nimport attr\nfrom candidate.memory_index import x\n\nx()\n",
        # Not Python: the rewrite is written as it is.
        b"import candidate.memory_index\nimport json\nif x return\n",
    ],
)
def test_blocks_that_stay_as_they_are(before: bytes) -> None:
    rewritten = before.replace(b"candidate.memory_index", b"lanes.memory_index")
    assert sort_changed_import_blocks(before, rewritten) == rewritten


def test_changed_lines_count_a_replaced_line_once() -> None:
    assert changed_lines(b"a\nb\nc\n", b"a\nB\nc\n") == 1
    assert changed_lines(b"a\nb\nc\n", b"a\nb\nb2\nc\n") == 1
    assert changed_lines(b"a\nb\nc\n", b"x\ny\n") == 3
    assert changed_lines(b"a\nb", b"a\nb\n") == 1
    assert changed_lines(b"same\r\n", b"same\r\n") == 0
