from __future__ import annotations

import ast
import sys
from typing import Optional

import pytest

from lanekeeper.lanes.import_statements import (
    ImportedName,
    ImportStatement,
    _statements_from_ast,
    _statements_from_tokens,
    absolute_module,
    import_statements,
)
from lanekeeper.testing import stdlib_sample


def names(*pairs: str) -> tuple[ImportedName, ...]:
    """`"a.b.C:a.b"` -> ImportedName("a.b.C", "a.b"); a bare name is its own module."""
    return tuple(ImportedName(*(p.split(":") if ":" in p else (p, p))) for p in pairs)


CASES = [
    ("import a.b\n", [(1, 1, names("a.b"))]),
    ("import a.b as c, d\n", [(1, 1, names("a.b", "d"))]),
    ("from a.b import C, D as E\n", [(1, 1, names("a.b.C:a.b", "a.b.D:a.b"))]),
    # One statement over several lines is one entry, at its first line.
    ("from a.b import (\n    C,\n    D,\n)\n", [(1, 1, names("a.b.C:a.b", "a.b.D:a.b"))]),
    ("from a.b import \\\n    C\n", [(1, 1, names("a.b.C:a.b"))]),
    ("from a import *\n", [(1, 1, names("a"))]),
    # Relative imports, from the package `pkg.sub`.
    ("from . import x\n", [(1, 1, names("pkg.sub.x:pkg.sub"))]),
    ("from .m import A\n", [(1, 1, names("pkg.sub.m.A:pkg.sub.m"))]),
    ("from .. import y\n", [(1, 1, names("pkg.y:pkg"))]),
    ("from ..n.o import p\n", [(1, 1, names("pkg.n.o.p:pkg.n.o"))]),
    # Above the top-level package: Python raises ImportError, so there is nothing to resolve.
    ("from ... import deep\n", []),
    # Nested statements, at the column of their keyword; `;` separates statements.
    ("def f():\n    import a\n", [(2, 5, names("a"))]),
    ("try:\n    import a\nexcept ImportError:\n    a = None\n", [(2, 5, names("a"))]),
    ("if x: import a; import b\n", [(1, 7, names("a")), (1, 17, names("b"))]),
    ("class K:\n    from a import b\n", [(2, 5, names("a.b:a"))]),
    # Columns count characters, not bytes; a tab is one character.
    ("x = 'é'; import a\n", [(1, 10, names("a"))]),
    ("if x:\n\timport a\n", [(2, 2, names("a"))]),
    # Not statements: strings, comments, `yield from`, `raise ... from`.
    ('"""\nimport a\n"""\n# import b\n', []),
    ("def g():\n    yield from h()\n    raise E from None\n", []),
    # Old Mac line endings end lines too.
    ("import a\rimport b\r", [(1, 1, names("a")), (2, 1, names("b"))]),
]


@pytest.mark.parametrize("source, expected", CASES)
def test_statements(source: str, expected: list) -> None:
    found = import_statements(source, "pkg.sub")
    assert found.statements == tuple(ImportStatement(*entry) for entry in expected)
    assert found.parse_error is None


@pytest.mark.parametrize("source, expected", CASES)
def test_the_token_reader_agrees_with_ast(source: str, expected: list) -> None:
    tree = ast.parse(source)
    from_ast = _statements_from_ast(tree, source, "pkg.sub")
    assert tuple(_statements_from_tokens(source, "pkg.sub")) == from_ast


def test_a_file_with_a_syntax_error_is_read_from_its_tokens() -> None:
    source = "import a\nprint 'python 2'\nfrom b import (\n    c,\n)\n"
    found = import_statements(source, None)
    assert found.parse_error is not None and found.parse_error.startswith("line 2: ")
    assert found.statements == (
        ImportStatement(1, 1, names("a")),
        ImportStatement(3, 1, names("b.c:b")),
    )


@pytest.mark.parametrize("opener", ['"""', "("])
def test_an_unclosed_string_or_bracket_hides_the_rest_of_the_file(opener: str) -> None:
    found = import_statements(f"import a\nx = {opener}\nimport b\n", None)
    assert found.statements == (ImportStatement(1, 1, names("a")),)


def test_syntax_newer_than_the_engines_python_is_read() -> None:
    # `match` is Python 3.10: the engine's 3.9 reads this file from its tokens; 3.11 with ast.
    source = "match x:\n    case 1:\n        import a\n    case _:\n        from b import c\n"
    assert import_statements(source, None).statements == (
        ImportStatement(3, 9, names("a")),
        ImportStatement(5, 9, names("b.c:b")),
    )


def test_relative_imports_without_a_package_are_dropped() -> None:
    assert import_statements("from . import x\nimport y\n", None).statements == (
        ImportStatement(2, 1, names("y")),
    )


@pytest.mark.parametrize(
    "module, level, package, expected",
    [
        ("a", 0, None, "a"),
        ("m", 1, "", None),  # `from .m import x` in a top-level module
        ("m", 1, "p", "p.m"),
        (None, 1, "p.q", "p.q"),
        (None, 2, "p.q", "p"),
        (None, 3, "p.q", None),
    ],
)
def test_absolute_module(
    module: Optional[str], level: int, package: Optional[str], expected: Optional[str]
) -> None:
    assert absolute_module(module, level, package) == expected


def test_both_readers_agree_on_the_standard_library() -> None:
    """The token reader is the fallback for files ast cannot parse: on every file ast can, it
    must find exactly what ast finds."""
    checked = 0
    for path in stdlib_sample():
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        assert tuple(_statements_from_tokens(text, "pkg")) == _statements_from_ast(
            tree, text, "pkg"
        ), path
        checked += 1
    assert checked > 250, sys.version
