"""End to end: `./pants lanes`, `./pants lanes --cycles` and the `lanes` linter on the demo.

The output formats, the one-line errors and `--report` are proven by the RuleRunner tests in
pants-plugins/lanekeeper_pants/lanes/; CI's `./pants lint ::` proves that the project itself,
with the demo's `skip_lanes` exclusions, passes the linter. Here: the project's real `[lanes]`
configuration against the demo's planted findings, as a user runs it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bench_common import stats_counters
from demo_readme import PlantedFinding, planted_findings
from pants_repo import PantsRepo

VIOLATION = re.compile(
    r"^(\S+):(\d+):(\d+) LK001 (\S+) \(lane (\S+)\) may not be imported from lane (\S+)$"
)
EXPECTED_LANE_BY_TOP_DIR = {
    "candidate": "candidate",
    "core": "core",
    "lukhas": "lukhas",
    "products": "products",
    "matriz": "matriz",
    "MATRIZ": "MATRIZ",
    "universal_language": "universal_language",
}


@pytest.fixture(scope="module")
def repo(demo_repo: PantsRepo) -> PantsRepo:
    return demo_repo


@pytest.fixture(scope="module")
def planted(repo: PantsRepo) -> dict[str, tuple[PlantedFinding, ...]]:
    return planted_findings(repo.root / "demo" / "README.md")


def test_every_demo_file_is_in_the_lane_of_its_top_directory(repo: PantsRepo) -> None:
    result = repo.run("lanes", "--format=json", "demo::")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    python_files = sorted(str(p.relative_to(repo.root)) for p in (repo.root / "demo").rglob("*.py"))
    listed = {t["path"]: t["lane"] for t in document["targets"] if t["path"].endswith(".py")}
    assert sorted(listed) == python_files
    for path, lane in listed.items():
        top = Path(path).parts[1]
        assert lane == EXPECTED_LANE_BY_TOP_DIR.get(top), path


def test_lint_reports_every_planted_violation_and_nothing_else(repo: PantsRepo, planted) -> None:
    # Remove the demo's exclusions from the project's own lint: demo as its users have it.
    builds = {path: path.read_text() for path in (repo.root / "demo").rglob("BUILD")}
    try:
        for path, text in builds.items():
            path.write_text(re.sub(r'"skip_lanes": True,? ?', "", text))
        result = repo.run("lint", "--only=lanes", "demo::")
    finally:
        for path, text in builds.items():
            path.write_text(text)
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
    # ...and Pants writes each batch's SARIF under dist/lint/lanes/, one result per violation.
    logs = [json.loads(p.read_text()) for p in (repo.root / "dist/lint/lanes").rglob("*.sarif")]
    results = [r for log in logs for r in log["runs"][0]["results"] if "suppressions" not in r]
    assert len(results) == len(expected)


def test_cycles_are_listed_with_a_cut_and_fail_for_production(repo: PantsRepo, planted) -> None:
    result = repo.run("lanes", "--cycles", "--format=json", "demo::")
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


DREAM = "demo/candidate/dream_engine"
BOARD_ROW = re.compile(
    r"^(demo/\S+)\s+(\S+ -> \S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(READY|BLOCKED)$"
)


def test_promote_without_to_is_the_promotion_board_of_every_demo_module(repo: PantsRepo) -> None:
    # The one end-to-end run of the board (its rows, order and files are RuleRunner- and
    # core-tested); a closed port for OSV makes the supply-chain gate fail fast, offline.
    result = repo.run("promote", "--promote-osv-url=http://127.0.0.1:9/v1/query", "demo::")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "module",
        "from",
        "->",
        "to",
        *"PASS FAIL SKIP NEEDS-HUMAN".split(),
        "verdict",
    ]
    rows = {m.group(1): (m.group(2), m.group(7)) for m in map(BOARD_ROW.match, lines) if m}
    assert {module: direction for module, (direction, _) in rows.items()} == {
        **{
            f"demo/candidate/{m}": "candidate -> core"
            for m in ("broken", "dream_engine", "experiments", "memory_index", "orchestrator")
        },
        **{f"demo/core/{m}": "core -> lukhas" for m in ("config", "legacy", "scoring")},
        "demo/lukhas/service": "lukhas -> products",
    }
    # The planted problems of dream_engine block it.
    assert rows["demo/candidate/dream_engine"][1] == "BLOCKED"
    verdicts = [rows[m.group(1)][1] for m in map(BOARD_ROW.match, lines) if m]
    assert verdicts == sorted(verdicts, key=lambda v: v != "READY")

    def lane_line(lane: str) -> str:
        found = [v for direction, v in rows.values() if direction.startswith(f"{lane} ")]
        ready, blocked = found.count("READY"), found.count("BLOCKED")
        return f"{lane}: {len(found)} modules, {ready} ready, {blocked} blocked"

    tail = lines[lines.index("") + 1 :]
    assert tail[:5] == [
        lane_line("candidate"),
        lane_line("core"),
        lane_line("lukhas"),
        "matriz: 1 modules, 0 ready, 0 blocked",
        "MATRIZ: 1 modules, 0 ready, 0 blocked",
    ]
    assert "    matriz is a library: libraries are never promoted" in lines
    assert tail[-1] == (
        "Board: dist/promote/board.json, dist/promote/board.md, dist/promote/board.html"
    )
    board = json.loads((repo.root / "dist/promote/board.json").read_text())
    assert len(board["modules"]) == 11
    verdicts_in_json = {m["module"]: m["verdict"] for m in board["modules"]}
    assert verdicts_in_json["demo/candidate/dream_engine"] == "BLOCKED"
    # Every candidate's gates ran, even on the unparseable module: none is the engine-failure row.
    gates = {
        m["module"]: {g["gate"] for g in m["evidence"]["gates"]}
        for m in board["modules"]
        if "evidence" in m
    }
    assert "lint" in gates["demo/candidate/broken"]
    assert not [module for module, names in gates.items() if "evaluation" in names]
    assert (repo.root / "dist/promote/board.html").read_text().count("<details>") == 11
    # The real ruff, mypy and black, on files whose BUILD opts them out of the repo's own lint:
    # the board holds a module to the next lane's bar. black stops on a file it cannot parse.
    for finding in (
        f"    lint: {DREAM}/engine.py:5: F401 [*] `os` imported but unused",
        '    type-check: demo/lukhas/service/loader.py:13: error: Name "graph_backend" already '
        "defined (by an import)  [no-redef]",
        "    format: could not check: black exited 123: error: cannot format "
        "demo/candidate/broken/half_written.py: Cannot parse for target version Python 3.9: "
        "5:18:     if steps <= 0 return []",
    ):
        assert finding in lines, result.stdout

    # CI's switch, typed after the specs as users type it (./pants scopes it), on the blocked
    # module alone: warm, its gates' answers from the board's run. The failing tools' too (its
    # ruff finds F401): Pants reruns a failing process every time, lanekeeper's gates do not.
    blocked = repo.run(
        "--stats-log",
        "promote",
        "--promote-osv-url=http://127.0.0.1:9/v1/query",
        f"{DREAM}::",
        "--fail-on-blocked",
    )
    assert blocked.exit_code == 1, blocked.stderr
    assert stats_counters(blocked.stderr)["local_execution_requests"] == 0, blocked.stderr
    # Its row, with the lines under it, as on the whole board (whose columns are wider).
    row = lines.index(next(line for line in lines if line.startswith(f"{DREAM} ")))
    end = next(i for i in range(row + 1, len(lines)) if not lines[i].startswith("    "))
    alone = blocked.stdout.splitlines()[1 : 1 + end - row]
    assert [line.split() for line in alone] == [
        line.split() for line in lines[row:end]
    ], blocked.stdout
