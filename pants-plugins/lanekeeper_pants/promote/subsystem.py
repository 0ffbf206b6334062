from __future__ import annotations

from pants.engine.goal import GoalSubsystem
from pants.option.option_types import (
    BoolOption,
    DictOption,
    FloatOption,
    StrListOption,
    StrOption,
)
from pants.util.strutil import softwrap

from lanekeeper_pants.machine_output import AnnotationsOption


class PromoteSubsystem(AnnotationsOption, GoalSubsystem):
    name = "promote"
    help = softwrap(
        """
        Without `--to`, the promotion board: every module of the specs, in every lane but
        the last, evaluated for promotion to the next lane, with a verdict (READY, BLOCKED,
        NOT-A-CANDIDATE), written to dist/promote/board.{json,md,html}. A module is a
        directory directly under a lane's root (the part of its `[lanes].paths` glob before
        `**`: `demo/candidate/memory_index` under `demo/candidate/**`); `[promote].modules`
        overrides that. With `--to`, evaluate every gate of promoting the one module of the
        specs and write the evidence (a dry run); with `--apply`, move it, rewrite its
        importers and re-validate, as one transaction.

        The lint, format and type-check gates hold a module to the next lane's bar, whatever
        its BUILD files opt out (`skip_ruff`, `skip_black`, `skip_mypy`). ruff, black and mypy
        run as lanekeeper's own processes, from their `[ruff]`, `[black]` and `[mypy]`
        settings, so that their answer is cached even when it is findings; other linters and
        checkers give Pants' own results. A second run with nothing changed starts no tool
        process, except the runs of Pants' own rules that failed (pytest, flake8, ...): Pants
        2.17 caches those only when they succeed (as in `pants lint`). pip-audit's answer is
        reused for the rest of the UTC day; a query the service did not answer is asked
        again. Only the modules with a changed file, or
        importing one: `pants promote --changed-since=HEAD --changed-dependents=transitive`,
        without specs (Pants 2.17 refuses specs together with `--changed-since`).
        """
    )

    to = StrOption(
        default=None,
        metavar="LANE",
        help=softwrap(
            """
            The lane to promote the module of the specs into: the lane after its own in
            `[lanes].order`. Without it, `promote` prints the promotion board.
            """
        ),
    )
    modules = StrListOption(
        default=[],
        help=softwrap(
            """
            The board's module directories, as globs relative to the build root (e.g.
            `["src/*/candidate/*", "src/*/core/*/*"]`): a file's module is the deepest listed
            directory that holds it. Default: every directory directly under a lane's root.
            """
        ),
    )
    fail_on_blocked = BoolOption(
        default=False,
        help="Exit 1 when a module on the promotion board is BLOCKED (for CI); default exit 0.",
    )
    coverage_thresholds = DictOption[int](
        default={},
        help=softwrap(
            """
            Minimum line coverage, in percent, of every file of the module, per target lane;
            a lane not listed uses `[promote].default_coverage_threshold`.
            """
        ),
    )
    default_coverage_threshold = FloatOption(
        default=90.0,
        help=softwrap(
            """
            Minimum line coverage, in percent, for a target lane not in
            `[promote].coverage_thresholds`.
            """
        ),
    )
    osv_url = StrOption(
        default="https://api.osv.dev/v1/query",
        help=softwrap(
            """
            The OSV query endpoint pip-audit asks about the module's locked requirements
            (`pip-audit -s osv --osv-url`); point it at an internal OSV mirror. Its answer for a
            set of pins is reused until the UTC date changes; an unanswered query is retried
            in the next run.
            """
        ),
    )
    secrets_baseline = StrOption(
        default=".secrets.baseline",
        help=softwrap(
            """
            A detect-secrets baseline file (relative to the build root) of known false
            positives: secrets it lists, by file and hash, do not fail the secrets gate.
            """
        ),
    )
    sensitive_paths = StrListOption(
        default=[],
        help=softwrap(
            """
            Directory names that make a module sensitive: a module with one of them in its
            path needs an ethics assessment (`[promote].ethics_assessment`) and an ethics
            reviewer's sign-off.
            """
        ),
    )
    ethics_assessment = StrOption(
        default="ETHICS.md",
        help="The ethics assessment file a sensitive module must have in its folder.",
    )
    regression_budget = FloatOption(
        default=0.05,
        help=softwrap(
            """
            How much slower (a fraction: 0.05 is 5%) a benchmark may get than its stored
            baseline.
            """
        ),
    )
    benchmark_baseline = StrOption(
        default="benchmark-baseline.json",
        help=softwrap(
            """
            The stored benchmark results in the module folder: a JSON object of seconds per
            benchmark name.
            """
        ),
    )
    # `fromfile=False`: Pants would read a value starting with `@` as the contents of a file,
    # and a GitHub handle (`--owner=@alice`) is what people type here.
    owner = StrOption(
        default=None,
        fromfile=False,
        metavar="@HANDLE",
        help=softwrap(
            """
            The promotion's owner, a GitHub handle: `--owner=@alice` (`alice` is the same
            person). Default: the `Owner:` line of the module's PROMOTE.md.
            """
        ),
    )
    reviewers = StrListOption(
        default=[],
        fromfile=False,
        help=softwrap(
            """
            The two reviewers besides the owner, one marked security, as GitHub handles
            separated by commas: `--reviewers="@bob,@carol (security)"` (or one flag per
            reviewer). Default: the `Reviewers:` line of the module's PROMOTE.md.
            """
        ),
    )
    apply = BoolOption(
        default=False,
        help=softwrap(
            """
            Promote for real, when every automated gate passes, the human gates are recorded
            and the git tree is clean: move the module's files into the target lane (staged as
            git renames), rewrite every import of it across the repo (string references too),
            fix BUILD addresses, format the rewritten files, then re-validate with
            `[promote].pants_command`: lint, check and test of the moved module, the rewritten
            files and the tests that depend on them. Any failure, or an interrupted run (see
            `--recover`), leaves the tree as it was. A success appends a record to
            `[promote].audit_log`.
            """
        ),
    )
    recover = BoolOption(
        default=False,
        help=softwrap(
            """
            Finish the rollback of an apply or rollback that was killed part-way, from its
            journal (`.lanekeeper/promote.journal`): every file, and the git index, as before.
            """
        ),
    )
    rollback = StrOption(
        default=None,
        metavar="AUDIT-ID",
        help=softwrap(
            """
            Undo the applied promotion with this id (or a unique prefix of it) from
            `[promote].audit_log`: restore every file it moved or rewrote to its content at
            the commit the promotion started from, and log the rollback. Refuses if any of
            those files changed since.
            """
        ),
    )
    branch = BoolOption(
        default=False,
        help=softwrap(
            """
            With `--apply`: after a successful promotion, switch to a new branch
            `promote/<module>-YYYYMMDD` that carries it. Nothing is pushed.
            """
        ),
    )
    commit = BoolOption(
        default=False,
        help=softwrap(
            """
            With `--apply`: after a successful promotion, commit it (and its audit record) with
            the PR body as the message. Nothing is merged or pushed: a human does that.
            """
        ),
    )
    audit_log = StrOption(
        default="promotion-audit.log",
        help="The file, relative to the build root, that logs each promotion and rollback as JSON.",
    )
    pants_command = StrListOption(
        default=[],
        advanced=True,
        help=softwrap(
            """
            How to run Pants (relative to the build root) to re-validate an applied promotion;
            it runs as `<command> --no-pantsd lint check test <targets>`. Empty (the default):
            `[GLOBAL].pants_bin_name`, the name the repo runs Pants by (`pants`, the standard
            launcher on PATH, unless the repo sets another, e.g. `./pants`).
            """
        ),
    )
