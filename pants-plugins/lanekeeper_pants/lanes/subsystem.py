from __future__ import annotations

from enum import Enum
from typing import Any

from pants.engine.goal import GoalSubsystem, Outputting
from pants.option.option_types import (
    BoolOption,
    DictOption,
    EnumOption,
    SkipOption,
    StrListOption,
    StrOption,
)
from pants.util.strutil import softwrap

from lanekeeper_pants.machine_output import AnnotationsOption


class ListingFormat(Enum):
    text = "text"
    json = "json"


class LanesSubsystem(AnnotationsOption, Outputting, GoalSubsystem):
    """The `[lanes]` scope: the lane model every lanekeeper goal shares, and the `lanes` goal."""

    name = "lanes"
    help = "Show the lane of each target, from the lane model configured in `[lanes]`."

    order = StrListOption(
        default=[],
        help=softwrap(
            """
            The lanes in promotion order, least strict first, e.g. `["labs", "core",
            "products"]`. Code is promoted one lane at a time along this list, never skipping a
            lane. With no lanes and no libraries, every lanekeeper goal stops and says what to add.
            """
        ),
    )
    libraries = StrListOption(
        default=[],
        help="Shared libraries that sit beside the lanes: importable, but never promoted.",
    )
    production = StrListOption(
        default=[],
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
            `{"products": ["core", "shared"]}`. A lane may always import itself; anything not
            listed is a lane violation.
            """
        ),
    )
    skip = SkipOption("lint")
    suggest = BoolOption(
        default=False,
        help=softwrap(
            """
            Instead of the lane listing, print a starting `[lanes]` section to paste into
            pants.toml: one lane per top-level package of each source root among the selected
            files, those that import others first, and the imports seen between them allowed.
            Works without a `[lanes]` section; run it on `::`.
            """
        ),
    )
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
    exceptions = DictOption[Any](
        default={},
        help=softwrap(
            """
            Imports allowed despite the lane rules, each under a name, e.g.
            `{"legacy-bridge": {"importer": "src/labs/bridge/**", "module": "core.common.**",
            "reason": "the bridge is rewritten in Q3", "issue": "LK-42", "expires":
            "2026-12-31"}}`. `importer` is a path glob of the importing files, `module` a
            dotted glob of the imported modules (`*` matches within one part, `**` any number
            of parts); all five fields are required. An exception allows nothing after its
            `expires` date (the last day it applies), and the findings it covered fail again,
            saying so. `pants lanes --report` lists exceptions that have expired or allow
            nothing.
            """
        ),
    )
    baseline = StrOption(
        default="lanes-baseline.json",
        help=softwrap(
            """
            The baseline file, relative to the build root: the lane findings a repo already
            has, each recorded as its importing file and imported module (never a line number,
            so editing a file above an import does not change it). The `lanes` linter fails
            only on findings it does not record, and says which of its entries no longer occur.
            Written by `[lanes].update_baseline`; without the file, every finding fails.
            """
        ),
    )
    update_baseline = BoolOption(
        default=False,
        help=softwrap(
            """
            Instead of the lane listing, write the selected files' lane findings that no
            exception allows to `[lanes].baseline`, keeping the entries of files not selected
            (while those files exist). Run it on `::` to record a repo's existing findings
            before switching the `lanes` linter on, and again to shrink the baseline.
            """
        ),
    )
    today = StrOption(
        default=None,
        help=softwrap(
            """
            The date (YYYY-MM-DD) that exceptions' `expires` dates are compared with; today
            when unset. For reproducible runs and tests.
            """
        ),
    )
    format = EnumOption(
        default=ListingFormat.text,
        help="How the `lanes` goal prints: text for people, or JSON for tools.",
    )
