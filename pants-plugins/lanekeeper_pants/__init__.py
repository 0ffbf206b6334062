"""Pants backends that keep a monorepo's code in its lane: glue from the core to the engine.

The plugins use Pants 2.17's plugin API, which changes between minor versions: loaded by another
Pants, they stop here with one line instead of failing somewhere inside the engine."""

from pants.version import PANTS_SEMVER

from lanekeeper.version import VERSION

SUPPORTED_PANTS = (2, 17)

if (PANTS_SEMVER.major, PANTS_SEMVER.minor) != SUPPORTED_PANTS:
    # Pants reports an ImportError of a backend as "Failed to load the ... backend: <message>".
    raise ImportError(
        f"lanekeeper-pants {VERSION} works with Pants 2.17 only, but this is Pants "
        f'{PANTS_SEMVER}: set `pants_version = "2.17.1"` in pants.toml, or remove '
        f"lanekeeper's backends from `[GLOBAL].backend_packages`."
    )
