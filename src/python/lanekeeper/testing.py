"""Test data shared by the core's tests: the demo monorepo's lane model."""

from __future__ import annotations

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
