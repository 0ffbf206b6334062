"""End to end: `./pants todo-audit` on the demo monorepo, against demo/README.md."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from demo_readme import planted_findings
from pants_repo import PantsRepo

TODAY = "--today=2026-11-22"
WEIGHTS = {"HIGH": 10, "MED": 3, "LOW": 1}


@pytest.fixture(scope="module")
def repo(demo_repo: PantsRepo) -> PantsRepo:
    return demo_repo


def inventory(repo: Path) -> list[dict[str, str]]:
    text = (repo / "dist" / "todo-audit" / "todo_inventory.csv").read_text()
    return list(csv.DictReader(io.StringIO(text)))


def test_every_planted_todo_is_inventoried_and_the_printed_score_recomputes(
    repo: PantsRepo,
) -> None:
    result = repo.run("todo-audit", TODAY, "demo::")
    assert result.exit_code == 0, result.stderr
    rows = inventory(repo.root)
    planted = planted_findings(repo.root / "demo" / "README.md")
    expected = {
        (f.file, f.line): status
        for status, kind in (
            ("structured", "todo-structured"),
            ("malformed", "todo-malformed"),
            ("plain", "todo-plain"),
            # The T4 format of pants.toml's `[todo-audit].formats.t4`.
            ("structured", "todo-declared"),
            ("malformed", "todo-declared-malformed"),
        )
        for f in planted[kind]
    }
    assert {(r["file"], int(r["line"])): r["status"] for r in rows} == expected
    for finding in planted["todo-structured"] + planted["todo-declared"]:
        [row] = [r for r in rows if (r["file"], int(r["line"])) == (finding.file, finding.line)]
        assert row["format"] == ("t4" if finding.detail.startswith("t4") else "canonical")
        assert f"priority {row['priority']}" in finding.detail
        assert f"owner {row['owner']}" in finding.detail
        assert row["lane"] == finding.file.split("/")[1]
        if "unknown" in finding.detail:
            assert row["scope"] == "UNKNOWN"
        else:
            assert f"scope {row['scope']}" in finding.detail
    assert not any(
        (r["file"], int(r["line"])) in {(t.file, t.line) for t in planted["todo-trap"]}
        for r in rows
    )
    # The printed production debt score is the one recomputed from the CSV.
    production = {"core", "lukhas", "products"}
    score = sum(
        WEIGHTS[r["priority"]]
        for r in rows
        if r["status"] == "structured" and r["lane"] in production
    )
    [total] = re.findall(r"^production total\s+(?:\d+\s+){6}(\d+)$", result.stdout, re.MULTILINE)
    assert int(total) == score
    assert (repo.root / "dist" / "todo-audit" / "TODO_CLEANUP_AUDIT.md").is_file()
    assert (repo.root / "dist" / "todo-audit" / "todo_audit.json").is_file()
