"""Every code a goal reports, with the help a reviewer sees and the README section about it."""

from __future__ import annotations

from dataclasses import dataclass

# The help names a section of lanekeeper's README.md (its manual) by its heading, not by a link:
# lanekeeper has no public URL, and a relative link in SARIF would resolve against the user's
# own repo, where no such README is.
DOCS = "README.md"
PROMOTE_GATE = "promote/"

_LINTER = "The `lanes` linter: `./pants lint ::`"
_ADOPTING = "Adopting the linter: exceptions and a baseline"
_LANES = "`./pants lanes <specs>`"
_IMPORT_HEALTH = "`./pants import-health <specs>`"
_MIGRATE = "`./pants matriz-migrate <specs>`"
_TODO = "`./pants todo-audit <specs>`"
_PROMOTE = "`./pants promote <module> --to=<lane>`"


@dataclass(frozen=True)
class Rule:
    """A code's one-line description, its help (what it means and how to fix it) and section."""

    code: str
    short: str
    help: str
    section: str

    @property
    def help_markdown(self) -> str:
        return f"{self.help}\n\nMore in lanekeeper's {DOCS}, section {self.section}."


def _rules(*rows: tuple[str, str, str, str]) -> dict[str, Rule]:
    return {code: Rule(code, short, help, section) for code, short, help, section in rows}


RULES = _rules(
    (
        "LK001",
        "Import of a lane the file's lane may not import",
        "The statement imports a module of a lane that `[lanes].allowed_imports` does not allow "
        "for the file's lane. Promote the module into an allowed lane, or move the file.",
        _LINTER,
    ),
    (
        "LK002",
        "Import of a module that does not exist, in a forbidden lane",
        "The name points into a lane the file may not import, and no file provides it. Remove "
        "the import, or import from an allowed lane.",
        _LINTER,
    ),
    (
        "LK003",
        "Module provided by files in different lanes",
        "Which file Python imports depends on `sys.path`. Rename or remove all but one, or name "
        "the one meant in the target's `dependencies`.",
        _LINTER,
    ),
    (
        "LK004",
        "File Pants' dependency inference cannot read",
        "The file is not UTF-8, so its imports cannot be checked. Re-save it as UTF-8.",
        _LINTER,
    ),
    (
        "glob-matches-nothing",
        "A `[lanes].paths` glob matches no file",
        "Probably a typo or a leftover: fix the glob or remove it.",
        _LANES,
    ),
    (
        "allowed-import-unused",
        "An allowed import no file uses",
        "Tighten the rule before someone starts relying on it: remove the lane from the list.",
        _LANES,
    ),
    (
        "exception-unused",
        "A `[lanes].exceptions` entry that allows nothing",
        "Remove the exception if it is no longer needed.",
        _ADOPTING,
    ),
    (
        "exception-expired",
        "A `[lanes].exceptions` entry past its expiry",
        "It allows nothing any more: fix the imports it allowed, or renew it.",
        _ADOPTING,
    ),
    (
        "baseline-stale",
        "A lanes baseline entry that no longer occurs",
        "Shrink the baseline with `pants lanes --update-baseline ::`.",
        _ADOPTING,
    ),
    (
        "E402",
        "Module-level import not at the top of the file (ruff E402)",
        "Move the import to the top, or keep it with `# noqa: E402 -- reason, ISSUE-n "
        "EXCEPTION-YYYYMMDD`.",
        _IMPORT_HEALTH,
    ),
    (
        "noqa-unused",
        "A `# noqa: E402` on a line ruff does not flag",
        "Remove the comment: it suppresses nothing.",
        _IMPORT_HEALTH,
    ),
    (
        "noqa-expired",
        "A `# noqa: E402` exception past its TTL",
        "Fix the import, or renew the exception with a new `EXCEPTION-YYYYMMDD` tag.",
        _IMPORT_HEALTH,
    ),
    (
        "noqa-unjustified",
        "A `# noqa: E402` without a reason and issue reference",
        "Write `# noqa: E402 -- reason, ISSUE-n EXCEPTION-YYYYMMDD`.",
        _IMPORT_HEALTH,
    ),
    (
        "noqa-expiring-soon",
        "A `# noqa: E402` exception that expires within 14 days",
        "Fix the import, or renew the exception before it expires.",
        _IMPORT_HEALTH,
    ),
    (
        "runtime-import",
        "An import decided at run time",
        "`sys.path` changes, `importlib`, `__import__`, `eval`, `exec` and imports under "
        "`if`/`try` hide dependencies from Pants and from the lane checks.",
        _IMPORT_HEALTH,
    ),
    (
        "legacy-import",
        "A reference to a legacy module name",
        "Rewrite it with `pants matriz-migrate --apply`.",
        _MIGRATE,
    ),
    (
        "dynamic-use",
        "A dynamic reference to a legacy module that no rewrite can follow",
        "Change the code by hand to reach the canonical module.",
        _MIGRATE,
    ),
    (
        "lane-violation",
        "An import across lanes that the lane rules forbid",
        "See the `lanes` linter (LK001-LK003) for the fix.",
        _IMPORT_HEALTH,
    ),
    (
        "cycle",
        "An import cycle",
        "Cut the cycle at the import named.",
        _IMPORT_HEALTH,
    ),
    (
        "unparseable",
        "A file that could not be read or parsed",
        "Fix the syntax error or re-save the file as UTF-8; it was left out of the analysis.",
        _IMPORT_HEALTH,
    ),
    (
        "TODO-malformed",
        "A TODO that attempts the structured format but is wrong",
        "Write `# TODO[YYYY-MM-DD][PRIORITY:..][OWNER:@user][SCOPE:..][ISSUE:n] : message`.",
        _TODO,
    ),
    (
        "TODO-unstructured",
        "A TODO without the structured tags",
        "Rewrite it into the guide's grammar (`pants todo-audit --rewrite ::`).",
        _TODO,
    ),
    (
        "TODO-overdue",
        "A TODO older than `[todo-audit].max_age_days`",
        "Do it, or re-plan it with a new date.",
        _TODO,
    ),
)


def rule_for(code: str) -> Rule:
    """The rule of `code`; a promotion gate (`promote/<gate>`) gets one made from its name."""
    if code in RULES:
        return RULES[code]
    if code.startswith(PROMOTE_GATE):
        gate = code[len(PROMOTE_GATE) :]
        return Rule(
            code,
            f"Promotion gate `{gate}`",
            f"The `{gate}` gate of `pants promote` did not pass; its evidence is in "
            "dist/promote/<module>/.",
            _PROMOTE,
        )
    raise KeyError(f"no rule for the code {code!r}: add it to lanekeeper.findings.catalogue.")
