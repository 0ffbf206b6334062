"""What every promotion gate returns: PASS, FAIL, SKIP (with its reason) or NEEDS-HUMAN, a
one-line summary and the findings behind it, each naming a file and line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Mapping, Optional

from lanekeeper.kernel.source_text import NotUtf8


class Status(Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    SKIP = "SKIP"
    NEEDS_HUMAN = "NEEDS-HUMAN"


@dataclass(frozen=True, order=True)
class Finding:
    """One piece of evidence: a file and 1-based line (0 when it is about no line)."""

    file: str
    line: int
    message: str

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}" if where else self.message


# Gate names in the order the table prints them, with the title the PR checklist uses. A gate
# not listed here is printed after these.
GATE_TITLES: dict[str, str] = {
    "lane-progression": "Lane progression",
    "lanes": "Import rules in the target lane",
    "cycles": "No import cycle through the module",
    "syntax": "Syntax (every file compiles)",
    "lint": "Static analysis (the repo's linters)",
    "format": "Formatting (the repo's formatters)",
    "type-check": "Type checks (the repo's type checkers)",
    "tests": "Unit tests",
    "coverage": "Coverage per file",
    "supply-chain": "Supply chain (pip-audit, pinned requirements)",
    "secrets": "Secret scan (detect-secrets)",
    "todo-high": "No TODO-HIGH",
    "promote-md": "PROMOTE.md (why, acceptance criteria, risks)",
    "docstrings": "Docstrings on public modules, classes and functions",
    "benchmarks": "Benchmarks within budget",
    "ethics": "Ethics gate",
    "sign-off": "Owner and two reviewers (one security)",
}


@dataclass(frozen=True)
class GateResult:
    gate: str
    status: Status
    summary: str
    findings: tuple[Finding, ...] = ()
    details: str = "{}"  # a JSON object of the gate's inputs and outputs (hashable: a string)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "gate": self.gate,
            "title": GATE_TITLES.get(self.gate, self.gate),
            "status": self.status.value,
            "summary": self.summary,
            "findings": [
                {"file": f.file, "line": f.line, "message": f.message} for f in self.findings
            ],
            "details": json.loads(self.details),
        }


def details(values: Mapping[str, Any]) -> str:
    """A gate's details as the JSON text `GateResult.details` holds."""
    return json.dumps(dict(values), sort_keys=True)


def judged(
    gate: str,
    findings: Iterable[Finding],
    ok: str,
    bad: str,
    data: Optional[Mapping[str, Any]] = None,
) -> GateResult:
    """FAIL with `bad` (formatted with the count) when there are findings, else PASS with `ok`."""
    found = tuple(sorted(set(findings)))
    text = details(data or {})
    if found:
        return GateResult(gate, Status.FAIL, bad.format(n=len(found)), found, text)
    return GateResult(gate, Status.PASS, ok, (), text)


def skip(gate: str, reason: str) -> GateResult:
    return GateResult(gate, Status.SKIP, reason)


def could_not_check(gate: str, reason: str, findings: Iterable[Finding] = ()) -> GateResult:
    """A gate whose evidence could not be gathered FAILs: it never passes unchecked."""
    return GateResult(gate, Status.FAIL, f"could not check: {reason}", tuple(sorted(findings)))


def unreadable_files(gate: str, files: Iterable[tuple[str, NotUtf8]]) -> Optional[GateResult]:
    """FAIL for a gate whose Pants rules would parse a file Pants cannot read (`files`: each
    path with why it is not UTF-8); None when there is none."""
    findings = [
        Finding(path, problem.line, f"{problem.problem}; {problem.fix}") for path, problem in files
    ]
    if not findings:
        return None
    return could_not_check(
        gate, "Pants' dependency inference cannot read files this gate needs", findings
    )


# Pants' closing hint on a failed process: it says nothing about why the process failed.
_SANDBOX_HINT = "Use `--keep-sandboxes="


def engine_failure(gate: str, error: str) -> GateResult:
    """A gate whose Pants rules failed: the last line of the engine's error says why (for a
    failed process, the last line of its output, above Pants' `--keep-sandboxes` hint)."""
    lines = [ln.strip() for ln in error.splitlines() if ln.strip()]
    last = [ln for ln in lines if not ln.startswith(_SANDBOX_HINT)][-1:] or ["an engine error"]
    return could_not_check(gate, f"Pants failed: {last[0]}")
