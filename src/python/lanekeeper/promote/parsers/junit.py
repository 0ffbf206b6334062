"""JUnit XML reports, as pytest writes them: pass/fail counts and per-case durations."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Sequence


def junit_counts(xml_text: str) -> tuple[int, int, int, list[str]]:
    """(tests, failures+errors, skipped, failing test names) of a JUnit XML report."""
    root = ET.fromstring(xml_text)
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = failed = skipped = 0
    names = []
    for suite in suites:
        for case in suite.iter("testcase"):
            tests += 1
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                names.append(f"{case.get('file') or case.get('classname')}::{case.get('name')}")
            elif case.find("skipped") is not None:
                skipped += 1
    return tests, failed, skipped, names


def junit_durations(xml_text: str, benchmark_files: Sequence[str]) -> dict[str, float]:
    """Seconds per test case (`classname::name`) of the JUnit cases from `benchmark_files`."""
    stems = {path.rsplit("/", 1)[-1][: -len(".py")] for path in benchmark_files}
    durations = {}
    for case in ET.fromstring(xml_text).iter("testcase"):
        classname = case.get("classname") or ""
        if stems & set(classname.split(".")):
            durations[f"{classname}::{case.get('name')}"] = float(case.get("time") or 0)
    return durations
