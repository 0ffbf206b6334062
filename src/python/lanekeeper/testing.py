"""Test data shared by the core's tests: the demo monorepo's lane model, real code to read."""

from __future__ import annotations

import sysconfig
from pathlib import Path
from typing import Sequence

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


def demo_config(**paths: Sequence[str]) -> LaneConfig:
    """The demo's `[lanes]` (each lane under `demo/<lane>/**`), with some lanes' globs replaced."""
    globs: dict[str, Sequence[str]] = {lane: [f"demo/{lane}/**"] for lane in LANES + LIBRARIES}
    globs.update(paths)
    return LaneConfig.parse(
        order=LANES,
        libraries=LIBRARIES,
        paths=globs,
        allowed_imports=ALLOWED_IMPORTS,
        production=PRODUCTION,
    )


def stdlib_sample(count: int = 300) -> list[Path]:
    """`count` small modules of the standard library (its tests too): real code, about 1,000
    imports in 300 of them."""
    root = Path(sysconfig.get_paths()["stdlib"])
    return [path for path in sorted(root.glob("**/*.py")) if path.stat().st_size < 6000][:count]
