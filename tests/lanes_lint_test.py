"""End to end: the `lanes` linter and `./pants lanes --cycles` on the demo monorepo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from demo_readme import planted_findings
from pants_repo import copy_repo, run_pants

VIOLATION = re.compile(
    r"^(\S+):(\d+):(\d+) LK001 (\S+) \(lane (\S+)\) may not be imported from lane (\S+)$"
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("lanekeeper"))


@pytest.fixture(scope="module")
def planted(repo: Path):
    return planted_findings(repo / "demo" / "README.md")


def test_the_project_and_demo_pass_with_demo_exclusions_honoured(repo: Path) -> None:
    result = run_pants(repo, "lint", "--only=lanes", "::")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "✓ lanes succeeded." in result.stderr


def test_every_planted_violation_is_reported_and_nothing_else(tmp_path: Path, planted) -> None:
    repo = copy_repo(tmp_path)
    # Remove the demo's exclusions from the project's own lint: demo as its users have it.
    for build in (repo / "demo").rglob("BUILD"):
        build.write_text(re.sub(r'"skip_lanes": True,? ?', "", build.read_text()))
    result = run_pants(repo, "lint", "--only=lanes", "demo::")
    assert result.exit_code == 1
    # Pants prints each linter's report in its log, on stderr.
    lines = result.stderr.splitlines()
    reported = [(m.group(1), int(m.group(2))) for m in map(VIOLATION.match, lines) if m]
    expected = [(f.file, f.line) for f in planted["lane-violation"]]
    assert sorted(reported) == sorted(expected)
    # Each violation is followed by its fix-it line.
    for index, line in enumerate(lines):
        if VIOLATION.match(line):
            assert lines[index + 1].startswith("  fix: lane '")
    # Pants lints in batches; each batch's report ends with its own count.
    counts = re.findall(r"^(\d+) lane violations? in \d+ files?\.$", result.stderr, re.MULTILINE)
    assert sum(map(int, counts)) == len(expected)


def test_cycles_are_listed_with_a_cut_and_fail_for_production(repo: Path, planted) -> None:
    result = run_pants(repo, "lanes", "--cycles", "--format=json", "demo::")
    assert result.exit_code == 1, "the core cycle is in a production lane"
    cycles = json.loads(result.stdout)["cycles"]
    planted_members: dict[str, set[str]] = {}
    for finding in planted["cycle"]:
        cycle_id = finding.detail.split(" ")[0]
        planted_members.setdefault(cycle_id, set()).add(finding.file)
    assert sorted(sorted(c["members"]) for c in cycles) == sorted(
        sorted(m) for m in planted_members.values()
    )
    planted_lines = {(f.file, f.line) for f in planted["cycle"]}
    for cycle in cycles:
        assert (cycle["cut"]["importer"], cycle["cut"]["line"]) in planted_lines


def test_cycles_text(repo: Path) -> None:
    result = run_pants(repo, "lanes", "--cycles", "demo/candidate::")
    assert result.exit_code == 0, "candidate is not a production lane"
    assert "1 import cycles (0 in production lanes)" in result.stdout or (
        "1 import cycle (0 in production lanes)" in result.stdout
    )
    assert "demo/candidate/orchestrator/planner.py" in result.stdout
