"""The benchmarks gate: the module's `*_benchmark.py` cases, timed by their JUnit XML, within
`[promote].regression_budget` of the baseline stored in the module folder."""

from __future__ import annotations

import json
from typing import Mapping, Optional, Sequence

from lanekeeper.promote.gate import Finding, GateResult, judged, skip
from lanekeeper.promote.module import BENCHMARK_SUFFIX


def parse_benchmark_baseline(text: str) -> dict[str, float]:
    """A JSON object of seconds per benchmark (`classname::name`); ValueError if it is not."""
    document = json.loads(text)
    if not isinstance(document, dict) or not all(
        isinstance(v, (int, float)) for v in document.values()
    ):
        raise ValueError("expected a JSON object of seconds per benchmark name")
    return {str(k): float(v) for k, v in document.items()}


def benchmark_gate(
    benchmarks: Sequence[str],
    results: Mapping[str, float],
    baseline_text: Optional[str],
    budget: float,
    baseline_path: str,
    not_tests: Sequence[str] = (),
) -> GateResult:
    """`results`: seconds per benchmark (from the JUnit XML of the module's benchmark tests);
    the stored baseline is a JSON object of the same; slower than `budget` (a fraction) FAILs.
    `not_tests`: benchmark files that no `python_tests` target owns, so they cannot run."""
    if not benchmarks and not not_tests:
        return skip("benchmarks", f"the module has no benchmark files (*{BENCHMARK_SUFFIX})")
    findings = [
        Finding(path, 1, "not a python_tests target: add it to one so that it can run")
        for path in not_tests
    ]
    if benchmarks and not results:
        findings.append(Finding(benchmarks[0], 1, "no benchmark result in the JUnit XML"))
    baseline: Optional[dict[str, float]] = None
    if baseline_text is None:
        findings.append(Finding(baseline_path, 0, "no stored baseline: record one"))
    else:
        try:
            baseline = parse_benchmark_baseline(baseline_text)
        except ValueError as e:
            findings.append(Finding(baseline_path, 1, f"unreadable baseline: {e}"))
    for name, seconds in sorted(results.items()):
        if baseline is None:
            break
        before = baseline.get(name)
        if before is None:
            findings.append(Finding(baseline_path, 0, f"{name}: no baseline value"))
        elif before > 0 and seconds > before * (1 + budget):
            findings.append(
                Finding(
                    baseline_path,
                    0,
                    f"{name}: {seconds:.4f}s vs {before:.4f}s (+{100 * (seconds / before - 1):.1f}%"
                    f" > {100 * budget:g}%)",
                )
            )
    return judged(
        "benchmarks",
        findings,
        f"{len(results)} benchmarks within {100 * budget:g}% of {baseline_path}",
        "{n} benchmark findings",
        {"results": dict(results), "budget": budget, "baseline": baseline_path},
    )
