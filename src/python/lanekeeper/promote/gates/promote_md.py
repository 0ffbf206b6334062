"""The PROMOTE.md gate: the module's promotion document, with the sections the guide asks for."""

from __future__ import annotations

import re
from typing import Optional

from lanekeeper.promote.gate import Finding, GateResult, Status, judged

REQUIRED_SECTIONS = ("Why", "Acceptance criteria", "Risks")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def promote_md_gate(path: str, text: Optional[str], package: Optional[str] = None) -> GateResult:
    """`package`: the module's `__init__.py`, where a missing PROMOTE.md is reported (line 1)."""
    if text is None:
        sections = ", ".join(REQUIRED_SECTIONS)
        return GateResult(
            "promote-md",
            Status.FAIL,
            f"there is no {path}",
            (Finding(package or path, 1 if package else 0, f"no {path}: add one with {sections}"),),
        )
    headings: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADING.match(line)
        if match:
            headings.setdefault(match.group(1).strip().lower(), number)
    missing = [s for s in REQUIRED_SECTIONS if s.lower() not in headings]
    findings = [Finding(path, 1, f"no `## {section}` section") for section in missing]
    return judged(
        "promote-md",
        findings,
        f"{path} has {', '.join(REQUIRED_SECTIONS)}",
        "{n} sections missing",
    )
