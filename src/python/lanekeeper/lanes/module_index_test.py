from __future__ import annotations

from typing import Optional

import pytest

from lanekeeper.lanes.import_statements import ImportedName
from lanekeeper.lanes.module_index import AMBIGUOUS, RESOLVED, UNRESOLVED, ModuleIndex, Resolution

INDEX = ModuleIndex.build(
    {
        "core": ["src/core/__init__.py"],
        # A module shadowed by a package of the same name, beside it.
        "core.common": ["src/core/common.py", "src/core/common/__init__.py"],
        "core.common.util": ["src/core/common/util.py"],
        "core.typed": ["src/core/typed.py", "src/core/typed.pyi"],
        # The same module on two path entries: Python imports whichever comes first.
        "core.twice": ["src/core/twice.py", "legacy/core/twice.py"],
        # A namespace package: `core/ns/` has no `__init__.py`.
        "core.ns.leaf": ["src/core/ns/leaf.py"],
        "labs": ["src/labs/__init__.py"],
        "labs.tool": ["src/labs/tool.py"],
    }
)


def name(imported: str, module: str = "") -> ImportedName:
    return ImportedName(imported, module or imported)


@pytest.mark.parametrize(
    "imported, expected",
    [
        (
            name("core.common"),
            Resolution(RESOLVED, "core.common", ("src/core/common/__init__.py",)),
        ),
        (
            name("core.common.util"),
            Resolution(RESOLVED, "core.common.util", ("src/core/common/util.py",)),
        ),
        # `from core.common import X`: X is a name inside the package.
        (
            name("core.common.X", "core.common"),
            Resolution(RESOLVED, "core.common", ("src/core/common/__init__.py",)),
        ),
        # A stub only types the module: the `.py` runs.
        (name("core.typed"), Resolution(RESOLVED, "core.typed", ("src/core/typed.py",))),
        (
            name("core.twice"),
            Resolution(AMBIGUOUS, "core.twice", ("legacy/core/twice.py", "src/core/twice.py")),
        ),
        (name("core.ns"), Resolution(RESOLVED, "core.ns", ("src/core/ns",), namespace=True)),
        # No such module: laned by the longest prefix that exists.
        (
            name("core.interfaces.di.get", "core.interfaces.di"),
            Resolution(UNRESOLVED, "core.interfaces.di", ("src/core/__init__.py",), "core"),
        ),
        (
            name("core.common.missing.f", "core.common.missing"),
            Resolution(
                UNRESOLVED, "core.common.missing", ("src/core/common/__init__.py",), "core.common"
            ),
        ),
        # The module named exists (a namespace package), the name in it does not.
        (
            name("core.ns.gone", "core.ns"),
            Resolution(UNRESOLVED, "core.ns.gone", ("src/core/ns",), "core.ns", namespace=True),
        ),
        # `import a.b` needs the module `a.b`: `b` cannot be a name inside `a`.
        (
            name("core.common.X"),
            Resolution(
                UNRESOLVED, "core.common.X", ("src/core/common/__init__.py",), "core.common"
            ),
        ),
        # Not first-party: the standard library, third-party packages.
        (name("json"), None),
        (name("requests.adapters"), None),
        (name("core_utils"), None),
    ],
)
def test_resolve(imported: ImportedName, expected: Optional[Resolution]) -> None:
    assert INDEX.resolve(imported) == expected


def test_explicit_dependencies_settle_an_ambiguity_as_they_do_for_pants() -> None:
    chosen = INDEX.resolve(name("core.twice"), chosen={"src/core/twice.py"})
    assert chosen == Resolution(RESOLVED, "core.twice", ("src/core/twice.py",))
    ignored = INDEX.resolve(name("core.twice"), ignored={"src/core/twice.py"})
    assert ignored == Resolution(RESOLVED, "core.twice", ("legacy/core/twice.py",))


@pytest.mark.parametrize(
    "path, module, package",
    [
        ("src/core/common/util.py", "core.common.util", "core.common"),
        ("src/core/common/__init__.py", "core.common", "core.common"),
        ("src/labs/tool.py", "labs.tool", "labs"),
        ("tools/script.py", None, None),
    ],
)
def test_module_and_package_of_a_file(
    path: str, module: Optional[str], package: Optional[str]
) -> None:
    assert INDEX.module_of(path) == module
    assert INDEX.package_of(path) == package


def test_a_top_level_module_has_the_empty_package() -> None:
    index = ModuleIndex.build({"setup": ["setup.py"]})
    assert index.package_of("setup.py") == ""


def test_the_index_is_equal_by_its_modules() -> None:
    again = ModuleIndex.build({"b": ["b.py"], "a": ["a.py", "a.py"]})
    assert again == ModuleIndex.build({"a": ["a.py"], "b": ["b.py"]})
    assert hash(again) == hash(ModuleIndex.build({"a": ["a.py"], "b": ["b.py"]}))
