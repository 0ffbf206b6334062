from __future__ import annotations

import dataclasses
import itertools

import pytest

from lanekeeper.imports import ImportEdge
from lanekeeper.testing import demo_config
from lanekeeper.violations import (
    LaneViolation,
    find_violations,
    import_column,
    imported_module,
    violations_json,
)

DEMO = demo_config()

# Written out independently of the config: what each lane may import besides itself.
MAY_IMPORT = {
    "candidate": {"core", "matriz", "MATRIZ", "universal_language"},
    "core": {"matriz", "MATRIZ", "universal_language"},
    "lukhas": {"core", "matriz", "MATRIZ", "universal_language"},
    "products": {"lukhas", "core", "matriz", "MATRIZ", "universal_language"},
    "matriz": set(),
    "MATRIZ": set(),
    "universal_language": set(),
}

PLUGINS = "demo/core/config/plugins.py"
PLUGINS_SOURCE = '''"""Plugins."""

from __future__ import annotations

import json

from matriz import Node

import lukhas.service.facade
from products import report
'''


def edge(importer: str, line: int, module: str, imported: str) -> ImportEdge:
    return ImportEdge(importer=importer, line=line, module=module, imported=imported)


def violation(
    path: str,
    line: int,
    col: int,
    module: str,
    importer_lane: str,
    imported_lane: str,
    imported_path: str,
) -> LaneViolation:
    return LaneViolation(path, line, col, module, importer_lane, imported_lane, imported_path)


@pytest.mark.parametrize("importer, imported", list(itertools.product(MAY_IMPORT, repeat=2)))
def test_every_lane_pair(importer: str, imported: str) -> None:
    path = f"demo/{importer}/a.py"
    target = f"demo/{imported}/b.py"
    found = find_violations(DEMO, path, "import b\n", [edge(path, 1, f"{imported}.b", target)])
    if importer == imported or imported in MAY_IMPORT[importer]:
        assert found == ()
    else:
        assert found == (violation(path, 1, 1, f"{imported}.b", importer, imported, target),)


@pytest.mark.parametrize(
    "importer, imported",
    [
        ("demo/matriz_utils/helpers.py", "demo/lukhas/service/facade.py"),  # unlaned importer
        ("demo/core/config/plugins.py", "demo/matriz_utils/helpers.py"),  # unlaned imported
        ("tools/script.py", "src/lib.py"),  # neither laned
    ],
)
def test_unlaned_code_is_not_a_lane_decision(importer: str, imported: str) -> None:
    assert find_violations(DEMO, importer, "import x\n", [edge(importer, 1, "x", imported)]) == ()


def test_the_demo_file_with_two_violations() -> None:
    edges = [
        edge(PLUGINS, 10, "products.report", "demo/products/report.py"),
        edge(PLUGINS, 7, "matriz", "demo/matriz/__init__.py"),
        edge(PLUGINS, 9, "lukhas.service.facade", "demo/lukhas/service/facade.py"),
        # Another file's edge in the same batch is not this file's finding.
        edge("demo/lukhas/service/export.py", 6, "products.report", "demo/products/report.py"),
    ]
    found = find_violations(DEMO, PLUGINS, PLUGINS_SOURCE, edges)
    assert found == (
        violation(
            PLUGINS,
            9,
            1,
            "lukhas.service.facade",
            "core",
            "lukhas",
            "demo/lukhas/service/facade.py",
        ),
        violation(PLUGINS, 10, 1, "products.report", "core", "products", "demo/products/report.py"),
    )
    assert [v.render(DEMO) for v in found] == [
        "demo/core/config/plugins.py:9:1 LK001 lukhas.service.facade (lane lukhas) may not be "
        "imported from lane core\n"
        "  fix: lane 'core' may import core, matriz, MATRIZ, universal_language; promote "
        "lukhas.service.facade into one of those lanes, or move demo/core/config/plugins.py to a "
        "lane that may import 'lukhas' (lukhas, products)",
        "demo/core/config/plugins.py:10:1 LK001 products.report (lane products) may not be "
        "imported from lane core\n"
        "  fix: lane 'core' may import core, matriz, MATRIZ, universal_language; promote "
        "products.report into one of those lanes, or move demo/core/config/plugins.py to a "
        "lane that may import 'products' (products)",
    ]


@pytest.mark.parametrize(
    "importer, module, imported, rendered",
    [
        (
            "demo/universal_language/glossary.py",
            "core.scoring.weights",
            "demo/core/scoring/weights.py",
            "demo/universal_language/glossary.py:5:1 LK001 core.scoring.weights (lane core) may "
            "not be imported from lane universal_language\n"
            "  fix: lane 'universal_language' may import universal_language; promote "
            "core.scoring.weights into one of those lanes, or move "
            "demo/universal_language/glossary.py to a lane that may import 'core' "
            "(candidate, core, lukhas, products)",
        ),
        (
            "demo/candidate/dream_engine/engine.py",
            "lukhas.service.facade",
            "demo/lukhas/service/facade.py",
            "demo/candidate/dream_engine/engine.py:5:1 LK001 lukhas.service.facade (lane lukhas) "
            "may not be imported from lane candidate\n"
            "  fix: lane 'candidate' may import candidate, core, matriz, MATRIZ, "
            "universal_language; promote lukhas.service.facade into one of those lanes, or move "
            "demo/candidate/dream_engine/engine.py to a lane that may import 'lukhas' "
            "(lukhas, products)",
        ),
        (
            "demo/core/scoring/rank.py",
            "candidate.memory_index",
            "demo/candidate/memory_index/__init__.py",
            "demo/core/scoring/rank.py:5:1 LK001 candidate.memory_index (lane candidate) may not "
            "be imported from lane core\n"
            "  fix: lane 'core' may import core, matriz, MATRIZ, universal_language; promote "
            "candidate.memory_index into one of those lanes, or move demo/core/scoring/rank.py to "
            "a lane that may import 'candidate' (candidate)",
        ),
        (
            "demo/MATRIZ/graph.py",
            "matriz.graph",
            "demo/matriz/graph.py",
            "demo/MATRIZ/graph.py:5:1 LK001 matriz.graph (lane matriz) may not be imported from "
            "lane MATRIZ\n"
            "  fix: lane 'MATRIZ' may import MATRIZ; promote matriz.graph into one of those "
            "lanes, or move demo/MATRIZ/graph.py to a lane that may import 'matriz' "
            "(candidate, core, lukhas, products, matriz)",
        ),
    ],
)
def test_render(importer: str, module: str, imported: str, rendered: str) -> None:
    source = '"""Doc."""\n\nfrom __future__ import annotations\n\nimport x\n'
    (found,) = find_violations(DEMO, importer, source, [edge(importer, 5, module, imported)])
    assert found.render(DEMO) == rendered
    assert len(found.render(DEMO).splitlines()) == 2


def test_explicit_dependency() -> None:
    path = "demo/lukhas/service/export.py"
    edges = [
        edge(path, 3, "products.report", "demo/products/report.py"),
        edge(path, 0, "demo/products:report", "demo/products/report.py"),
    ]
    found = find_violations(DEMO, path, "\n\n    import products.report\n", edges)
    explicit = violation(
        path, 0, 0, "demo/products:report", "lukhas", "products", "demo/products/report.py"
    )
    assert found == (
        explicit,
        violation(path, 3, 5, "products.report", "lukhas", "products", "demo/products/report.py"),
    )
    assert found[0].explicit and not found[1].explicit
    assert found[0].render(DEMO) == (
        "demo/lukhas/service/export.py: LK001 demo/products:report (lane products) may not be "
        "imported from lane lukhas (explicit dependency in a BUILD file)\n"
        "  fix: lane 'lukhas' may import lukhas, core, matriz, MATRIZ, universal_language; remove "
        "the dependency from the BUILD file, or move demo/lukhas/service/export.py to a lane "
        "that may import 'products' (products)"
    )


def test_one_statement_resolving_to_one_file_is_one_violation() -> None:
    path = "demo/core/a.py"
    report = "demo/products/report.py"
    edges = [
        # `from products.report import render_text, render_json`
        edge(path, 2, "products.report.render_text", report),
        edge(path, 2, "products.report.render_json", report),
        edge(path, 2, "products.report.render_json", report),  # reported twice by inference
        # `from products import report, util`: two files, two violations.
        edge(path, 4, "products.util", "demo/products/util.py"),
        edge(path, 4, "products.report", report),
        # The same module on another line is another statement.
        edge(path, 6, "products.report", report),
    ]
    source = "import os\nfrom products.report import render_text, render_json\n\n" * 2
    found = find_violations(DEMO, path, source, edges)
    assert [(v.line, v.module, v.imported_path) for v in found] == [
        (2, "products.report", report),
        (4, "products.report", report),
        (4, "products.util", "demo/products/util.py"),
        (6, "products.report", report),
    ]


def test_sorted_by_line_column_module() -> None:
    path = "demo/core/a.py"
    source = "import lukhas.b\n\nif True:\n    import products.c; import lukhas.d\n"
    edges = [
        edge(path, 4, "lukhas.d", "demo/lukhas/d.py"),
        edge(path, 4, "products.c", "demo/products/c.py"),
        edge(path, 1, "lukhas.b", "demo/lukhas/b.py"),
        edge(path, 0, "demo/lukhas:z", "demo/lukhas/z.py"),
    ]
    found = find_violations(DEMO, path, source, edges)
    assert [(v.line, v.col, v.module) for v in found] == [
        (0, 0, "demo/lukhas:z"),
        (1, 1, "lukhas.b"),
        (4, 5, "lukhas.d"),
        (4, 5, "products.c"),
    ]
    assert list(found) == sorted(found)


@pytest.mark.parametrize(
    "source, line, column",
    [
        ("import a\n", 1, 1),
        ("import os\n\ndef f() -> None:\n    import a\n", 4, 5),
        ("if TYPE_CHECKING:\n    if x:\n        from a import b\n", 3, 9),
        ("def f():\n\timport a\n", 2, 2),  # a tab is one column
        ("def f():\n\t\t  import a\n", 2, 5),
        ("x = 1\r\n  import a\r\n", 2, 3),  # CRLF
        ("x = 1\r  import a\r", 2, 3),  # old Mac line ends
        ("x = 1\x0c\n   import a\n", 2, 4),  # a form feed is not a line break for Python
        ("\ufeffimport a\n", 1, 1),  # byte-order mark
        ("\x0c  import a\n", 1, 4),  # a form feed is a character of the indentation
        ("import a\n   \n", 2, 1),  # a blank line has no first character
        ("import a\n", 2, 1),  # the empty line after the last newline
        ("import a\n", 3, 1),  # past the end
        ("import a\n", 0, 1),  # explicit dependency
        ("", 1, 1),
    ],
)
def test_import_column(source: str, line: int, column: int) -> None:
    assert import_column(source, line) == column


def test_columns_in_findings() -> None:
    path = "demo/core/a.py"
    source = "def load() -> None:\n\tif True:\n\t\timport lukhas.b\n"
    (found,) = find_violations(DEMO, path, source, [edge(path, 3, "lukhas.b", "demo/lukhas/b.py")])
    assert (found.line, found.col) == (3, 3)
    assert found.render(DEMO).startswith("demo/core/a.py:3:3 LK001 lukhas.b (lane lukhas) ")


def test_no_edges() -> None:
    assert find_violations(DEMO, PLUGINS, PLUGINS_SOURCE, []) == ()


def test_violation_is_frozen_hashable_and_ordered() -> None:
    a = violation("p.py", 1, 1, "m", "core", "lukhas", "q.py")
    b = violation("p.py", 2, 1, "m", "core", "lukhas", "q.py")
    assert a < b and len({a, b, dataclasses.replace(a)}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.line = 3  # type: ignore[misc]


def test_violations_json() -> None:
    found = find_violations(
        DEMO, PLUGINS, PLUGINS_SOURCE, [edge(PLUGINS, 10, "products", "demo/products/__init__.py")]
    )
    expected: list[dict[str, object]] = [
        {
            "path": PLUGINS,
            "line": 10,
            "col": 1,
            "module": "products",
            "importer_lane": "core",
            "imported_lane": "products",
            "imported_path": "demo/products/__init__.py",
        }
    ]
    assert violations_json(found) == expected
    assert violations_json([]) == []


@pytest.mark.parametrize(
    "name, imported_path, module",
    [
        (
            "lukhas.service.facade.LukhasService",
            "demo/lukhas/service/facade.py",
            "lukhas.service.facade",
        ),
        ("lukhas.service.facade", "demo/lukhas/service/facade.py", "lukhas.service.facade"),
        ("products.report", "demo/products/__init__.py", "products"),
        ("products.report", "demo/products/report.py", "products.report"),
        ("a.b.c", "stubs/a/b.pyi", "a.b"),
        ("x.y", "demo/elsewhere.py", "x.y"),
        ("x.y", "demo/x", "x.y"),
    ],
)
def test_imported_module(name: str, imported_path: str, module: str) -> None:
    assert imported_module(name, imported_path) == module
