from __future__ import annotations

from lanekeeper.promote.gate import Finding, Status, could_not_check
from lanekeeper.promote.gates.unit_tests import (
    TestRun,
    coverage_gate,
    coverage_threshold,
    unit_tests_gate,
    without_test_runs,
)
from lanekeeper.promote.parsers.lcov import merged_line_coverage

MODULE = "src/candidate/mod"


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
    tests = ["m/a_test.py"]
    gate = coverage_gate(["m/a.py", "m/b.py", "m/c.py"], tests, merged, 90, "core")
    assert gate.status is Status.FAIL
    messages = {f.file: f.message for f in gate.findings}
    assert messages["m/a.py"] == "67% line coverage (2/3 lines) < 90% for lane core"
    assert "not measured" in messages["m/c.py"]
    assert "m/b.py" not in messages
    assert coverage_gate(["m/a.py"], tests, merged, 60, "core").status is Status.PASS


def test_a_module_without_tests_has_no_coverage() -> None:
    gate = coverage_gate(["m/a.py"], [], {}, 90, "core")
    assert (gate.status, gate.summary) == (Status.FAIL, "no tests, so no coverage")
    assert gate.findings == (Finding("m/a.py", 1, "0% line coverage: no tests"),)


def test_the_target_lane_s_threshold_applies_or_the_default() -> None:
    assert coverage_threshold({"core": 80}, 90.0, "core") == 80.0
    assert coverage_threshold({"core": 80}, 90.0, "lukhas") == 90.0


def test_tests_that_could_not_run_leave_coverage_unchecked_and_benchmarks_skipped() -> None:
    tests = could_not_check("tests", "Pants failed: boom")
    assert [(g.gate, g.status, g.summary) for g in without_test_runs(tests)] == [
        ("tests", Status.FAIL, "could not check: Pants failed: boom"),
        ("coverage", Status.FAIL, "could not check: the tests could not run"),
        ("benchmarks", Status.SKIP, "the tests could not run"),
    ]
