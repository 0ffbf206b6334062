"""The gates of the module's test runs: its tests pass, and each of its files is covered to the
target lane's threshold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from lanekeeper.promote.gate import Finding, GateResult, Status, could_not_check, judged, skip
from lanekeeper.promote.parsers.junit import junit_counts


@dataclass(frozen=True)
class TestRun:
    """One pytest process: what it ran, its exit code, its JUnit XML (or None)."""

    __test__ = False  # not a pytest class

    description: str
    exit_code: int
    junit_xml: Optional[str]
    output: str = ""


def unit_tests_gate(module: str, test_files: Sequence[str], runs: Sequence[TestRun]) -> GateResult:
    if not test_files:
        return GateResult(
            "tests", Status.FAIL, "the module has no tests", (Finding(module, 0, "no test files"),)
        )
    findings = []
    total = 0
    for run in runs:
        if run.junit_xml is None:
            findings.append(
                Finding("", 0, f"{run.description}: no JUnit XML (exit {run.exit_code})")
            )
            continue
        tests, failed, _, names = junit_counts(run.junit_xml)
        total += tests
        findings.extend(Finding("", 0, f"{run.description}: {name} failed") for name in names)
        if run.exit_code != 0 and not names:
            findings.append(Finding("", 0, f"{run.description}: pytest exited {run.exit_code}"))
    return judged(
        "tests",
        findings,
        f"{total} tests passed in {len(runs)} pytest runs ({len(test_files)} test files)",
        "{n} test failures",
        {"runs": [{"run": r.description, "exit_code": r.exit_code} for r in runs]},
    )


def coverage_threshold(thresholds: Mapping[str, float], default: float, target: str) -> float:
    """The minimum line coverage of the target lane (`[promote].coverage_thresholds`), or the
    default for a lane not listed."""
    return float(thresholds.get(target, default))


def coverage_gate(
    module_sources: Sequence[str],
    module_tests: Sequence[str],
    coverage: Mapping[str, tuple[int, int]],
    threshold: float,
    target: str,
) -> GateResult:
    """Line coverage of each non-test file of the module against `target`'s threshold; a module
    without tests has none."""
    if not module_tests:
        return GateResult(
            "coverage",
            Status.FAIL,
            "no tests, so no coverage",
            tuple(Finding(path, 1, "0% line coverage: no tests") for path in module_sources),
        )
    findings = []
    percents = {}
    for path in sorted(module_sources):
        covered, total = coverage.get(path, (0, -1))
        if total < 0:
            findings.append(Finding(path, 1, "not measured: no test imports this file"))
            continue
        percent = 100.0 if total == 0 else 100.0 * covered / total
        percents[path] = round(percent, 1)
        if percent < threshold:
            findings.append(
                Finding(
                    path,
                    1,
                    f"{percent:.0f}% line coverage ({covered}/{total} lines) < {threshold:g}% "
                    f"for lane {target}",
                )
            )
    lowest = min(percents.values()) if percents else 0.0
    return judged(
        "coverage",
        findings,
        f"{len(percents)} files, lowest {lowest:.0f}% >= {threshold:g}% for lane {target}",
        "{n} files below " + f"{threshold:g}%",
        {"threshold": threshold, "percent_by_file": percents},
    )


def without_test_runs(tests: GateResult) -> tuple[GateResult, ...]:
    """The test-run gates when the tests could not run (`tests` says why)."""
    reason = "the tests could not run"
    return (tests, could_not_check("coverage", reason), skip("benchmarks", reason))
