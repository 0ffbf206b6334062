from __future__ import annotations

import dataclasses
import itertools

import pytest

from lanekeeper.lanes.imports import FileImports, ImportEdge, read_file_imports
from lanekeeper.lanes.module_index import ModuleIndex
from lanekeeper.lanes.violations import (
    AMBIGUOUS_IMPORT,
    LANE_VIOLATION,
    NOT_UTF8,
    UNRESOLVED_IMPORT,
    ImportedModule,
    LaneViolation,
    find_violations,
    unreadable_finding,
    violations_json,
)
from lanekeeper.testing import demo_config

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

# The demo tree with `demo` as its source root: every lane has a package with modules b, c, d.
MODULES: dict[str, list[str]] = {}
for _lane in MAY_IMPORT:
    MODULES[_lane] = [f"demo/{_lane}/__init__.py"]
    for _name in ("b", "c", "d"):
        MODULES[f"{_lane}.{_name}"] = [f"demo/{_lane}/{_name}.py"]
MODULES.update(
    {
        "core.config": ["demo/core/config/__init__.py"],
        "core.config.plugins": ["demo/core/config/plugins.py"],
        "core.scoring.weights": ["demo/core/scoring/weights.py"],
        "lukhas.service": ["demo/lukhas/service/__init__.py"],
        "lukhas.service.facade": ["demo/lukhas/service/facade.py"],
        "products.report": ["demo/products/report.py"],
        "products.util": ["demo/products/util.py"],
        "candidate.memory_index": ["demo/candidate/memory_index/__init__.py"],
        "matriz.graph": ["demo/matriz/graph.py"],
        # Provided on two path entries: `demo` and the unlaned `vendor`.
        "core.shared": ["demo/core/shared.py", "vendor/core/shared.py"],
        "lukhas.shared": ["demo/lukhas/shared.py", "legacy/lukhas/shared.py"],
        "tools.script": ["tools/script.py"],
    }
)
INDEX = ModuleIndex.build(MODULES)

PLUGINS = "demo/core/config/plugins.py"
PLUGINS_SOURCE = '''"""Plugins."""

from __future__ import annotations

import json

from matriz import Node

import lukhas.service.facade
from products import report
'''


def imports_of(path: str, source: str, explicit: tuple[ImportEdge, ...] = ()) -> FileImports:
    return read_file_imports(path, source.encode(), INDEX, explicit)


def found(path: str, source: str) -> tuple[LaneViolation, ...]:
    return find_violations(DEMO, imports_of(path, source))


def lk001(path: str, line: int, col: int, lane: str, *imports: ImportedModule) -> LaneViolation:
    return LaneViolation(path, line, col, LANE_VIOLATION, lane, imports)


@pytest.mark.parametrize("importer, imported", list(itertools.product(MAY_IMPORT, repeat=2)))
def test_every_lane_pair(importer: str, imported: str) -> None:
    path = f"demo/{importer}/a.py"
    result = found(path, f"import {imported}.b\n")
    if importer == imported or imported in MAY_IMPORT[importer]:
        assert result == ()
    else:
        expected = ImportedModule(f"{imported}.b", imported, f"demo/{imported}/b.py")
        assert result == (lk001(path, 1, 1, importer, expected),)


@pytest.mark.parametrize(
    "importer, source",
    [
        ("demo/matriz_utils/helpers.py", "import lukhas.service.facade\n"),  # unlaned importer
        ("demo/core/config/plugins.py", "import tools.script\n"),  # unlaned imported
        ("tools/script.py", "import json, requests\n"),  # neither laned
    ],
)
def test_unlaned_code_is_not_a_lane_decision(importer: str, source: str) -> None:
    assert found(importer, source) == ()


def test_the_demo_file_with_two_violations() -> None:
    result = found(PLUGINS, PLUGINS_SOURCE)
    assert [v.render(DEMO) for v in result] == [
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
    "importer, module, rendered",
    [
        (
            "demo/universal_language/glossary.py",
            "core.scoring.weights",
            "demo/universal_language/glossary.py:5:1 LK001 core.scoring.weights (lane core) may "
            "not be imported from lane universal_language\n"
            "  fix: lane 'universal_language' may import universal_language; promote "
            "core.scoring.weights into one of those lanes, or move "
            "demo/universal_language/glossary.py to a lane that may import 'core' "
            "(candidate, core, lukhas, products)",
        ),
        (
            "demo/core/scoring/rank.py",
            "candidate.memory_index",
            "demo/core/scoring/rank.py:5:1 LK001 candidate.memory_index (lane candidate) may not "
            "be imported from lane core\n"
            "  fix: lane 'core' may import core, matriz, MATRIZ, universal_language; promote "
            "candidate.memory_index into one of those lanes, or move demo/core/scoring/rank.py to "
            "a lane that may import 'candidate' (candidate)",
        ),
        (
            "demo/MATRIZ/graph.py",
            "matriz.graph",
            "demo/MATRIZ/graph.py:5:1 LK001 matriz.graph (lane matriz) may not be imported from "
            "lane MATRIZ\n"
            "  fix: lane 'MATRIZ' may import MATRIZ; promote matriz.graph into one of those "
            "lanes, or move demo/MATRIZ/graph.py to a lane that may import 'matriz' "
            "(candidate, core, lukhas, products, matriz)",
        ),
    ],
)
def test_render(importer: str, module: str, rendered: str) -> None:
    source = f'"""Doc."""\n\nfrom __future__ import annotations\n\nimport {module}\n'
    (violation,) = found(importer, source)
    assert violation.render(DEMO) == rendered


def test_a_statement_over_several_lines_is_one_finding_at_its_first_line() -> None:
    path = "demo/core/a.py"
    source = (
        "import os\n"
        "from products.report import (\n"
        "    render_text,\n"
        "    render_json,\n"
        ")\n"
        "from products import report, util\n"
        "from products.report import render_text\n"
    )
    report = ImportedModule("products.report", "products", "demo/products/report.py")
    util = ImportedModule("products.util", "products", "demo/products/util.py")
    assert found(path, source) == (
        lk001(path, 2, 1, "core", report),
        lk001(path, 6, 1, "core", report, util),
        lk001(path, 7, 1, "core", report),
    )
    assert found(path, source)[1].render(DEMO).splitlines()[0] == (
        "demo/core/a.py:6:1 LK001 products.report, products.util (lane products) may not be "
        "imported from lane core"
    )


def test_one_statement_into_two_lanes() -> None:
    (violation,) = found("demo/core/a.py", "import lukhas.b, products.c\n")
    assert violation.render(DEMO) == (
        "demo/core/a.py:1:1 LK001 lukhas.b (lane lukhas), products.c (lane products) may not be "
        "imported from lane core\n"
        "  fix: lane 'core' may import core, matriz, MATRIZ, universal_language; promote "
        "lukhas.b, products.c into one of those lanes, or move demo/core/a.py to a lane that may "
        "import 'lukhas' and 'products' (products)"
    )
    assert violation.keys == (("demo/core/a.py", "lukhas.b"), ("demo/core/a.py", "products.c"))


def test_an_import_of_a_missing_module_is_laned_by_its_longest_existing_prefix() -> None:
    path = "demo/candidate/a.py"
    source = (
        "try:\n"
        "    from lukhas.service.di import get_service\n"
        "except ImportError:\n"
        "    get_service = None\n"
        "import core.missing  # allowed for candidate: not a finding\n"
    )
    (violation,) = found(path, source)
    assert violation == LaneViolation(
        path,
        2,
        5,
        UNRESOLVED_IMPORT,
        "candidate",
        (
            ImportedModule(
                "lukhas.service.di", "lukhas", "demo/lukhas/service/__init__.py", "lukhas.service"
            ),
        ),
    )
    assert violation.render(DEMO) == (
        "demo/candidate/a.py:2:5 LK002 lukhas.service.di (lane lukhas) may not be imported from "
        "lane candidate, and does not exist (its longest existing prefix is lukhas.service)\n"
        "  fix: the import only ever fails (or falls back, inside `try`): remove it, or import "
        "from a lane 'candidate' may import (candidate, core, matriz, MATRIZ, universal_language)"
    )


def test_a_module_provided_in_two_lanes_is_a_finding_of_its_own() -> None:
    (violation,) = found("demo/core/a.py", "import lukhas.shared\n")
    assert violation.code == AMBIGUOUS_IMPORT
    assert violation.render(DEMO) == (
        "demo/core/a.py:1:1 LK003 lukhas.shared is provided by files in different lanes: "
        "demo/lukhas/shared.py (lane lukhas), legacy/lukhas/shared.py (no lane); lane core may "
        "not import lukhas\n"
        "  fix: Python imports whichever comes first on sys.path: rename or remove all but one "
        "of them, or name the one meant in the target's `dependencies`"
    )


def test_an_ambiguity_the_lanes_allow_either_way_is_not_a_finding() -> None:
    assert found("demo/lukhas/a.py", "import core.shared\n") == ()
    assert found("demo/core/a.py", "import lukhas.shared\n") != ()


def test_explicit_dependency() -> None:
    path = "demo/lukhas/service/export.py"
    explicit = (ImportEdge(path, 0, "demo/products:report", "demo/products/report.py"),)
    result = find_violations(DEMO, imports_of(path, "\n\n    import products.report\n", explicit))
    report = ImportedModule("products.report", "products", "demo/products/report.py")
    target = ImportedModule("demo/products:report", "products", "demo/products/report.py")
    # An indented first statement is a syntax error: read from its tokens, still found.
    assert result == (lk001(path, 0, 0, "lukhas", target), lk001(path, 3, 5, "lukhas", report))
    assert result[0].explicit and not result[1].explicit
    assert result[0].render(DEMO) == (
        "demo/lukhas/service/export.py: LK001 demo/products:report (lane products) may not be "
        "imported from lane lukhas (explicit dependency in a BUILD file)\n"
        "  fix: lane 'lukhas' may import lukhas, core, matriz, MATRIZ, universal_language; remove "
        "the dependency from the BUILD file, or move demo/lukhas/service/export.py to a lane "
        "that may import 'products' (products)"
    )


@pytest.mark.parametrize(
    "data, line, col",
    [
        (b"def load() -> None:\n\tif True:\n\t\timport lukhas.b\n", 3, 3),  # a tab is one column
        (b"x = 1\r\nif x:\r\n  import lukhas.b\r\n", 3, 3),
        (b"\xef\xbb\xbfimport lukhas.b\n", 1, 1),  # a byte-order mark is not a column
        (b"s = '\xc3\xa9\xc3\xa9'; import lukhas.b\n", 1, 11),  # characters, not bytes
    ],
)
def test_columns(data: bytes, line: int, col: int) -> None:
    (violation,) = find_violations(DEMO, read_file_imports("demo/core/a.py", data, INDEX))
    assert (violation.line, violation.col) == (line, col)


def test_sorted_by_line_column_and_code() -> None:
    path = "demo/core/a.py"
    source = "import lukhas.b\n\nif True:\n    import products.c; import lukhas.shared\n"
    explicit = (ImportEdge(path, 0, "demo/lukhas:z", "demo/lukhas/z.py"),)
    result = find_violations(DEMO, imports_of(path, source, explicit))
    assert [(v.line, v.col, v.code, v.module) for v in result] == [
        (0, 0, LANE_VIOLATION, "demo/lukhas:z"),
        (1, 1, LANE_VIOLATION, "lukhas.b"),
        (4, 5, LANE_VIOLATION, "products.c"),
        (4, 24, AMBIGUOUS_IMPORT, "lukhas.shared"),
    ]


@pytest.mark.parametrize(
    "data, rendered",
    [
        (
            b"# -*- coding: latin-1 -*-\nimport lukhas.b\ns = 'caf\xe9'\n",
            "demo/core/a.py:3:9 LK004 encoded as iso-8859-1 (its PEP 263 coding line), not UTF-8 "
            "(byte 50, line 3): Pants' dependency inference reads only UTF-8\n"
            "  fix: re-save it as UTF-8 (from iso-8859-1) and remove the coding line",
        ),
        (
            b"import lukhas.b\ns = 'caf\xe9'\n",
            "demo/core/a.py:2:9 LK004 not valid UTF-8 (byte 24, line 2), and no PEP 263 coding "
            "line declares another encoding: neither Python nor Pants' dependency inference can "
            "read it\n"
            "  fix: re-save it as UTF-8; if it must keep another encoding, declare it with a PEP "
            "263 coding line such as `# -*- coding: latin-1 -*-` (Pants still needs UTF-8)",
        ),
    ],
)
def test_a_file_pants_cannot_read(data: bytes, rendered: str) -> None:
    imports = read_file_imports("demo/core/a.py", data, INDEX)
    finding = unreadable_finding(DEMO, imports)
    assert finding is not None and finding.code == NOT_UTF8
    assert finding.render(DEMO) == rendered
    assert finding.keys == ()
    # A file in a declared encoding is valid Python: its imports are still checked.
    checked = [v.module for v in find_violations(DEMO, imports)]
    assert checked == (["lukhas.b"] if b"coding" in data else [])


def test_a_utf8_file_has_no_unreadable_finding() -> None:
    assert unreadable_finding(DEMO, imports_of("demo/core/a.py", "import lukhas.b\n")) is None


def test_violation_is_frozen_hashable_and_ordered() -> None:
    a, b = found("demo/core/a.py", "import lukhas.b\nimport lukhas.c\n")
    assert a < b and len({a, b, dataclasses.replace(a)}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.line = 3  # type: ignore[misc]


def test_violations_json() -> None:
    assert violations_json(found(PLUGINS, "from products import report\n")) == [
        {
            "path": PLUGINS,
            "line": 1,
            "col": 1,
            "code": "LK001",
            "importer_lane": "core",
            "imports": [
                {
                    "module": "products.report",
                    "lane": "products",
                    "path": "demo/products/report.py",
                    "prefix": "",
                }
            ],
            "problem": "",
            "fix": "",
        }
    ]
    assert violations_json([]) == []
