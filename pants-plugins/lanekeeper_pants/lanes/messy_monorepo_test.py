"""The `lanes` linter and goal on a messy monorepo: every trait of real lane-structured repos
(a module shadowed by a package, statements over several lines, relative imports across lanes,
imports of lane modules that do not exist, files that are not UTF-8 or do not parse, directories
with one file, a module provided in two lanes), and adoption through exceptions and a baseline.
"""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest
from pants.core.goals.lint import LintResult
from pants.testutil.rule_runner import RuleRunner

from lanekeeper_pants.lanes.rules import LanesGoal
from lanekeeper_pants.lanes.testutil import lanes_rule_runner, run_lanes_lint
from lanekeeper_pants.testutil import ENV_INHERIT, reset_build_root

LANES_ARGS = [
    "--python-infer-use-rust-parser",
    "--source-root-patterns=['src', 'legacy']",
    "--lanes-order=['labs', 'core', 'products']",
    "--lanes-libraries=['shared']",
    "--lanes-production=['core', 'products']",
    "--lanes-paths={'labs': ['src/lk/labs/**'], 'core': ['src/lk/core/**'], "
    "'products': ['src/lk/products/**'], 'shared': ['src/lk/shared/**']}",
    "--lanes-allowed-imports={'labs': ['shared'], 'core': ['shared'], "
    "'products': ['core', 'shared']}",
    "--lanes-today=2026-06-01",
]

BRIDGE = dedent(
    """\
    \"\"\"The labs bridge: one file with most traits of a messy monorepo.\"\"\"
    from __future__ import annotations

    import os
    from lk.shared import text
    from lk.core.common import helper
    from lk.core.ledger import (
        Ledger,
        post,
    )
    from ..core import ledger

    try:
        from lk.core.interfaces.dependency_injection import get_service
    except ImportError:
        get_service = None


    def late():
        import lk.core.ledger, lk.shared.text
        from . import sibling
        from lk.core.common import (helper,
                                    util)
    """
)

FILES: dict[str, str | bytes] = {
    "src/lk/__init__.py": "",
    "src/lk/BUILD": "python_sources()",
    "src/lk/core/__init__.py": "",
    # `lk.core.common` is a package and a module beside it: Python imports the package.
    "src/lk/core/common.py": "X = 1\n",
    "src/lk/core/ledger.py": "from lk.shared import text\nclass Ledger: ...\ndef post(): ...\n",
    "src/lk/core/BUILD": "python_sources()",
    "src/lk/core/common/__init__.py": "from lk.core.common.util import helper\n",
    "src/lk/core/common/util.py": "def helper(): ...\n",
    "src/lk/core/common/BUILD": "python_sources()",
    "src/lk/core/interfaces/__init__.py": "",
    "src/lk/core/interfaces/BUILD": "python_sources()",
    # A directory with one file and no `__init__.py`: a namespace package.
    "src/lk/shared/text.py": "",
    "src/lk/shared/BUILD": "python_sources()",
    "src/lk/labs/__init__.py": "",
    "src/lk/labs/bridge.py": BRIDGE,
    "src/lk/labs/sibling.py": "",
    # Python 2 code does not parse: its imports are still read, from its tokens.
    "src/lk/labs/broken.py": "print 'old'\nfrom lk.core import ledger\n",
    "src/lk/labs/BUILD": "python_sources()",
    # Not UTF-8: one declares its encoding (valid Python), one does not.
    "src/lk/labs/archive/latin1.py": (
        b"# -*- coding: latin-1 -*-\nimport lk.core.ledger\nS = 'caf\xe9'\n"
    ),
    "src/lk/labs/archive/raw.py": b"import lk.core.ledger\nS = 'caf\xe9'\n",
    "src/lk/labs/archive/BUILD": "python_sources()",
    "src/lk/products/report.py": (
        "from lk.core.common import helper\nimport lk.labs.clock\nimport lk.shared.text\n"
    ),
    "src/lk/products/BUILD": "python_sources()",
    # The same module on another path entry, in no lane: which one Python imports is unsure.
    "src/lk/labs/clock.py": "",
    "legacy/lk/labs/clock.py": "",
    "legacy/lk/labs/BUILD": "python_sources()",
}

LINT_LINES = [
    "src/lk/labs/archive/latin1.py:2:1 LK001 lk.core.ledger (lane core) may not be imported "
    "from lane labs",
    "  fix: lane 'labs' may import labs, shared; promote lk.core.ledger into one of those lanes, "
    "or move src/lk/labs/archive/latin1.py to a lane that may import 'core' (core, products)",
    "src/lk/labs/archive/latin1.py:3:9 LK004 encoded as iso-8859-1 (its PEP 263 coding line), "
    "not UTF-8 (byte 56, line 3): Pants' dependency inference reads only UTF-8",
    "  fix: re-save it as UTF-8 (from iso-8859-1) and remove the coding line",
    "src/lk/labs/archive/raw.py:2:9 LK004 not valid UTF-8 (byte 30, line 2), and no PEP 263 "
    "coding line declares another encoding: neither Python nor Pants' dependency inference can "
    "read it",
    "  fix: re-save it as UTF-8; if it must keep another encoding, declare it with a PEP 263 "
    "coding line such as `# -*- coding: latin-1 -*-` (Pants still needs UTF-8)",
    "src/lk/labs/bridge.py:6:1 LK001 lk.core.common (lane core) may not be imported from lane "
    "labs",
    "  fix: lane 'labs' may import labs, shared; promote lk.core.common into one of those lanes, "
    "or move src/lk/labs/bridge.py to a lane that may import 'core' (core, products)",
    "src/lk/labs/bridge.py:7:1 LK001 lk.core.ledger (lane core) may not be imported from lane "
    "labs",
    "  fix: lane 'labs' may import labs, shared; promote lk.core.ledger into one of those lanes, "
    "or move src/lk/labs/bridge.py to a lane that may import 'core' (core, products)",
    "src/lk/labs/bridge.py:11:1 LK001 lk.core.ledger (lane core) may not be imported from lane "
    "labs",
    "  fix: lane 'labs' may import labs, shared; promote lk.core.ledger into one of those lanes, "
    "or move src/lk/labs/bridge.py to a lane that may import 'core' (core, products)",
    "src/lk/labs/bridge.py:14:5 LK002 lk.core.interfaces.dependency_injection (lane core) may "
    "not be imported from lane labs, and does not exist (its longest existing prefix is "
    "lk.core.interfaces)",
    "  fix: the import only ever fails (or falls back, inside `try`): remove it, or import from "
    "a lane 'labs' may import (labs, shared)",
    "src/lk/labs/bridge.py:20:5 LK001 lk.core.ledger (lane core) may not be imported from lane "
    "labs",
    "  fix: lane 'labs' may import labs, shared; promote lk.core.ledger into one of those lanes, "
    "or move src/lk/labs/bridge.py to a lane that may import 'core' (core, products)",
    "src/lk/labs/bridge.py:22:5 LK001 lk.core.common, lk.core.common.util (lane core) may not "
    "be imported from lane labs",
    "  fix: lane 'labs' may import labs, shared; promote lk.core.common, lk.core.common.util "
    "into one of those lanes, or move src/lk/labs/bridge.py to a lane that may import 'core' "
    "(core, products)",
    "src/lk/labs/broken.py:2:1 LK001 lk.core.ledger (lane core) may not be imported from lane "
    "labs",
    "  fix: lane 'labs' may import labs, shared; promote lk.core.ledger into one of those lanes, "
    "or move src/lk/labs/broken.py to a lane that may import 'core' (core, products)",
    "src/lk/products/report.py:2:1 LK003 lk.labs.clock is provided by files in different lanes: "
    "legacy/lk/labs/clock.py (no lane), src/lk/labs/clock.py (lane labs); lane products may not "
    "import labs",
    "  fix: Python imports whichever comes first on sys.path: rename or remove all but one of "
    "them, or name the one meant in the target's `dependencies`",
]


@pytest.fixture(scope="module")
def shared_rule_runner() -> RuleRunner:
    return lanes_rule_runner({})


@pytest.fixture
def rule_runner(shared_rule_runner: RuleRunner) -> RuleRunner:
    return reset_build_root(shared_rule_runner, FILES)


def run_lint(rule_runner: RuleRunner, *args: str) -> LintResult:
    return run_lanes_lint(rule_runner, [*LANES_ARGS, *args], "::")


def run_lanes(rule_runner: RuleRunner, *args: str):
    return rule_runner.run_goal_rule(
        LanesGoal, global_args=LANES_ARGS, args=[*args, "::"], env_inherit=ENV_INHERIT
    )


def test_every_statement_is_one_finding_and_unreadable_files_are_findings(
    rule_runner: RuleRunner,
) -> None:
    result = run_lint(rule_runner)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        *LINT_LINES,
        "9 lane violations in 4 files.",
        "2 files that Pants' dependency inference cannot read (LK004).",
    ]


def test_lanes_cycles_survives_files_pants_cannot_read(rule_runner: RuleRunner) -> None:
    result = run_lanes(rule_runner, "--lanes-cycles")
    assert result.exit_code == 0
    assert result.stdout == "No import cycles.\n"
    assert result.stderr.splitlines() == [
        "src/lk/labs/archive/latin1.py: LK004 encoded as iso-8859-1 (its PEP 263 coding line), "
        "not UTF-8 (byte 56, line 3): Pants' dependency inference reads only UTF-8",
        "src/lk/labs/archive/raw.py: LK004 not valid UTF-8 (byte 30, line 2), and no PEP 263 "
        "coding line declares another encoding: neither Python nor Pants' dependency inference "
        "can read it; its imports are left out",
    ]


EXCEPTIONS = (
    "--lanes-exceptions={"
    "'bridge': {'importer': 'src/lk/labs/bridge.py', 'module': 'lk.core.common.**', "
    "'reason': 'the bridge moves to core in Q3', 'issue': 'LK-7', 'expires': '2026-06-30'}, "
    "'archive': {'importer': 'src/lk/labs/archive/*', 'module': 'lk.core.*', "
    "'reason': 'frozen code', 'issue': 'LK-8', 'expires': '2026-05-31'}, "
    "'idle': {'importer': 'src/lk/products/**', 'module': 'lk.shared.**', "
    "'reason': 'r', 'issue': 'LK-9', 'expires': '2027-01-01'}}"
)


def test_exceptions_allow_imports_until_they_expire(rule_runner: RuleRunner) -> None:
    result = run_lint(rule_runner, EXCEPTIONS)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # 'bridge' allows both statements that import lk.core.common; 'archive' has expired.
    assert not any(line.startswith("src/lk/labs/bridge.py:6:1") for line in lines)
    assert not any(line.startswith("src/lk/labs/bridge.py:22:5") for line in lines)
    assert lines[2] == (
        "  exception 'archive' (LK-8) expired on 2026-05-31: fix the import, or renew the "
        "exception with a later `expires`"
    )
    assert lines[-3:] == [
        "7 lane violations in 4 files.",
        "2 files that Pants' dependency inference cannot read (LK004).",
        "2 allowed by `[lanes].exceptions`.",
    ]


def test_a_baseline_adopts_the_existing_findings(rule_runner: RuleRunner) -> None:
    written = run_lanes(rule_runner, EXCEPTIONS, "--lanes-update-baseline")
    assert written.exit_code == 0
    assert written.stdout == (
        "Wrote the baseline lanes-baseline.json: 5 entries in 4 files (5 added, 0 removed).\n"
    )
    baseline = json.loads(Path(rule_runner.build_root, "lanes-baseline.json").read_text())
    assert baseline == {
        "kind": "lanes",
        "version": 1,
        "violations": {
            "src/lk/labs/archive/latin1.py": ["lk.core.ledger"],
            "src/lk/labs/bridge.py": [
                "lk.core.interfaces.dependency_injection",
                "lk.core.ledger",
            ],
            "src/lk/labs/broken.py": ["lk.core.ledger"],
            "src/lk/products/report.py": ["lk.labs.clock"],
        },
    }
    # Only what the baseline does not record fails: here, the files Pants cannot read.
    result = run_lint(rule_runner, EXCEPTIONS)
    assert result.stdout.splitlines()[-3:] == [
        "2 files that Pants' dependency inference cannot read (LK004).",
        "2 allowed by `[lanes].exceptions`.",
        "7 recorded in the baseline lanes-baseline.json.",
    ]
    # A new import fails; a fixed one says the baseline can shrink; moving lines changes nothing.
    rule_runner.write_files(
        {
            "src/lk/labs/broken.py": "print 'old'\n\n\nfrom lk.core import ledger\n",
            "src/lk/products/report.py": "from lk.core.common import helper\n",
            "src/lk/labs/sibling.py": "from lk.core import interfaces\n",
        }
    )
    result = run_lint(rule_runner, EXCEPTIONS)
    assert [line for line in result.stdout.splitlines() if " LK00" in line] == [
        "src/lk/labs/archive/latin1.py:3:9 LK004 encoded as iso-8859-1 (its PEP 263 coding "
        "line), not UTF-8 (byte 56, line 3): Pants' dependency inference reads only UTF-8",
        "src/lk/labs/archive/raw.py:2:9 LK004 not valid UTF-8 (byte 30, line 2), and no PEP 263 "
        "coding line declares another encoding: neither Python nor Pants' dependency inference "
        "can read it",
        "src/lk/labs/sibling.py:1:1 LK001 lk.core.interfaces (lane core) may not be imported "
        "from lane labs",
    ]
    assert result.stdout.splitlines()[-1] == (
        "The baseline lanes-baseline.json can shrink: 1 of its entries no longer occurs "
        "(src/lk/products/report.py -> lk.labs.clock); run `pants lanes --update-baseline ::`."
    )


def test_report_lists_exceptions_and_baseline_entries_to_clean_up(
    rule_runner: RuleRunner,
) -> None:
    rule_runner.write_files(
        {
            "lanes-baseline.json": json.dumps(
                {
                    "kind": "lanes",
                    "version": 1,
                    "violations": {
                        "src/lk/labs/bridge.py": ["lk.core.ledger", "lk.core.gone"],
                        "src/lk/labs/deleted.py": ["lk.core.ledger"],
                    },
                }
            )
        }
    )
    result = run_lanes(rule_runner, EXCEPTIONS, "--lanes-report")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "`[lanes].exceptions`: 'archive' (LK-8) expired on 2026-05-31, so it allows nothing; fix "
        "the imports it allowed, or renew it with a later `expires`.",
        "`[lanes].exceptions`: 'idle' (LK-9) allows no import among the selected files; remove "
        "it if it is no longer needed.",
        "lanes-baseline.json: src/lk/labs/bridge.py no longer imports lk.core.gone; shrink the "
        "baseline with `pants lanes --update-baseline ::`.",
        "lanes-baseline.json: src/lk/labs/deleted.py no longer exists; shrink the baseline with "
        "`pants lanes --update-baseline ::`.",
        "",
        "4 lane config findings (1 exception-expired, 1 exception-unused, 2 baseline-stale)",
    ]


def test_a_broken_baseline_fails_the_linter_with_one_line(rule_runner: RuleRunner) -> None:
    rule_runner.write_files({"lanes-baseline.json": "[]"})
    problem = (
        "lanes-baseline.json is not a lanes baseline: the top level must be a JSON object; "
        "recreate it with `pants lanes --update-baseline ::`."
    )
    result = run_lint(rule_runner)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"{problem}\n")
    # ...and `--update-baseline` recreates it, as the message says.
    written = run_lanes(rule_runner, "--lanes-update-baseline")
    assert written.exit_code == 0
    assert written.stderr == f"warning: {problem}\n"
    assert written.stdout.startswith("Wrote the baseline lanes-baseline.json: 7 entries")
