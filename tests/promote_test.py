"""End to end: `./pants promote` on a copy of this repo and its demo monorepo."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from demo_readme import planted_findings
from osv_server import OsvServer, advisory
from pants_repo import PantsRepo, PantsResult, commit_tagged, git, reset_to

READY = "demo/candidate/memory_index"
NOT_READY = "demo/candidate/dream_engine"
AUTOMATED = (
    "lane-progression",
    "lanes",
    "cycles",
    "syntax",
    "lint",
    "format",
    "type-check",
    "tests",
    "coverage",
    "supply-chain",
    "secrets",
    "todo-high",
    "promote-md",
    "docstrings",
)
# A module with a third-party requirement (libcst, locked in python-default with pyyaml).
BENCHMARK = "demo.candidate.parser_kit.speed_benchmark::test_parse_speed"
PARSER_KIT = {
    "BUILD": (
        "python_sources()\n\n"
        'python_tests(name="tests", sources=["*_test.py", "*_benchmark.py"])\n'
    ),
    "speed_benchmark.py": (
        '"""Benchmark of the kit."""\n\nfrom candidate.parser_kit.kit import statement_count\n\n\n'
        "def test_parse_speed() -> None:\n"
        '    """Parse a small module many times."""\n'
        "    for _ in range(20):\n"
        '        assert statement_count("x = 1\\n") == 1\n'
    ),
    # A generous stored baseline: the benchmark passes unless the test below tightens it.
    "benchmark-baseline.json": json.dumps({BENCHMARK: 100.0}),
    "__init__.py": '"""parser_kit: parse Python with libcst."""\n',
    "kit.py": (
        '"""Parse Python source with libcst."""\n\nimport libcst\n\n'
        "# AWS's documented example key id: a known false positive (the repo's baseline below).\n"
        'EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n\n\n'
        "def statement_count(source: str) -> int:\n"
        '    """Number of top-level statements in ``source``."""\n'
        "    return len(libcst.parse_module(source).body)\n"
        # Not formatted as black would write it (quotes, spacing): the format gate's finding.
        "\n\nLIMITS = {'statements':1000}\n"
    ),
    "kit_test.py": (
        '"""Tests for the kit."""\n\nfrom candidate.parser_kit.kit import statement_count\n\n\n'
        "def test_count() -> None:\n"
        '    """Two statements."""\n'
        '    assert statement_count("x = 1\\ny = 2\\n") == 2\n'
    ),
}


KNOWN_SECRET = ("demo/candidate/parser_kit/kit.py", 6)
# The repo's detect-secrets baseline, as `detect-secrets scan` (1.5.0) writes it for that key
# (its `plugins_used` and `filters_used` cut): the key is a known false positive.
SECRETS_BASELINE = {
    "version": "1.5.0",
    "results": {
        KNOWN_SECRET[0]: [
            {
                "type": "AWS Access Key",
                "filename": KNOWN_SECRET[0],
                "hashed_secret": "25910f981e85ca04baf359199dd0bd4a3ae738b6",
                "is_verified": False,
                "line_number": KNOWN_SECRET[1],
            }
        ]
    },
}


@pytest.fixture(scope="module")
def repo(promote_repo: PantsRepo) -> PantsRepo:
    """The demo, plus a module with a third-party requirement for the supply-chain gate and a
    known false positive in the repo's secrets baseline, committed (so that `--apply` gets as
    far as the gates)."""
    reset_to(promote_repo.root, "base")
    for name, text in PARSER_KIT.items():
        path = promote_repo.root / "demo/candidate/parser_kit" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (promote_repo.root / ".secrets.baseline").write_text(json.dumps(SECRETS_BASELINE, indent=2))
    commit_tagged(promote_repo.root, "a module with a third-party requirement", "parser-kit")
    return promote_repo


def promote(repo: PantsRepo, module: str, *args: str) -> PantsResult:
    return repo.run("promote", "--to=core", *args, f"{module}::")


def evidence(repo: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (repo / "dist/promote" / name / "evidence.json").read_text()
    )
    return document


def gates(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {gate["gate"]: gate for gate in document["gates"]}


def table_rows(stdout: str) -> dict[str, str]:
    """The console table: gate name -> status."""
    rows = {}
    for line in stdout.splitlines():
        match = re.match(r"^(\S+)\s+(PASS|FAIL|SKIP|NEEDS-HUMAN)\s", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


@pytest.fixture(scope="module")
def ready_run(repo: PantsRepo) -> PantsResult:
    return promote(repo, READY)


def test_ready_module_passes_every_automated_gate(repo: PantsRepo, ready_run: PantsResult) -> None:
    result = ready_run
    assert result.exit_code == 0, result.stdout + result.stderr
    document = evidence(repo.root, "candidate.memory_index")
    by_name = gates(document)
    assert table_rows(result.stdout) == {g: s["status"] for g, s in by_name.items()}
    for name in AUTOMATED:
        assert by_name[name]["status"] == "PASS", by_name[name]
    assert by_name["sign-off"]["status"] == "NEEDS-HUMAN"
    assert by_name["sign-off"]["details"] == {
        "owner": "@alice",
        "reviewers": ["@bob", "@carol (security)"],
    }
    # The gates that do not apply say why.
    assert by_name["benchmarks"]["status"] == "SKIP" and by_name["benchmarks"]["summary"]
    assert by_name["ethics"]["status"] == "SKIP"
    # The importers that a move must rewrite, from Pants' dependents.
    rewrites = by_name["lanes"]["details"]["importers_to_rewrite"]
    assert sorted(r.split(":")[0] for r in rewrites) == [
        "demo/candidate/orchestrator/executor.py",
        "demo/candidate/orchestrator/planner.py",
        "demo/candidate/orchestrator/planner_test.py",
    ]
    # Coverage is per file, from the coverage of the module's tests and its importers' tests.
    assert by_name["coverage"]["details"]["percent_by_file"] == {
        "demo/candidate/memory_index/__init__.py": 100.0,
        "demo/candidate/memory_index/index.py": 100.0,
    }
    dist = repo.root / "dist/promote/candidate.memory_index"
    junit = sorted(p.name for p in (dist / "artifacts/junit").iterdir())
    assert "demo.candidate.memory_index.index_test.py.tests.xml" in junit
    assert (dist / "artifacts/coverage/run-0.json").exists()
    body = (dist / "PR_BODY.md").read_text()
    assert "- [x] PROMOTE.md attached and complete" in body
    assert "- [ ] Two approvals (tech + security)" in body


def test_not_ready_module_fails_exactly_the_planted_gates_and_is_not_applied(
    repo: PantsRepo,
) -> None:
    planted = planted_findings(repo.root / "demo/README.md")["not-ready-gate"]
    expected_gates = {row.detail.split(":")[0] for row in planted}
    # With `--apply`: the same report, and a refusal that changes nothing.
    result = promote(repo, NOT_READY, "--apply")
    assert result.exit_code == 1
    by_name = gates(evidence(repo.root, "candidate.dream_engine"))
    failed = {name for name, gate in by_name.items() if gate["status"] == "FAIL"}
    assert failed == expected_gates
    assert "error: not applied, nothing changed:" in result.stderr.splitlines(), result.stderr
    for name in failed:
        refusal = f"  gate {name} FAILED: {by_name[name]['summary']}"
        assert refusal in result.stderr.splitlines(), result.stderr
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (repo.root / "promotion-audit.log").exists()
    for row in planted:
        gate = by_name[row.detail.split(":")[0]]
        places = {(f["file"], f["line"]) for f in gate["findings"]}
        assert (row.file, row.line) in places, (row, gate["findings"])
    # Coverage names the number, as the README does.
    percent = re.search(r"covers (\d+)%", next(r.detail for r in planted if "coverage" in r.detail))
    assert percent is not None
    assert by_name["coverage"]["details"]["percent_by_file"][f"{NOT_READY}/engine.py"] == (
        pytest.approx(float(percent.group(1)), abs=0.5)
    )
    # Every gate the README says passes does pass.
    for name in ("syntax", "cycles", "format", "type-check", "tests"):
        assert by_name[name]["status"] == "PASS", by_name[name]
    assert "NOT READY" in result.stdout
    assert f"{NOT_READY}/engine.py:5: F401" in result.stdout


def test_a_target_lane_that_skips_one_is_a_one_line_error(repo: PantsRepo) -> None:
    # Every refusal's wording is proven in lanekeeper/lanes_test.py; here the goal's wiring.
    result = repo.run("promote", "--to=lukhas", f"{READY}::")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: cannot promote {READY} (candidate) to 'lukhas': 'candidate' -> 'lukhas' skips "
        "'core': promote one lane at a time."
    ], result.stderr


def locked_version(repo: Path, project: str) -> str:
    text = (repo / "3rdparty/python/python-default.lock").read_text()
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("//"))
    for requirement in json.loads(body)["locked_resolves"][0]["locked_requirements"]:
        if requirement["project_name"] == project:
            return str(requirement["version"])
    raise AssertionError(f"{project} is not locked")


def kit_gates(repo: PantsRepo, osv_url: str) -> dict[str, dict[str, Any]]:
    result = promote(repo, "demo/candidate/parser_kit", f"--promote-osv-url={osv_url}")
    assert "supply-chain" in table_rows(result.stdout), result.stderr
    return gates(evidence(repo.root, "candidate.parser_kit"))


def test_known_vulnerable_pin_and_slow_benchmark_fail(repo: PantsRepo) -> None:
    version = locked_version(repo.root, "libcst")
    fixture = advisory("GHSA-lk00-0000-0001", "libcst", "999.0", "fixture advisory")
    baseline = repo.root / "demo/candidate/parser_kit/benchmark-baseline.json"
    baseline.write_text(json.dumps({BENCHMARK: 1e-6}))
    try:
        with OsvServer({("libcst", version): [fixture]}) as server:
            by_name = kit_gates(repo, server.url)
            queried = sorted(server.queries)
            # The same day, a second run takes pip-audit's answer (a vulnerability) from the
            # cache: the service is not asked again.
            assert kit_gates(repo, server.url)["supply-chain"] == by_name["supply-chain"]
            assert sorted(server.queries) == queried
    finally:
        baseline.write_text(PARSER_KIT["benchmark-baseline.json"])
    gate = by_name["supply-chain"]
    assert gate["status"] == "FAIL"
    assert [f["message"] for f in gate["findings"]] == [
        f"libcst=={version} has GHSA-lk00-0000-0001 (fixed in 999.0)"
    ]
    # pip-audit asked about the exact locked pins of the closure: libcst and its pyyaml.
    assert queried == [("libcst", version), ("pyyaml", locked_version(repo.root, "pyyaml"))]
    # The benchmark is slower than the budget allows over its (tightened) stored baseline.
    benchmarks = by_name["benchmarks"]
    assert benchmarks["status"] == "FAIL"
    [finding] = benchmarks["findings"]
    assert finding["file"] == "demo/candidate/parser_kit/benchmark-baseline.json"
    assert re.search(
        r"test_parse_speed: [\d.]+s vs 0\.0000s \(\+[\d.]+% > 5%\)", finding["message"]
    )


def test_clean_pins_a_benchmark_within_budget_and_a_known_false_positive_pass(
    repo: PantsRepo,
) -> None:
    with OsvServer({}) as server:
        by_name = kit_gates(repo, server.url)
        assert server.queries
    # detect-secrets found the key, and the repo's baseline lists it: the gate passes.
    scan = repo.root / "dist/promote/candidate.parser_kit/artifacts/detect-secrets.json"
    found = json.loads(scan.read_text())["results"]
    assert [(path, s["line_number"]) for path, hits in found.items() for s in hits] == [
        KNOWN_SECRET
    ]
    # The real black, as the format gate runs it: the file it would reformat.
    findings = [(f["file"], f["line"], f["message"]) for f in by_name["format"]["findings"]]
    assert findings == [("demo/candidate/parser_kit/kit.py", 1, "would be reformatted")]
    secrets = by_name["secrets"]
    assert (secrets["status"], secrets["summary"]) == (
        "PASS",
        "no secrets (1 known false positives in .secrets.baseline)",
    ), secrets
    gate = by_name["supply-chain"]
    assert gate["status"] == "PASS", gate
    assert gate["details"]["pins"][0].startswith("libcst==")
    # The benchmark ran (its JUnit time) and is within budget of the stored baseline.
    benchmarks = by_name["benchmarks"]
    assert benchmarks["status"] == "PASS", benchmarks
    assert 0 < benchmarks["details"]["results"][BENCHMARK] < 100


def test_unreachable_service_is_could_not_check(repo: PantsRepo) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port any more.
    gate = kit_gates(repo, f"http://127.0.0.1:{port}/v1/query")["supply-chain"]
    assert gate["status"] == "FAIL"
    assert gate["summary"].startswith("could not check 2 pins")
