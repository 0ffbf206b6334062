from __future__ import annotations

from typing import Any

from pants.engine.goal import GoalSubsystem
from pants.option.option_types import BoolOption, DictOption, IntOption, StrOption
from pants.util.strutil import softwrap

from lanekeeper_pants.machine_output import AnnotationsOption


class TodoAuditSubsystem(AnnotationsOption, GoalSubsystem):
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
    formats = DictOption[Any](
        default={},
        help=softwrap(
            """
            TODO formats of your own, read beside the TODO guide's grammar: name -> a table
            with `tag` (a regex for a tag in brackets followed by a JSON object, as in
            `# TODO[T4-ISSUE]: {"priority": "low", ...}`) or `pattern` (a regex with named
            groups, matched from the TODO on); `fields` (inventory field -> JSON key or group:
            date, priority, owner, scope, issue, message); `values` (per field, a table of
            written -> inventory value, or a regex whose first group is the value, like
            `GH-([0-9]+)`); `required` (default priority, owner, message); `defaults`; and
            `drop` (keys `--rewrite` leaves out of the message). Their items count as
            structured, or as malformed with the reason, like the guide's own.
            """
        ),
    )
    rewrite = BoolOption(
        default=False,
        help=softwrap(
            """
            Rewrite the TODOs of `[todo-audit].formats` into the TODO guide's grammar, keeping
            every field: what the grammar has no tag for goes into the message. A dry run: it
            writes `todo_rewrite.diff` and `todo_rewrite.json` under `dist/todo-audit/`; add
            `--apply` to write the files.
            """
        ),
    )
    apply = BoolOption(
        default=False,
        help=softwrap(
            """
            With `--rewrite`, write the rewritten files: all of them, or none when a file could
            not be rewritten, has uncommitted git changes, or changed on disk during the run. The
            old bytes are journaled first (`.lanekeeper/todo-audit.journal`): see `--recover`.
            """
        ),
    )
    recover = BoolOption(
        default=False,
        help=softwrap(
            """
            Roll back a `--rewrite --apply` that was killed part-way, from its journal.
            `--apply` refuses to start while a journal is left.
            """
        ),
    )
