from __future__ import annotations

from pants.engine.goal import GoalSubsystem
from pants.option.option_types import BoolOption, IntOption, StrOption
from pants.util.strutil import softwrap


class TodoAuditSubsystem(GoalSubsystem):
    name = "todo-audit"
    help = "Inventory TODO/FIXME comments, score the TODO debt per lane, and ratchet it down."

    baseline = StrOption(
        default="todo-audit-baseline.json",
        help=softwrap(
            """
            The baseline file, relative to the build root: production-lane counts and debt
            score that a run may not exceed. Create or lower it with
            `[todo-audit].update_baseline`.
            """
        ),
    )
    update_baseline = BoolOption(
        default=False,
        help="Write this run's production-lane counts and score to `[todo-audit].baseline`.",
    )
    max_age_days = IntOption(
        default=None,
        help=softwrap(
            """
            Flag structured TODOs whose date is more than this many days ago as overdue
            (listed in the audit; not a failure).
            """
        ),
    )
    today = StrOption(
        default=None,
        metavar="YYYY-MM-DD",
        advanced=True,
        help="The date ages are computed against (default: today), for reproducible reports.",
    )
