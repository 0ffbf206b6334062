from __future__ import annotations

from lanekeeper.promote.gate import Status
from lanekeeper.promote.gates.benchmarks import benchmark_gate
from lanekeeper.promote.parsers.junit import junit_durations

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
