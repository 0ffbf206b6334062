from __future__ import annotations

from pants.engine.goal import GoalSubsystem
from pants.option.option_types import BoolOption, IntOption, StrOption
from pants.util.strutil import softwrap

from lanekeeper_pants.machine_output import AnnotationsOption


class ImportHealthSubsystem(AnnotationsOption, GoalSubsystem):
    name = "import-health"
    help = "Count E402s, import exceptions, runtime and legacy imports per file and lane; ratchet."

    baseline = StrOption(
        default="import-health-baseline.json",
        help=softwrap(
            """
            The baseline file, relative to the build root: per production lane and category,
            the counts a run may not exceed. Create or lower it with
            `[import-health].update_baseline`.
            """
        ),
    )
    update_baseline = BoolOption(
        default=False,
        help="Write this run's production-lane counts to `[import-health].baseline`.",
    )
    exception_ttl_days = IntOption(
        default=90,
        help=softwrap(
            """
            How long a `# noqa: E402 -- reason, ISSUE-n EXCEPTION-YYYYMMDD` exception lasts after
            its grant date; past it, the exception is expired and fails the run in a
            production lane.
            """
        ),
    )
    today = StrOption(
        default=None,
        metavar="YYYY-MM-DD",
        advanced=True,
        help="The date exception expiry is computed against (default: today).",
    )
