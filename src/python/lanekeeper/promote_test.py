from __future__ import annotations

import json

import pytest

from lanekeeper.imports import ImportEdge
from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.promote import (
    Finding,
    PromotionReport,
    Status,
    TestRun,
    ToolRun,
    benchmark_gate,
    could_not_check,
    coverage_gate,
    cycle_gate,
    docstring_gate,
    ethics_gate,
    evidence_json,
    format_gate,
    import_rules_gate,
    junit_durations,
    merged_line_coverage,
    module_directory,
    module_importers,
    ordered,
    parse_lockfile,
    pins_from_lockfile,
    pr_body,
    promote_md_gate,
    render_table,
    secrets_gate,
    signoff_gate,
    supply_chain_gate,
    syntax_gate,
    todo_high_gate,
    tool_gate,
    unit_tests_gate,
)
from lanekeeper.promote_analyze import analyze_file
from lanekeeper.signoff import SignOff, parse_signoff
from lanekeeper.todos import scan_todos

CONFIG = LaneConfig.parse(
    order=["candidate", "core", "lukhas"],
    libraries=["lib"],
    production=["core", "lukhas"],
    paths={
        "candidate": ["src/candidate/**"],
        "core": ["src/core/**"],
        "lukhas": ["src/lukhas/**"],
        "lib": ["src/lib/**"],
    },
    allowed_imports={"candidate": ["core", "lib"], "core": ["lib"], "lukhas": ["core", "lib"]},
)
MODULE = "src/candidate/mod"


def edge(importer: str, line: int, imported: str) -> ImportEdge:
    return ImportEdge(importer, line, imported.replace("/", "."), imported)


def test_module_directory_is_the_common_folder() -> None:
    assert module_directory([f"{MODULE}/a.py", f"{MODULE}/sub/b.py"]) == MODULE
    with pytest.raises(ValueError):
        module_directory([])


def test_module_importers_are_the_files_outside_it_that_import_it() -> None:
    edges = [
        edge("src/core/a.py", 3, f"{MODULE}/x.py"),
        edge(f"{MODULE}/y.py", 1, f"{MODULE}/x.py"),  # inside the module
        edge("src/core/b.py", 1, "src/core/a.py"),
        ImportEdge("src/lukhas/c.py", 0, "src/candidate/mod:lib", MODULE),  # explicit
    ]
    assert module_importers(MODULE, edges) == ["src/core/a.py", "src/lukhas/c.py"]


def test_a_gate_that_could_not_check_fails() -> None:
    gate = could_not_check("mypy", "Pants cannot read a file", [Finding("a.py", 2, "not UTF-8")])
    assert (gate.status, gate.summary) == (Status.FAIL, "could not check: Pants cannot read a file")


def test_import_rules_name_the_import_that_reaches_a_forbidden_lane() -> None:
    edges = [
        edge(f"{MODULE}/a.py", 3, "src/lib/x.py"),
        edge(f"{MODULE}/a.py", 4, "src/core/c.py"),
        # core imports lukhas: reached transitively from the module.
        edge("src/core/c.py", 7, "src/lukhas/l.py"),
    ]
    gate = import_rules_gate(CONFIG, MODULE, "core", edges, [])
    assert gate.status is Status.FAIL
    assert len(gate.findings) == 1
    finding = gate.findings[0]
    assert (finding.file, finding.line) == (f"{MODULE}/a.py", 4)
    assert "src/lukhas/l.py is in lane lukhas" in finding.message
    assert "via src/core/c.py -> src/lukhas/l.py" in finding.message


def test_import_rules_list_importers_and_fail_those_that_would_break() -> None:
    ok = edge("src/lukhas/user.py", 2, f"{MODULE}/a.py")
    broken = edge("src/lib/uses.py", 5, f"{MODULE}/a.py")
    gate = import_rules_gate(CONFIG, MODULE, "core", [], [ok, broken])
    assert gate.status is Status.FAIL
    assert [(f.file, f.line) for f in gate.findings] == [("src/lib/uses.py", 5)]
    details = json.loads(gate.details)
    assert details["importers_to_rewrite"] == ["src/lib/uses.py:5", "src/lukhas/user.py:2"]
    clean = import_rules_gate(CONFIG, MODULE, "core", [], [ok])
    assert clean.status is Status.PASS


def test_cycle_through_the_module_fails_and_others_do_not() -> None:
    cycle = [
        edge(f"{MODULE}/a.py", 1, f"{MODULE}/b.py"),
        edge(f"{MODULE}/b.py", 2, f"{MODULE}/a.py"),
    ]
    elsewhere = [
        edge("src/core/x.py", 1, "src/core/y.py"),
        edge("src/core/y.py", 1, "src/core/x.py"),
    ]
    assert cycle_gate(MODULE, cycle).status is Status.FAIL
    assert cycle_gate(MODULE, cycle).findings[0].file.startswith(MODULE)
    assert cycle_gate(MODULE, elsewhere).status is Status.PASS


def test_analysis_reports_syntax_errors_and_missing_docstrings() -> None:
    good = analyze_file("m/good.py", b'"""Doc."""\n\ndef f():\n    """Doc."""\n')
    bad = analyze_file("m/bad.py", b"if x\n    pass\n")
    missing = analyze_file(
        "m/missing.py",
        b"class C:\n    def m(self):\n        pass\n\n    def _p(self):\n        pass\n\n"
        b"def _private():\n    pass\n",
    )
    test_file = analyze_file("m/thing_test.py", b"def test_x():\n    pass\n")
    assert syntax_gate([good, missing]).status is Status.PASS
    failed = syntax_gate([good, bad])
    assert failed.status is Status.FAIL
    assert (failed.findings[0].file, failed.findings[0].line) == ("m/bad.py", 1)
    docs = docstring_gate([good, missing, test_file])
    assert docs.status is Status.FAIL
    assert [(f.line, f.message) for f in docs.findings] == [
        (1, "public class C has no docstring"),
        (1, "public module missing has no docstring"),
        (2, "public method C.m has no docstring"),
    ]
    assert analyze_file("m/latin.py", b"x = '\xe9'\n")["syntax_error"]["message"].startswith(
        "not UTF-8"
    )


def test_tool_gate_names_file_and_line_of_the_module_only() -> None:
    output = f"{MODULE}/a.py:5:8: F401 `os` imported but unused\nsrc/other.py:1:1: E501\n"
    gate = tool_gate("lint", MODULE, [ToolRun("ruff", 1, output)], "ruff")
    assert gate.status is Status.FAIL
    assert gate.findings == (Finding(f"{MODULE}/a.py", 5, "F401 `os` imported but unused"),)
    assert tool_gate("lint", MODULE, [ToolRun("ruff", 0, "All checks passed!")], "ruff").status is (
        Status.PASS
    )
    assert tool_gate("lint", MODULE, [], "ruff").status is Status.SKIP
    # A failure naming no module file still fails.
    crashed = tool_gate("mypy", MODULE, [ToolRun("mypy", 2, "internal error")], "mypy")
    assert crashed.status is Status.FAIL


def test_format_gate_names_the_reformatted_files() -> None:
    files = [f"{MODULE}/a.py", f"{MODULE}/b.py"]
    gate = format_gate(MODULE, [ToolRun("black", 1, f"reformatted {MODULE}/b.py\n")], files)
    assert [(f.file, f.message) for f in gate.findings] == [
        (f"{MODULE}/b.py", "would be reformatted")
    ]
    assert format_gate(MODULE, [ToolRun("black", 0, "")], files).status is Status.PASS


JUNIT_OK = '<testsuites><testsuite><testcase classname="t" name="a"/></testsuite></testsuites>'
JUNIT_FAIL = (
    '<testsuite><testcase classname="t" name="a"/>'
    '<testcase classname="t" name="b"><failure message="x"/></testcase></testsuite>'
)


def test_tests_gate() -> None:
    assert unit_tests_gate(MODULE, [], []).status is Status.FAIL
    passed = unit_tests_gate(MODULE, ["t_test.py"], [TestRun("t", 0, JUNIT_OK)])
    assert passed.status is Status.PASS and passed.summary.startswith("1 tests passed")
    failed = unit_tests_gate(MODULE, ["t_test.py"], [TestRun("t", 1, JUNIT_FAIL)])
    assert failed.status is Status.FAIL
    assert "t::b failed" in failed.findings[0].message
    assert unit_tests_gate(MODULE, ["t_test.py"], [TestRun("t", 1, None)]).status is Status.FAIL


LCOV_A = "SF:m/a.py\nDA:1,1\nDA:2,0\nDA:3,0\nend_of_record\n"
LCOV_B = "SF:m/a.py\nDA:1,1\nDA:2,1\nDA:3,0\nend_of_record\nSF:m/b.py\nDA:1,1\nend_of_record\n"


def test_coverage_merges_runs_per_statement_and_checks_each_file() -> None:
    merged = merged_line_coverage([LCOV_A, LCOV_B])
    assert merged == {"m/a.py": (2, 3), "m/b.py": (1, 1)}
    gate = coverage_gate(["m/a.py", "m/b.py", "m/c.py"], merged, 90, "core")
    assert gate.status is Status.FAIL
    messages = {f.file: f.message for f in gate.findings}
    assert messages["m/a.py"] == "67% line coverage (2/3 lines) < 90% for lane core"
    assert "not measured" in messages["m/c.py"]
    assert "m/b.py" not in messages
    assert coverage_gate(["m/a.py"], merged, 60, "core").status is Status.PASS


LOCK = """// This lockfile was autogenerated by Pants.
// --- BEGIN PANTS LOCKFILE METADATA ---
// --- END PANTS LOCKFILE METADATA ---
{"locked_resolves": [{"locked_requirements": [
  {"project_name": "LibCST", "version": "1.9.0",
   "requires_dists": ["pyyaml>=5.2", "typing-extensions; python_version < \\"3.10\\""]},
  {"project_name": "PyYAML", "version": "6.0.3", "requires_dists": []},
  {"project_name": "pytest", "version": "7.0.1",
   "requires_dists": ["hypothesis; extra == \\"testing\\""]}
]}]}
"""


def test_pins_follow_the_lockfile_closure() -> None:
    locked = parse_lockfile(LOCK)
    pins = pins_from_lockfile(["libcst>=1.5,<2", "left-pad==1.0"], locked)
    assert pins.pins == (("libcst", "1.9.0"), ("pyyaml", "6.0.3"))
    assert pins.unlocked == ("left-pad",)
    assert pins_from_lockfile(["libcst"], None).unlocked == ("libcst",)


def test_supply_chain_gate() -> None:
    pins = pins_from_lockfile(["libcst"], parse_lockfile(LOCK))
    report = json.dumps(
        {
            "dependencies": [
                {
                    "name": "libcst",
                    "version": "1.9.0",
                    "vulns": [{"id": "GHSA-1", "fix_versions": ["2.0"]}],
                },
                {"name": "pyyaml", "version": "6.0.3", "vulns": []},
            ]
        }
    )
    failed = supply_chain_gate(pins, "lock", report, None, "url")
    assert failed.status is Status.FAIL
    assert failed.findings[0].message == "libcst==1.9.0 has GHSA-1 (fixed in 2.0)"
    clean = json.dumps({"dependencies": [{"name": "libcst", "version": "1.9.0", "vulns": []}]})
    assert supply_chain_gate(pins, "lock", clean, None, "url").status is Status.PASS
    unreachable = supply_chain_gate(pins, "lock", None, "ConnectionError", "url")
    assert unreachable.status is Status.FAIL
    assert unreachable.summary.startswith("could not check 2 pins against url: ConnectionError")
    unlocked = pins_from_lockfile(["nope"], parse_lockfile(LOCK))
    assert supply_chain_gate(unlocked, "lock", None, None, "url").status is Status.FAIL
    none = pins_from_lockfile([], parse_lockfile(LOCK))
    assert supply_chain_gate(none, "lock", None, None, "url").status is Status.PASS


def test_secrets_gate_honours_the_baseline_and_groups_by_line() -> None:
    scan = {
        "results": {
            "m/a.py": [
                {"type": "AWS Access Key", "hashed_secret": "h1", "line_number": 3},
                {"type": "Secret Keyword", "hashed_secret": "h2", "line_number": 3},
                {"type": "Secret Keyword", "hashed_secret": "h3", "line_number": 9},
            ]
        }
    }
    gate = secrets_gate(json.dumps(scan), None, ".secrets.baseline")
    assert [(f.line, f.message) for f in gate.findings] == [
        (3, "AWS Access Key, Secret Keyword"),
        (9, "Secret Keyword"),
    ]
    baseline = {"results": {"m/a.py": [{"hashed_secret": "h3"}]}}
    partial = secrets_gate(json.dumps(scan), json.dumps(baseline), ".secrets.baseline")
    assert [f.line for f in partial.findings] == [3]
    assert secrets_gate('{"results": {}}', None, "b").status is Status.PASS


def test_todo_high_gate() -> None:
    scan = scan_todos(
        "m/a.py",
        "# TODO[2026-01-01][PRIORITY:HIGH][OWNER:@a][SCOPE:PROD] : fix\n"
        "# TODO[2026-01-01][PRIORITY:LOW][OWNER:@a][SCOPE:PROD] : later\n",
    )
    gate = todo_high_gate([scan])
    assert [(f.file, f.line) for f in gate.findings] == [("m/a.py", 1)]


PROMOTE_MD = """# Promote

Owner: @ann
Reviewers: @bo, @cy (security)

## Why
x
## Acceptance criteria
y
## Risks
z
"""


def test_promote_md_gate() -> None:
    assert promote_md_gate("m/PROMOTE.md", PROMOTE_MD).status is Status.PASS
    missing = promote_md_gate("m/PROMOTE.md", None, "m/__init__.py")
    assert (missing.findings[0].file, missing.findings[0].line) == ("m/__init__.py", 1)
    partial = promote_md_gate("m/PROMOTE.md", "## Why\n")
    assert [f.message for f in partial.findings] == [
        "no `## Acceptance criteria` section",
        "no `## Risks` section",
    ]


def test_signoffs_are_recorded_never_given() -> None:
    from_md = parse_signoff(None, [], PROMOTE_MD, "m/PROMOTE.md")
    assert from_md == SignOff("@ann", ("@bo", "@cy (security)"), "m/PROMOTE.md")
    assert signoff_gate(from_md).status is Status.NEEDS_HUMAN
    cli = parse_signoff("@zed", ["@q"], PROMOTE_MD, "m/PROMOTE.md")
    gate = signoff_gate(cli)
    assert gate.status is Status.NEEDS_HUMAN
    assert "1 reviewer named, 2 needed" in gate.summary
    assert "no security reviewer named" in gate.summary


def test_ethics_gate() -> None:
    assert ethics_gate("src/candidate/mod", ["ethics"], "E.md", False).status is Status.SKIP
    assert ethics_gate("src/candidate/ethics/x", ["ethics"], "E.md", False).status is Status.FAIL
    assert ethics_gate("src/candidate/ethics", ["ethics"], "E.md", True).status is (
        Status.NEEDS_HUMAN
    )


JUNIT_BENCH = (
    '<testsuite><testcase classname="m.speed_benchmark" name="test_index" time="1.1"/>'
    '<testcase classname="m.thing_test" name="test_x" time="9"/></testsuite>'
)


def test_benchmark_gate() -> None:
    bench = ["m/speed_benchmark.py"]
    assert benchmark_gate([], {}, None, 0.05, "b.json").status is Status.SKIP
    results = junit_durations(JUNIT_BENCH, bench)
    assert results == {"m.speed_benchmark::test_index": 1.1}
    missing = benchmark_gate(bench, results, None, 0.05, "b.json")
    assert missing.status is Status.FAIL and "no stored baseline" in missing.findings[0].message
    slow = benchmark_gate(bench, results, '{"m.speed_benchmark::test_index": 1.0}', 0.05, "b")
    assert slow.status is Status.FAIL and "+10.0% > 5%" in slow.findings[0].message
    ok = benchmark_gate(bench, results, '{"m.speed_benchmark::test_index": 1.06}', 0.05, "b")
    assert ok.status is Status.PASS
    assert benchmark_gate(bench, results, "[1]", 0.05, "b").status is Status.FAIL
    not_run = benchmark_gate([], {}, "{}", 0.05, "b", not_tests=bench)
    assert (
        not_run.status is Status.FAIL and "not a python_tests target" in not_run.findings[0].message
    )


def test_report_renders_table_evidence_and_pr_body() -> None:
    gates = ordered(
        [
            signoff_gate(SignOff("@a", ("@b", "@c (security)"), "cli")),
            todo_high_gate([]),
            promote_md_gate("m/PROMOTE.md", None, "m/__init__.py"),
        ]
    )
    report = PromotionReport("m", "candidate", "core", gates, ("dist/x.xml",))
    assert report.failed
    table = render_table(report)
    assert table.splitlines()[2].split()[:2] == ["todo-high", "PASS"]
    assert "m/__init__.py:1: no m/PROMOTE.md" in table
    assert table.rstrip().endswith("NOT READY: m -> core")
    document = evidence_json(report)
    assert [g["status"] for g in document["gates"]] == ["PASS", "FAIL", "NEEDS-HUMAN"]
    assert document["gates"][2]["details"]["owner"] == "@a"
    body = pr_body(report)
    assert "- [ ] PROMOTE.md attached and complete (promote-md FAIL)" in body
    assert "- [ ] Owner sign-off (sign-off NEEDS-HUMAN)" in body
