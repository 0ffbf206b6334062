"""LCOV coverage reports: the hit count of every statement line, merged over several runs."""

from __future__ import annotations

from typing import Iterable, Optional


def parse_lcov(text: str) -> dict[str, dict[int, int]]:
    """Per file, the hit count of every statement line (`SF:`, `DA:` records of an lcov report)."""
    files: dict[str, dict[int, int]] = {}
    current: Optional[dict[int, int]] = None
    for line in text.splitlines():
        if line.startswith("SF:"):
            current = files.setdefault(line[3:].strip(), {})
        elif line.startswith("DA:") and current is not None:
            number, hits = line[3:].split(",")[:2]
            current[int(number)] = current.get(int(number), 0) + int(hits)
        elif line.startswith("end_of_record"):
            current = None
    return files


def merged_line_coverage(reports: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Per file (covered, statements) over several lcov reports: a statement counts as covered
    if any run executed it. (coverage's JSON lists traced lines, which can include docstrings
    that are not statements, so its executed lines cannot be merged exactly.)"""
    hits: dict[str, dict[int, int]] = {}
    for report in reports:
        for path, lines in parse_lcov(report).items():
            merged = hits.setdefault(path, {})
            for number, count in lines.items():
                merged[number] = merged.get(number, 0) + count
    return {
        path: (sum(1 for count in lines.values() if count > 0), len(lines))
        for path, lines in hits.items()
    }
