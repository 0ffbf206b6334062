from __future__ import annotations

from lanekeeper.lanes.imports import ImportEdge, reachable, read_file_imports
from lanekeeper.lanes.module_index import ModuleIndex

INDEX = ModuleIndex.build(
    {
        "app": ["src/app/__init__.py"],
        "app.main": ["src/app/main.py"],
        "app.util": ["src/app/util.py", "src/app/util/__init__.py"],
        "app.twice": ["src/app/twice.py", "other/app/twice.py"],
        "app.ns.leaf": ["src/app/ns/leaf.py"],
    }
)


def test_edges_join_statements_to_files() -> None:
    source = (
        b"from . import util\n"  # the package shadows util.py
        b"from .util import (\n    a,\n    b,\n)\n"
        b"import app.twice\n"  # ambiguous: no edge
        b"import app.ns\n"  # a namespace package: a directory, no edge
        b"import app.gone\n"  # unresolved: no edge
        b"import json\n"
    )
    explicit = (ImportEdge("src/app/main.py", 0, "other/app:twice", "other/app/twice.py"),)
    imports = read_file_imports("src/app/main.py", source, INDEX, explicit)
    assert [(s.line, s.col) for s in imports.statements] == [(1, 1), (2, 1), (6, 1), (7, 1), (8, 1)]
    assert imports.edges == (
        ImportEdge("src/app/main.py", 0, "other/app:twice", "other/app/twice.py"),
        ImportEdge("src/app/main.py", 1, "app.util", "src/app/util/__init__.py"),
        ImportEdge("src/app/main.py", 2, "app.util", "src/app/util/__init__.py"),
    )


def test_explicit_dependencies_settle_which_file_is_meant() -> None:
    imports = read_file_imports(
        "src/app/main.py", b"import app.twice\n", INDEX, chosen={"other/app/twice.py"}
    )
    assert imports.edges == (ImportEdge("src/app/main.py", 1, "app.twice", "other/app/twice.py"),)


def test_an_undecodable_file_has_no_statements_but_says_why() -> None:
    imports = read_file_imports("src/app/main.py", b"import app.util\nx = '\xff'\n", INDEX)
    assert imports.statements == ()
    assert imports.not_utf8 is not None and imports.not_utf8.offset == 21
    assert imports.parse_error == "not valid UTF-8 at byte 21 (line 2); re-save the file as UTF-8"


def test_reachable() -> None:
    edges = [
        ImportEdge("a.py", 1, "b", "b.py"),
        ImportEdge("b.py", 1, "c", "c.py"),
        ImportEdge("c.py", 1, "b", "b.py"),
        ImportEdge("d.py", 1, "a", "a.py"),
    ]
    assert reachable(edges, ["a.py"]) == {"b.py", "c.py"}
    assert reachable(edges, ["b.py"]) == {"b.py", "c.py"}  # back to itself through c
    assert reachable(edges, ["b.py"], reverse=True) == {"a.py", "b.py", "c.py", "d.py"}
    assert reachable(edges, ["x.py"]) == set()
