"""End to end: every lanekeeper goal survives files that are not UTF-8.

Pants 2.17's own dependency parser stops a whole run on one such file (`IntrinsicError: Failed
to convert digest bytes to utf-8`), and so would every goal that hands it to the parser. One run
of the real `./pants` on the demo with two such files (one declares its encoding with
a PEP 263 coding line, one does not) proves that every goal reports them and checks the rest:
`lint`, `lanes --report`, `matriz-migrate`, `todo-audit` and `import-health`. `promote` reads the
repo through the same import graph (`RepoImports`), whose reading past such files is proven by
the promote graph gates' RuleRunner tests (`promote/gates/graph_test.py`); its real run is
`tests/promote_test.py`. The exact findings on a messy tree are asserted by the `lanes`
backend's RuleRunner tests.

The run uses the demo modules' shared copy and pantsd (`demo_repo`; tests/BUILD batches this
module with theirs): Pants' start-up and the demo's dependency inference are paid once for all
of them. The module puts the demo back as shipped at its end.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from pants_repo import PantsRepo, PantsResult

ARCHIVE = "demo/candidate/archive"
RAW = f"{ARCHIVE}/raw.py"
LATIN1 = f"{ARCHIVE}/latin1.py"
PANTS_PARSER_FAILURE = "Failed to convert digest bytes to utf-8"


@pytest.fixture(scope="module")
def messy(demo_repo: PantsRepo) -> Iterator[PantsRepo]:
    """The demo plus a folder of two files that are not UTF-8; removed at the end, with what the
    run wrote, for the modules that read the demo as shipped after this one."""
    repo = demo_repo.root
    archive = repo / ARCHIVE
    archive.mkdir()
    # Pants' own black backend fails the whole `lint` goal on a file it cannot decode (a
    # process error, not a finding), so the undeclared one opts out of black, as a repo would.
    (archive / "BUILD").write_text("python_sources(overrides={'raw.py': {'skip_black': True}})\n")
    (repo / RAW).write_bytes(b"import matriz.graph\nGREETING = 'caf\xe9'\n")
    (repo / LATIN1).write_bytes(
        b"# -*- coding: latin-1 -*-\nfrom lukhas.service import facade\nGREETING = 'caf\xe9'\n"
    )
    try:
        yield demo_repo
    finally:
        shutil.rmtree(archive)
        (repo / "import-health-baseline.json").unlink(missing_ok=True)
        shutil.rmtree(repo / "dist", ignore_errors=True)


@pytest.fixture(scope="module")
def repo(messy: PantsRepo) -> Path:
    return messy.root


@pytest.fixture(scope="module")
def goals(messy: PantsRepo) -> PantsResult:
    # Pants stops at the first goal that fails: import-health (which fails on the demo's planted
    # policy findings) records a baseline instead, and lint, which fails, comes last.
    return messy.run(
        "lanes",
        "--lanes-report",
        "matriz-migrate",
        "todo-audit",
        "import-health",
        "--import-health-update-baseline",
        "lint",
        "demo::",
    )


def test_the_lanes_linter_reports_each_file_and_checks_the_declared_one(
    goals: PantsResult,
) -> None:
    assert goals.exit_code == 1
    assert PANTS_PARSER_FAILURE not in goals.stderr
    assert "✕ lanes failed." in goals.stderr
    lines = goals.stderr.splitlines()
    for finding in (
        f"{LATIN1}:2:1 LK001 lukhas.service.facade (lane lukhas) may not be imported from lane "
        "candidate",
        f"{LATIN1}:3:16 LK004 encoded as iso-8859-1 (its PEP 263 coding line), not UTF-8 (byte "
        "75, line 3): Pants' dependency inference reads only UTF-8",
        f"{RAW}:2:16 LK004 not valid UTF-8 (byte 35, line 2), and no PEP 263 coding line "
        "declares another encoding: neither Python nor Pants' dependency inference can read it",
        "2 files that Pants' dependency inference cannot read (LK004).",
    ):
        assert finding in lines


def test_the_lanes_report_names_the_files(goals: PantsResult) -> None:
    assert (
        f"{RAW}: LK004 not valid UTF-8 (byte 35, line 2), and no PEP 263 coding line declares "
        "another encoding: neither Python nor Pants' dependency inference can read it; its "
        "imports are left out"
    ) in goals.stderr.splitlines()
    assert "6 lane config findings (6 allowed-import-unused)" in goals.stdout


def test_the_analyzer_goals_report_the_undecodable_file(repo: Path, goals: PantsResult) -> None:
    problem = "not valid UTF-8 at byte 35 (line 2); re-save the file as UTF-8"
    health = json.loads((repo / "dist/import-health/report.json").read_text())
    assert {"path": RAW, "line": 2, "category": "unparseable", "detail": problem} in [
        {key: finding[key] for key in ("path", "line", "category", "detail")}
        for finding in health["findings"]
    ]
    audit = (repo / "dist/todo-audit/TODO_CLEANUP_AUDIT.md").read_text()
    assert f"- `{RAW}`: {problem}" in audit
    migration = json.loads(
        (repo / "dist/matriz-migrate/dryrun_demo__candidate__archive.json").read_text()
    )
    assert RAW in json.dumps(migration)
    assert "Dry run: nothing written." in goals.stdout
