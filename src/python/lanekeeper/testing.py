"""Test data shared by the tests: the demo monorepo's lane model and renames, real code to read.

The demo's lane model is written once, here: the core's tests build a `LaneConfig` from it
(`demo_config`), the plugins' tests turn a part of it into `--lanes-*` options
(`lanekeeper_pants.testutil.lane_args`), and the benchmarks' generator lays out its lanes by it.
`testing_test.py` checks that it is what the repo's pants.toml declares for `demo/`.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path
from typing import Any, Mapping, Sequence

from lanekeeper.kernel.lane_config import LaneConfig

LANES = ("candidate", "core", "lukhas", "products")
LIBRARIES = ("matriz", "MATRIZ", "universal_language")
ALLOWED_IMPORTS = {
    "candidate": ["core", "matriz", "MATRIZ", "universal_language"],
    "core": ["matriz", "MATRIZ", "universal_language"],
    "lukhas": ["core", "matriz", "MATRIZ", "universal_language"],
    "products": ["lukhas", "core", "matriz", "MATRIZ", "universal_language"],
}
PRODUCTION = ("core", "lukhas", "products")
# The demo's `[matriz-migrate].renames`: the core has no default renames.
RENAMES: Mapping[str, str] = {"matriz": "MATRIZ"}


def lane_options(*names: str, root: str = "demo") -> dict[str, Any]:
    """The demo's `[lanes]` options, each lane and library under `<root>/<name>/**`.

    With `names`, only those lanes and libraries and the imports among them (a small model for
    a test), in the options' own order: order, libraries, production, paths, allowed_imports.
    """
    everything = LANES + LIBRARIES
    unknown = [name for name in names if name not in everything]
    if unknown:
        raise ValueError(f"not a lane or library of the demo: {', '.join(unknown)}")
    kept = [name for name in everything if not names or name in names]
    allowed = {
        lane: [other for other in ALLOWED_IMPORTS[lane] if other in kept]
        for lane in LANES
        if lane in kept
    }
    return {
        "order": [lane for lane in LANES if lane in kept],
        "libraries": [library for library in LIBRARIES if library in kept],
        "production": [lane for lane in PRODUCTION if lane in kept],
        "paths": {name: [f"{root}/{name}/**"] for name in kept},
        "allowed_imports": {lane: others for lane, others in allowed.items() if others},
    }


def demo_config(**paths: Sequence[str]) -> LaneConfig:
    """The demo's `[lanes]` (each lane under `demo/<lane>/**`), with some lanes' globs replaced."""
    options = lane_options()
    globs: dict[str, Sequence[str]] = {**options.pop("paths"), **paths}
    return LaneConfig.parse(**options, paths=globs)


def stdlib_sample(count: int = 300) -> list[Path]:
    """`count` small modules of the standard library (its tests too): real code, about 1,000
    imports in 300 of them."""
    root = Path(sysconfig.get_paths()["stdlib"])
    return [path for path in sorted(root.glob("**/*.py")) if path.stat().st_size < 6000][:count]
