from __future__ import annotations

from pathlib import Path

import pytest
import tomllib

from lanekeeper.testing import RENAMES, lane_options


def test_the_demo_model_is_what_pants_toml_declares_for_demo() -> None:
    config = tomllib.loads(Path("pants.toml").read_text(encoding="utf-8"))
    lanes = config["lanes"]
    demo = [name for name, globs in lanes["paths"].items() if globs[0].startswith("demo/")]
    declared = {
        "order": lanes["order"],
        "libraries": [library for library in lanes["libraries"] if library in demo],
        "production": lanes["production"],
        "paths": {name: lanes["paths"][name] for name in demo},
        "allowed_imports": {
            lane: others for lane, others in lanes["allowed_imports"].items() if lane in demo
        },
    }
    assert lane_options() == declared
    assert RENAMES == config["matriz-migrate"]["renames"]


def test_a_part_of_the_model_keeps_the_imports_among_its_lanes() -> None:
    assert lane_options("candidate", "core", "matriz", root="src") == {
        "order": ["candidate", "core"],
        "libraries": ["matriz"],
        "production": ["core"],
        "paths": {
            "candidate": ["src/candidate/**"],
            "core": ["src/core/**"],
            "matriz": ["src/matriz/**"],
        },
        "allowed_imports": {"candidate": ["core", "matriz"], "core": ["matriz"]},
    }
    with pytest.raises(ValueError, match="^not a lane or library of the demo: labs$"):
        lane_options("core", "labs")
