from __future__ import annotations

import pytest

from lanekeeper.lanes.imports import ImportEdge
from lanekeeper.promote.module import (
    Promotion,
    PromotionError,
    dotted_name,
    module_directory,
    module_importers,
    plan_promotion,
)
from lanekeeper.testing import demo_config

MODULE = "src/candidate/mod"


def edge(importer: str, line: int, imported: str) -> ImportEdge:
    return ImportEdge(importer, line, imported.replace("/", "."), imported)


def test_module_directory_is_the_common_folder() -> None:
    assert module_directory([f"{MODULE}/a.py", f"{MODULE}/sub/b.py"]) == MODULE
    with pytest.raises(ValueError):
        module_directory([])


def test_module_importers_are_the_files_outside_it_that_import_it() -> None:
    edges = [
        edge("src/core/a.py", 3, f"{MODULE}/x.py"),
        edge(f"{MODULE}/y.py", 1, f"{MODULE}/x.py"),  # inside the module
        edge("src/core/b.py", 1, "src/core/a.py"),
        ImportEdge("src/lukhas/c.py", 0, "src/candidate/mod:lib", MODULE),  # explicit
    ]
    assert module_importers(MODULE, edges) == ["src/core/a.py", "src/lukhas/c.py"]


DEMO = demo_config()
MEMORY_INDEX = ["demo/candidate/memory_index/__init__.py", "demo/candidate/memory_index/index.py"]


def test_the_files_of_one_lane_promote_to_the_next() -> None:
    assert plan_promotion(DEMO, MEMORY_INDEX, "core") == Promotion(
        "demo/candidate/memory_index", "candidate", "core"
    )


@pytest.mark.parametrize(
    "files, to, message",
    [
        (
            [],
            "core",
            "no Python files in the given specs: name the module's directory, e.g. "
            "`pants promote --to=core demo/candidate/memory_index::`.",
        ),
        (
            MEMORY_INDEX,
            None,
            "`[promote].to` is not set: say which lane to promote demo/candidate/memory_index "
            "to, e.g. --to=core.",
        ),
        (
            ["demo/core/a.py", "elsewhere/b.py"],
            "",
            "`[promote].to` is not set: say which lane to promote the files of the given specs "
            "to, e.g. --to=core.",
        ),
        (
            ["demo/candidate/a.py", "demo/core/b.py", "elsewhere/c.py"],
            "core",
            "the files of the given specs: its files are in no lane, candidate, core; promote the "
            "files of one lane at a time.",
        ),
        (
            MEMORY_INDEX,
            "lukhas",
            "cannot promote demo/candidate/memory_index (candidate) to 'lukhas': 'candidate' -> "
            "'lukhas' skips 'core': promote one lane at a time.",
        ),
    ],
)
def test_what_cannot_be_promoted_is_one_line(files: list[str], to: str, message: str) -> None:
    with pytest.raises(PromotionError) as error:
        plan_promotion(DEMO, files, to)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "module, root, name",
    [
        ("demo/candidate/memory_index", "demo", "candidate.memory_index"),
        ("candidate/memory_index", ".", "candidate.memory_index"),
        ("src/python/lk", "src/python", "lk"),
    ],
)
def test_the_dist_folder_is_the_dotted_name_under_the_source_root(
    module: str, root: str, name: str
) -> None:
    assert dotted_name(module, root) == name
