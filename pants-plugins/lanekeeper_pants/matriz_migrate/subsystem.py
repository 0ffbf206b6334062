"""`[matriz-migrate]`: the legacy -> canonical module renames and how the migration runs."""

from __future__ import annotations

from enum import Enum

from pants.engine.goal import GoalSubsystem
from pants.option.option_types import (
    BoolOption,
    DictOption,
    EnumOption,
    IntOption,
    SkipOption,
    StrListOption,
    StrOption,
)
from pants.util.strutil import softwrap

from lanekeeper.rename.migration import DEFAULT_MAX_LINES, GROUP_BY_CHOICES
from lanekeeper_pants.machine_output import AnnotationsOption


class GroupBy(Enum):
    directory = "directory"
    lane = "lane"
    all = "all"
    pull_request = "pull-request"


assert tuple(g.value for g in GroupBy) == GROUP_BY_CHOICES


class MatrizMigrateSubsystem(AnnotationsOption, GoalSubsystem):
    name = "matriz-migrate"
    help = softwrap(
        """
        Rewrite legacy module names to canonical ones (default `matriz` -> `MATRIZ`) with an
        AST-safe, format-preserving codemod. Dry run by default: writes per-group JSON and HTML
        diffs and `migration-summary.md` under `dist/matriz-migrate/`. The same rewrite runs in
        `pants fix`, and `pants lint` reports the files it would change.
        """
    )

    renames = DictOption[str](
        default={},
        help=softwrap(
            """
            Legacy module name -> canonical module name. A legacy name matches the module and
            everything under it (`matriz` matches `matriz.graph`, never `matriz_utils`).
            Dotted names work too: `{"candidate.memory_index": "core.memory_index"}`.
            """
        ),
    )
    rewrite_strings = BoolOption(
        default=False,
        help=softwrap(
            """
            Also rewrite string literals whose whole value is a legacy dotted name
            (`importlib.import_module("matriz.graph")`, `mock.patch("matriz.graph.f")`).
            They are always reported as dynamic references; this option rewrites them too.
            """
        ),
    )
    group_by = EnumOption(
        default=GroupBy.directory,
        help=softwrap(
            """
            How files are grouped into reports (and `--group`): per directory, per lane, all in
            one, or `pull-request`: whole directories packed, in path order, into groups of at
            most `[matriz-migrate].max_lines` changed lines.
            """
        ),
    )
    max_lines = IntOption(
        default=DEFAULT_MAX_LINES,
        help=softwrap(
            """
            With `--group-by=pull-request`, the most changed lines a group takes (a line
            replaced, added or removed counts once); a directory over it is a group of its own.
            """
        ),
    )
    group = StrOption(
        default=None,
        help=softwrap(
            """
            With `--apply`, write only this group's files (a name from `migration-summary.md`,
            as `--group-by` and `--max-lines` made it): one pull request per command. The
            reports still cover every group.
            """
        ),
    )
    apply = BoolOption(
        default=False,
        help=softwrap(
            """
            Write the rewritten files (only `[matriz-migrate].group`'s, when set). Nothing is
            written while a file that could not be parsed may import a legacy module, the git
            tree has an uncommitted change to a file being rewritten, or a file changed on disk
            since it was read. The files' old
            bytes are journaled first (`.lanekeeper/matriz-migrate.journal`): see `--recover`.
            """
        ),
    )
    recover = BoolOption(
        default=False,
        help=softwrap(
            """
            Roll back an `--apply` that was killed part-way, from its journal: every file it was
            rewriting gets its old bytes back. `--apply` refuses to start while a journal is
            left.
            """
        ),
    )
    fmt = BoolOption(
        default=True,
        help=softwrap(
            """
            Run the repo's fixers and formatters (what `pants fix` runs, such as ruff's import
            sorting and black) on each rewritten file that was formatter-clean before the
            rewrite; a file that was not gets the rename alone, with the import blocks it
            changed kept in order. The dry run shows the same result.
            """
        ),
    )
    check = BoolOption(
        default=False,
        help=softwrap(
            """
            Exit 1 while any legacy import remains in a production lane (`[lanes].production`)
            outside `[matriz-migrate].allowed_paths`, listing each at `path:line`. For CI.
            """
        ),
    )
    allowed_paths = StrListOption(
        default=[],
        help="Path globs where `--check` tolerates legacy imports (e.g. a compatibility shim).",
    )
    baseline = StrOption(
        default="matriz-migrate-baseline.json",
        help=softwrap(
            """
            The baseline file, relative to the build root: legacy imports per lane. A run fails
            when a lane has more than its baseline; `--update-baseline` records progress.
            """
        ),
    )
    update_baseline = BoolOption(
        default=False,
        help="Write this run's legacy import counts per lane to `[matriz-migrate].baseline`.",
    )
    skip = SkipOption("fix", "lint")
