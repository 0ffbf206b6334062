from __future__ import annotations

from enum import Enum

from pants.engine.goal import GoalSubsystem, Outputting
from pants.option.option_types import (
    BoolOption,
    DictOption,
    EnumOption,
    SkipOption,
    StrListOption,
)
from pants.util.strutil import softwrap

from lanekeeper.lanes import LaneConfig


class ListingFormat(Enum):
    text = "text"
    json = "json"


class LanesSubsystem(Outputting, GoalSubsystem):
    """The `[lanes]` scope: the lane model every lanekeeper goal shares, and the `lanes` goal."""

    name = "lanes"
    help = "Show the lane of each target, from the lane model configured in `[lanes]`."

    order = StrListOption(
        default=["candidate", "core", "lukhas", "products"],
        help=softwrap(
            """
            The lanes in promotion order, least strict first. Code is promoted one lane at a
            time along this list, never skipping a lane.
            """
        ),
    )
    libraries = StrListOption(
        default=["matriz", "universal_language"],
        help="Shared libraries that sit beside the lanes: importable, but never promoted.",
    )
    production = StrListOption(
        default=["core", "lukhas", "products"],
        help=softwrap(
            """
            The lanes held to production standards: hygiene counts in these lanes may not
            rise, and legacy imports fail checks here. Each must be listed in `[lanes].order`.
            """
        ),
    )
    paths = DictOption["list[str]"](
        default={},
        help=softwrap(
            """
            For each lane or library, the path globs (relative to the build root) of the files
            that belong to it, e.g. `{"core": ["src/core/**"]}`. `**` matches any number of
            directories and `*` any part of one name. A file may belong to one lane only.
            """
        ),
    )
    allowed_imports = DictOption["list[str]"](
        default={},
        help=softwrap(
            """
            For each lane or library, the other lanes and libraries its code may import, e.g.
            `{"lukhas": ["core", "matriz"]}`. A lane may always import itself; anything not
            listed is a lane violation.
            """
        ),
    )
    skip = SkipOption("lint")
    cycles = BoolOption(
        default=False,
        help=softwrap(
            """
            Instead of the lane listing, print every import cycle among the selected first-party
            files, each with one suggested import to cut; exit 1 if a cycle touches a
            production lane.
            """
        ),
    )
    report = BoolOption(
        default=False,
        help=softwrap(
            """
            Instead of the lane listing, report problems of the lane rules themselves: a glob in
            `[lanes].paths` that matches no file, and an `[lanes].allowed_imports` entry that no
            import among the selected files uses. Run it on `::` for the whole picture.
            """
        ),
    )
    format = EnumOption(
        default=ListingFormat.text,
        help="How the `lanes` goal prints: text for people, or JSON for tools.",
    )

    def lane_config(self) -> LaneConfig:
        """The validated lane model; raises `LaneConfigError` naming the bad option."""
        return LaneConfig.parse(
            order=self.order,
            libraries=self.libraries,
            paths=self.paths,
            allowed_imports=self.allowed_imports,
            production=self.production,
        )
