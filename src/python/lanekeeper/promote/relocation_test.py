from __future__ import annotations

import pytest

from lanekeeper.promote.relocation import (
    Relocation,
    RelocationError,
    lane_directory,
    plan_relocation,
    rewrite_build_addresses,
)
from lanekeeper.testing import demo_config

CONFIG = demo_config()
FILES = [
    "demo/candidate/memory_index/index.py",
    "demo/candidate/memory_index/BUILD",
    "demo/candidate/memory_index/__init__.py",
]


def test_plan_keeps_the_path_below_the_lane_directory() -> None:
    plan = plan_relocation(CONFIG, "demo/candidate/memory_index", "demo", "core", FILES)
    assert plan == Relocation(
        source_dir="demo/candidate/memory_index",
        target_dir="demo/core/memory_index",
        old_module="candidate.memory_index",
        new_module="core.memory_index",
        moves=(
            ("demo/candidate/memory_index/BUILD", "demo/core/memory_index/BUILD"),
            ("demo/candidate/memory_index/__init__.py", "demo/core/memory_index/__init__.py"),
            ("demo/candidate/memory_index/index.py", "demo/core/memory_index/index.py"),
        ),
    )
    assert plan.renames == {"candidate.memory_index": "core.memory_index"}
    assert plan.package_dir == "demo/candidate"


@pytest.mark.parametrize(
    "module_dir, to_lane, message",
    [
        (
            "demo/candidate/memory_index",
            "lukhas",
            "'candidate' -> 'lukhas' skips 'core': promote one lane at a time.",
        ),
        (
            "demo/matriz/graph",
            "core",
            "'matriz' is a library: libraries are never promoted.",
        ),
        ("elsewhere/x", "core", "elsewhere/x is in no lane of `[lanes].paths`."),
    ],
)
def test_impossible_moves_are_one_line_errors(module_dir: str, to_lane: str, message: str) -> None:
    with pytest.raises(RelocationError) as error:
        plan_relocation(CONFIG, module_dir, "demo", to_lane, [])
    assert str(error.value) == message


def test_a_lane_without_a_fixed_directory_is_refused() -> None:
    config = demo_config(core=["*/core_lane/**"])
    assert lane_directory(CONFIG, "core") == "demo/core"
    with pytest.raises(RelocationError) as error:
        lane_directory(config, "core")
    assert str(error.value) == (
        "lane 'core' has no fixed directory to move files into: give its first `[lanes].paths` "
        "glob a literal prefix (like `src/core/**`)."
    )


def test_files_outside_the_module_are_refused() -> None:
    with pytest.raises(RelocationError) as error:
        plan_relocation(
            CONFIG, "demo/candidate/memory_index", "demo", "core", ["demo/candidate/x.py"]
        )
    assert str(error.value) == (
        "demo/candidate/x.py is not under the module directory demo/candidate/memory_index."
    )


def test_a_module_outside_its_lane_directory_or_source_root_is_refused() -> None:
    config = demo_config(candidate=["demo/candidate/**", "other/cand/**"])
    with pytest.raises(RelocationError) as error:
        plan_relocation(config, "other/cand/x", "", "core", ["other/cand/x/a.py"])
    assert str(error.value) == (
        "other/cand/x is not below demo/candidate, the directory of lane 'candidate'."
    )
    with pytest.raises(RelocationError) as error:
        plan_relocation(CONFIG, "demo/candidate/memory_index", "src", "core", FILES)
    assert str(error.value) == "demo/candidate/memory_index is not under its source root src."


def test_build_addresses_move_and_look_alikes_stay() -> None:
    before = (
        'python_tests(dependencies=["demo/candidate/memory_index:tests", '
        "'//demo/candidate/memory_index/index.py', \"demo/candidate/memory_index\", "
        '"demo/candidate/memory_index_old:lib", "demo/candidate/other"])\n'
    )
    after = rewrite_build_addresses(before, "demo/candidate/memory_index", "demo/core/memory_index")
    assert after == (
        'python_tests(dependencies=["demo/core/memory_index:tests", '
        "'//demo/core/memory_index/index.py', \"demo/core/memory_index\", "
        '"demo/candidate/memory_index_old:lib", "demo/candidate/other"])\n'
    )
