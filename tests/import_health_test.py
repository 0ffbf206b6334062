"""End to end: `./pants import-health` on the demo monorepo, against demo/README.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from demo_readme import planted_findings
from pants_repo import PantsRepo

TODAY = "--today=2026-11-22"
# README table -> import-health category.
CATEGORIES = {
    "e402": "e402",
    "noqa-justified": "noqa-justified",
    "noqa-unjustified": "noqa-unjustified",
    "noqa-expired": "noqa-expired",
    "noqa-expiring-soon": "noqa-expiring-soon",
    "noqa-unused": "noqa-unused",
    "runtime-import": "runtime-import",
    "lane-violation": "lane-violation",
    "unparseable": "unparseable",
}


@pytest.fixture(scope="module")
def repo(demo_repo: PantsRepo) -> PantsRepo:
    return demo_repo


def report(repo: Path) -> dict:
    return json.loads((repo / "dist" / "import-health" / "report.json").read_text())


def test_every_planted_import_finding_and_nothing_else(repo: PantsRepo) -> None:
    result = repo.run("import-health", TODAY, "demo::")
    # The demo's expired and unjustified exceptions are in production lane core.
    assert result.exit_code == 1
    assert "demo/core/config/legacy_paths.py:14: noqa-unjustified" in result.stdout
    assert "demo/core/config/legacy_paths.py:16: noqa-expired" in result.stdout
    planted = planted_findings(repo.root / "demo" / "README.md")
    findings = report(repo.root)["findings"]
    for table, category in CATEGORIES.items():
        reported = sorted((f["path"], f["line"]) for f in findings if f["category"] == category)
        assert reported == sorted((p.file, p.line) for p in planted[table]), category
    legacy = sorted((f["path"], f["line"]) for f in findings if f["category"] == "legacy-import")
    planted_imports = [p for p in planted["legacy-import"] if "use-site" not in p.detail]
    assert legacy == sorted((p.file, p.line) for p in planted_imports)
    cycle_files = {p.file for p in planted["cycle"]}
    assert {f["path"] for f in findings if f["category"] == "cycle"} <= cycle_files
    assert (repo.root / "dist" / "import-health" / "IMPORT_MIGRATION_AUDIT.md").is_file()


def test_baseline_ratchet_names_the_file_and_reports_slack(repo: PantsRepo) -> None:
    baseline = repo.root / "import-health-baseline.json"
    facade = repo.root / "demo" / "lukhas" / "service" / "facade.py"
    loader = repo.root / "demo" / "lukhas" / "service" / "loader.py"
    originals = {path: path.read_text() for path in (facade, loader)}
    try:
        created = repo.run("import-health", TODAY, "--update-baseline", "demo::")
        assert created.exit_code == 0, created.stderr
        assert baseline.is_file()

        facade.write_text(originals[facade] + "\nVERSION = 2\nimport textwrap\n")
        worse = repo.run("import-health", TODAY, "demo::")
        assert worse.exit_code == 1
        # One line per regression, printed once (the table's), naming the files behind it.
        regressions = [line for line in worse.stdout.splitlines() if "rose from" in line]
        assert len(regressions) == 1, worse.stdout
        assert re.fullmatch(
            r"regression: lukhas: e402 rose from (\d+) to \d+ \(\+1\); .*"
            r"demo/lukhas/service/facade\.py \(\d+\).*",
            regressions[0],
        ), regressions

        facade.write_text(originals[facade])
        text = originals[loader].splitlines(keepends=True)
        # Fix the planted E402 at line 19 by dropping that late import (the module does not
        # need it for import to succeed; this run only reads the file).
        assert text[18].startswith("import re")
        loader.write_text("".join(text[:18] + text[19:]))
        better = repo.run("import-health", TODAY, "demo::")
        slack = [line for line in better.stdout.splitlines() if "fell from" in line]
        assert len(slack) == 1, better.stdout
        assert re.fullmatch(
            r"slack: lukhas: e402 fell from \d+ to \d+ \(-1\); "
            r"lower the baseline with `--update-baseline`",
            slack[0],
        ), slack
    finally:
        # The module's other tests read the demo as shipped.
        for path, original in originals.items():
            path.write_text(original)
        baseline.unlink(missing_ok=True)
