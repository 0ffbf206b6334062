from __future__ import annotations

import dataclasses
import json
from typing import Any, Optional

import pytest

from lanekeeper.kernel.globs import PathGlob
from lanekeeper.kernel.lane_config import LaneConfig, LaneConfigError

LIBRARIES = ("matriz", "MATRIZ", "universal_language")
KNOWN = "candidate, core, lukhas, products, matriz, MATRIZ, universal_language"
UNKNOWN_FIX = "fix the name or add it to `[lanes].order` or `[lanes].libraries`."


def demo_options(**overrides: Any) -> dict[str, Any]:
    """The `[lanes]` section of the demo repo, with some options replaced."""
    options: dict[str, Any] = {
        "order": ["candidate", "core", "lukhas", "products"],
        "libraries": list(LIBRARIES),
        "paths": {
            lane: [f"demo/{lane}/**"]
            for lane in ("candidate", "core", "lukhas", "products") + LIBRARIES
        },
        "allowed_imports": {
            "candidate": ["core", "matriz", "MATRIZ", "universal_language"],
            "core": ["matriz", "MATRIZ", "universal_language"],
            "lukhas": ["core", "matriz", "MATRIZ", "universal_language"],
            "products": ["lukhas", "core", "matriz", "MATRIZ", "universal_language"],
        },
        "production": ["core", "lukhas", "products"],
    }
    options.update(overrides)
    return options


def demo_paths(**overrides: Any) -> dict[str, Any]:
    paths: dict[str, Any] = dict(demo_options()["paths"])
    paths.update(overrides)
    return paths


DEMO = LaneConfig.parse(**demo_options())


def test_demo_config_parses_cleanly() -> None:
    assert DEMO.order == ("candidate", "core", "lukhas", "products")
    assert DEMO.libraries == LIBRARIES
    assert DEMO.lanes == DEMO.order + LIBRARIES
    assert DEMO.production == ("core", "lukhas", "products")
    assert DEMO.warnings == ()
    assert DEMO.paths[1] == ("core", (PathGlob.parse("demo/core/**"),))
    assert dict(DEMO.allowed_imports)["matriz"] == ()
    # Frozen and hashable, so it can be a Pants rule input.
    assert hash(DEMO) == hash(LaneConfig.parse(**demo_options()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEMO.order = ()  # type: ignore[misc]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"order": []},
            "`[lanes].order`: no lanes are declared; list the lanes in promotion order, "
            'like ["candidate", "core"].',
        ),
        (
            {"order": "candidate"},
            "`[lanes].order`: expected a list of lane names, got the string 'candidate'; "
            "write ['candidate'].",
        ),
        (
            {"order": ["candidate", "", "core"]},
            "`[lanes].order`: a lane name is empty; remove the empty entry.",
        ),
        (
            {"order": ["candidate", "core", "lukhas", "core"]},
            "`[lanes].order`: lane 'core' is listed twice; list each lane once.",
        ),
        (
            {"libraries": ["matriz", "MATRIZ", "matriz"]},
            "`[lanes].libraries`: library 'matriz' is listed twice; list each library once.",
        ),
        (
            {"libraries": ["matriz", ""]},
            "`[lanes].libraries`: a library name is empty; remove the empty entry.",
        ),
        (
            {"libraries": ["matriz", "core"]},
            "`[lanes].libraries`: 'core' is both a lane in `[lanes].order` and a library; "
            "keep it in only one of them.",
        ),
        (
            {"paths": demo_paths(cor=["demo/cor/**"])},
            f"`[lanes].paths`: 'cor' is not a lane or library (known: {KNOWN}); {UNKNOWN_FIX}",
        ),
        (
            {"allowed_imports": {"lukas": ["core"]}},
            "`[lanes].allowed_imports`: 'lukas' is not a lane or library "
            f"(known: {KNOWN}); {UNKNOWN_FIX}",
        ),
        (
            {"allowed_imports": {"lukhas": ["cor"]}},
            "`[lanes].allowed_imports`: lane 'lukhas' may import 'cor', which is not a lane or "
            "library (known: candidate, core, lukhas, products, matriz, MATRIZ, "
            "universal_language); fix the name or add it to `[lanes].order` or "
            "`[lanes].libraries`.",
        ),
        (
            {"allowed_imports": {"matriz": ["universal-language"]}},
            "`[lanes].allowed_imports`: library 'matriz' may import 'universal-language', "
            f"which is not a lane or library (known: {KNOWN}); {UNKNOWN_FIX}",
        ),
        (
            {"allowed_imports": {"core": "matriz"}},
            "`[lanes].allowed_imports.core`: expected a list of lane names, got the string "
            "'matriz'; write ['matriz'].",
        ),
        (
            {"production": ["core", "matriz"]},
            "`[lanes].production`: 'matriz' is a library, and libraries are never production "
            "lanes; remove it, or move it from `[lanes].libraries` to `[lanes].order`.",
        ),
        (
            {"production": ["core", "prod"]},
            "`[lanes].production`: 'prod' is not a lane (lanes: candidate, core, lukhas, "
            "products); fix the name or add it to `[lanes].order`.",
        ),
        (
            {"paths": demo_paths(core=["demo/core/**", "demo/a**b"])},
            "`[lanes].paths`: lane 'core': 'demo/a**b' is not a valid path glob: '**' must be a "
            "whole segment, not part of 'a**b'; use '*' to match within one segment, or put "
            "'**' alone between slashes, like 'demo/**/x.py'.",
        ),
        (
            {"paths": demo_paths(matriz=["/demo/matriz/**"])},
            "`[lanes].paths`: library 'matriz': '/demo/matriz/**' is not a valid path glob: it "
            "is absolute; write it relative to the build root, without the leading '/'.",
        ),
        (
            {"paths": demo_paths(core=[""])},
            "`[lanes].paths`: lane 'core': '' is not a valid path glob: it is empty; give a path "
            "relative to the build root, like 'src/**'.",
        ),
        (
            {"paths": demo_paths(core="demo/core/**")},
            "`[lanes].paths.core`: expected a list of globs, got the string 'demo/core/**'; "
            "write ['demo/core/**'].",
        ),
        (
            {"paths": demo_paths(candidate=["demo/**"])},
            "`[lanes].paths`: 'demo/core/**' (lane 'core') overlaps 'demo/**' (lane "
            "'candidate'): a path must belong to one lane; make the globs disjoint.",
        ),
        (
            {"paths": demo_paths(lukhas=["demo/core/**"])},
            "`[lanes].paths`: 'demo/core/**' (lane 'lukhas') overlaps 'demo/core/**' (lane "
            "'core'): a path must belong to one lane; make the globs disjoint.",
        ),
        (
            {"paths": demo_paths(MATRIZ=["demo/MATRIZ/**", "**/*_test.py"])},
            "`[lanes].paths`: '**/*_test.py' (library 'MATRIZ') overlaps 'demo/candidate/**' "
            "(lane 'candidate'): a path must belong to one lane; make the globs disjoint.",
        ),
    ],
)
def test_parse_errors(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(LaneConfigError) as caught:
        LaneConfig.parse(**demo_options(**overrides))
    assert str(caught.value) == message
    assert "\n" not in message


def test_invalid_glob_error_chains_the_glob_error() -> None:
    with pytest.raises(LaneConfigError) as caught:
        LaneConfig.parse(**demo_options(paths=demo_paths(core=["demo//core"])))
    assert isinstance(caught.value.__cause__, ValueError)


@pytest.mark.parametrize(
    "overrides, warnings",
    [
        (
            {"allowed_imports": {"core": ["core", "matriz"]}},
            (
                "`[lanes].allowed_imports`: lane 'core' lists itself, but a lane may always "
                "import itself; remove 'core' from its list.",
            ),
        ),
        (
            {"allowed_imports": {"matriz": ["matriz"]}},
            (
                "`[lanes].allowed_imports`: library 'matriz' lists itself, but a library may "
                "always import itself; remove 'matriz' from its list.",
            ),
        ),
        (
            {"allowed_imports": {"core": ["matriz", "MATRIZ", "matriz"]}},
            ("`[lanes].allowed_imports`: lane 'core' lists 'matriz' twice; list it once.",),
        ),
        (
            {"production": ["core", "lukhas", "core"]},
            ("`[lanes].production`: 'core' is listed twice; list it once.",),
        ),
        (
            {"paths": {lane: [f"demo/{lane}/**"] for lane in ("candidate", "core", "lukhas")}},
            (
                "`[lanes].paths`: lane 'products' has no globs, so no file can belong to it; "
                "add its globs to `[lanes].paths`.",
                "`[lanes].paths`: library 'matriz' has no globs, so no file can belong to it; "
                "add its globs to `[lanes].paths`.",
                "`[lanes].paths`: library 'MATRIZ' has no globs, so no file can belong to it; "
                "add its globs to `[lanes].paths`.",
                "`[lanes].paths`: library 'universal_language' has no globs, so no file can "
                "belong to it; add its globs to `[lanes].paths`.",
            ),
        ),
        (
            {"paths": demo_paths(core=[])},
            (
                "`[lanes].paths`: lane 'core' has no globs, so no file can belong to it; "
                "add its globs to `[lanes].paths`.",
            ),
        ),
        # Importing a later lane is the user's policy: allowed, and not warned about.
        ({"allowed_imports": {"core": ["lukhas", "products"]}}, ()),
    ],
)
def test_parse_warnings(overrides: dict[str, Any], warnings: tuple[str, ...]) -> None:
    assert LaneConfig.parse(**demo_options(**overrides)).warnings == warnings


def test_repeats_and_self_imports_are_dropped_from_the_policy() -> None:
    config = LaneConfig.parse(
        **demo_options(
            allowed_imports={"core": ["core", "matriz", "matriz"]},
            production=["core", "core"],
        )
    )
    assert dict(config.allowed_imports)["core"] == ("matriz",)
    assert config.production == ("core",)
    assert config.allowed_for("core") == ("core", "matriz")


@pytest.mark.parametrize(
    "path, lane",
    [
        ("demo/candidate/x.py", "candidate"),
        ("demo/core/x.py", "core"),
        ("demo/core/deep/er/x.py", "core"),
        ("demo/core", "core"),
        ("demo/lukhas/x.py", "lukhas"),
        ("demo/products/api/app.py", "products"),
        ("demo/matriz/x.py", "matriz"),
        ("demo/MATRIZ/x.py", "MATRIZ"),
        ("demo/universal_language/x.py", "universal_language"),
        # Unlaned: outside every glob, or only a name-prefix of a lane's directory.
        ("demo/README.md", None),
        ("demo/corex/x.py", None),
        ("demo/Matriz/x.py", None),
        ("src/python/lanekeeper/lanes.py", None),
        ("core/x.py", None),
        ("", None),
    ],
)
def test_lane_of(path: str, lane: Optional[str]) -> None:
    assert DEMO.lane_of(path) == lane


def test_lane_of_with_two_globs_of_one_lane_matching() -> None:
    config = LaneConfig.parse(
        **demo_options(paths=demo_paths(core=["demo/core/**", "demo/core/*.py"]))
    )
    assert config.lane_of("demo/core/a.py") == "core"


def test_lane_of_rejects_a_path_in_two_lanes() -> None:
    # `parse` rejects overlapping globs, so build the overlap directly.
    config = dataclasses.replace(
        DEMO,
        paths=(
            ("candidate", (PathGlob.parse("demo/**"),)),
            ("matriz", (PathGlob.parse("demo/matriz/**"),)),
        ),
    )
    with pytest.raises(LaneConfigError) as caught:
        config.lane_of("demo/matriz/x.py")
    assert str(caught.value) == (
        "`[lanes].paths`: 'demo/matriz/x.py' matches 'demo/**' (lane 'candidate') and "
        "'demo/matriz/**' (library 'matriz'): a path must belong to one lane; "
        "make the globs disjoint."
    )


@pytest.mark.parametrize(
    "importer, imported, expected",
    [
        ("candidate", "candidate", True),
        ("candidate", "core", True),
        ("candidate", "lukhas", False),
        ("candidate", "products", False),
        ("candidate", "matriz", True),
        ("candidate", "MATRIZ", True),
        ("candidate", "universal_language", True),
        ("core", "candidate", False),
        ("core", "core", True),
        ("core", "lukhas", False),
        ("core", "products", False),
        ("core", "matriz", True),
        ("core", "universal_language", True),
        ("lukhas", "candidate", False),
        ("lukhas", "core", True),
        ("lukhas", "lukhas", True),
        ("lukhas", "products", False),
        ("lukhas", "MATRIZ", True),
        ("products", "candidate", False),
        ("products", "core", True),
        ("products", "lukhas", True),
        ("products", "products", True),
        ("products", "universal_language", True),
        # A library with no `allowed_imports` entry imports only itself.
        ("matriz", "matriz", True),
        ("matriz", "MATRIZ", False),
        ("matriz", "universal_language", False),
        ("matriz", "core", False),
        ("MATRIZ", "candidate", False),
        ("universal_language", "universal_language", True),
    ],
)
def test_may_import(importer: str, imported: str, expected: bool) -> None:
    assert DEMO.may_import(importer, imported) is expected


@pytest.mark.parametrize(
    "lane, allowed",
    [
        ("candidate", ("candidate", "core", "matriz", "MATRIZ", "universal_language")),
        ("core", ("core", "matriz", "MATRIZ", "universal_language")),
        ("products", ("products", "lukhas", "core", "matriz", "MATRIZ", "universal_language")),
        ("matriz", ("matriz",)),
    ],
)
def test_allowed_for(lane: str, allowed: tuple[str, ...]) -> None:
    assert DEMO.allowed_for(lane) == allowed


def test_allowed_for_a_hand_built_config() -> None:
    # Built without `parse`: a missing entry means "only itself", and a self entry is not doubled.
    config = dataclasses.replace(DEMO, allowed_imports=(("core", ("core", "matriz")),))
    assert config.allowed_for("core") == ("core", "matriz")
    assert config.allowed_for("lukhas") == ("lukhas",)


@pytest.mark.parametrize(
    "lane, library, production",
    [
        ("candidate", False, False),
        ("core", False, True),
        ("lukhas", False, True),
        ("products", False, True),
        ("matriz", True, False),
        ("MATRIZ", True, False),
        ("universal_language", True, False),
    ],
)
def test_is_library_and_is_production(lane: str, library: bool, production: bool) -> None:
    assert DEMO.is_library(lane) is library
    assert DEMO.is_production(lane) is production


@pytest.mark.parametrize(
    "lane, following",
    [
        ("candidate", "core"),
        ("core", "lukhas"),
        ("lukhas", "products"),
        ("products", None),
        ("matriz", None),
        ("universal_language", None),
    ],
)
def test_next_lane(lane: str, following: Optional[str]) -> None:
    assert DEMO.next_lane(lane) == following


UNKNOWN_QUERY = (
    "`[lanes]`: 'cor' is not a lane or library (known: candidate, core, lukhas, products, "
    "matriz, MATRIZ, universal_language); fix the name or add it to `[lanes].order` or "
    "`[lanes].libraries`."
)


@pytest.mark.parametrize(
    "query",
    [
        lambda: DEMO.may_import("cor", "core"),
        lambda: DEMO.may_import("core", "cor"),
        lambda: DEMO.may_import("cor", "nope"),
        lambda: DEMO.allowed_for("cor"),
        lambda: DEMO.is_library("cor"),
        lambda: DEMO.is_production("cor"),
        lambda: DEMO.next_lane("cor"),
    ],
)
def test_queries_reject_unknown_lanes(query: Any) -> None:
    with pytest.raises(LaneConfigError) as caught:
        query()
    assert str(caught.value) == UNKNOWN_QUERY


@pytest.mark.parametrize(
    "source, target, reason",
    [
        ("candidate", "core", None),
        ("core", "lukhas", None),
        ("lukhas", "products", None),
        (
            "candidate",
            "lukhas",
            "'candidate' -> 'lukhas' skips 'core': promote one lane at a time.",
        ),
        (
            "candidate",
            "products",
            "'candidate' -> 'products' skips 'core' and 'lukhas': promote one lane at a time.",
        ),
        (
            "lukhas",
            "core",
            "'lukhas' -> 'core' goes backwards: promotion follows `[lanes].order` "
            "(candidate -> core -> lukhas -> products).",
        ),
        (
            "core",
            "candidate",
            "'core' -> 'candidate' goes backwards: promotion follows `[lanes].order` "
            "(candidate -> core -> lukhas -> products).",
        ),
        (
            "core",
            "core",
            "'core' -> 'core' is the same lane: there is nothing to promote.",
        ),
        (
            "products",
            "products",
            "'products' -> 'products' is the same lane: there is nothing to promote.",
        ),
        (
            "products",
            "lukhas",
            "'products' is the last lane in `[lanes].order`: it is never promoted.",
        ),
        ("matriz", "core", "'matriz' is a library: libraries are never promoted."),
        ("matriz", "MATRIZ", "'matriz' is a library: libraries are never promoted."),
        (
            "core",
            "universal_language",
            "'universal_language' is a library: code is never promoted into a library.",
        ),
        (
            "core",
            "lukas",
            f"'lukas' is not a lane or library (known: {KNOWN}); {UNKNOWN_FIX}",
        ),
        (
            "cand",
            "core",
            f"'cand' is not a lane or library (known: {KNOWN}); {UNKNOWN_FIX}",
        ),
    ],
)
def test_check_promotion(source: str, target: str, reason: Optional[str]) -> None:
    assert DEMO.check_promotion(source, target) == reason


def test_every_next_lane_is_a_valid_promotion() -> None:
    for lane in DEMO.order:
        following = DEMO.next_lane(lane)
        if following is not None:
            assert DEMO.check_promotion(lane, following) is None


def test_promotion_skipping_several_lanes() -> None:
    config = LaneConfig.parse(
        order=["a", "b", "c", "d", "e"],
        libraries=[],
        paths={lane: [f"{lane}/**"] for lane in "abcde"},
        allowed_imports={},
        production=[],
    )
    assert config.check_promotion("a", "e") == (
        "'a' -> 'e' skips 'b', 'c' and 'd': promote one lane at a time."
    )


def test_to_json_dict() -> None:
    config = LaneConfig.parse(
        **demo_options(
            paths=demo_paths(products=[]),
            allowed_imports={"core": ["core", "matriz"]},
        )
    )
    document = config.to_json_dict()
    assert document == {
        "order": ["candidate", "core", "lukhas", "products"],
        "libraries": ["matriz", "MATRIZ", "universal_language"],
        "paths": {
            "candidate": ["demo/candidate/**"],
            "core": ["demo/core/**"],
            "lukhas": ["demo/lukhas/**"],
            "products": [],
            "matriz": ["demo/matriz/**"],
            "MATRIZ": ["demo/MATRIZ/**"],
            "universal_language": ["demo/universal_language/**"],
        },
        "allowed_imports": {
            "candidate": [],
            "core": ["matriz"],
            "lukhas": [],
            "products": [],
            "matriz": [],
            "MATRIZ": [],
            "universal_language": [],
        },
        "production": ["core", "lukhas", "products"],
        "warnings": list(config.warnings),
    }
    assert len(document["warnings"]) == 2
    assert json.loads(json.dumps(document)) == document
