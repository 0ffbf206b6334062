"""Promotion gates: pure decisions over evidence that the Pants plugin gathers.

Each gate function takes plain data (paths, tool outputs, parsed documents) and returns a
`GateResult`: PASS, FAIL, SKIP (with its reason) or NEEDS-HUMAN, a one-line summary and the
findings behind it, each naming a file and line. Nothing here runs a tool or reads a file;
`render_table`, `evidence_json` and `pr_body` turn a `PromotionReport` into what the goal
prints and writes.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Mapping, Optional, Sequence

from lanekeeper.cycles import find_cycles
from lanekeeper.imports import ImportEdge
from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.signoff import SignOff, signoff_problems
from lanekeeper.todos import TodoScan


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


# Gate names in the order the table prints them, with the title the PR checklist uses.
GATE_TITLES: dict[str, str] = {
    "lane-progression": "Lane progression",
    "lanes": "Import rules in the target lane",
    "cycles": "No import cycle through the module",
    "syntax": "Syntax (every file compiles)",
    "lint": "Static analysis (ruff)",
    "format": "Formatting (black)",
    "mypy": "Type checks (mypy)",
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


def _gate(
    gate: str,
    findings: Iterable[Finding],
    ok: str,
    bad: str,
    details: Optional[Mapping[str, Any]] = None,
) -> GateResult:
    """FAIL with `bad` (formatted with the count) when there are findings, else PASS with `ok`."""
    found = tuple(sorted(set(findings)))
    data = _details(details or {})
    if found:
        return GateResult(gate, Status.FAIL, bad.format(n=len(found)), found, data)
    return GateResult(gate, Status.PASS, ok, (), data)


def _details(values: Mapping[str, Any]) -> str:
    return json.dumps(dict(values), sort_keys=True)


def skip(gate: str, reason: str) -> GateResult:
    return GateResult(gate, Status.SKIP, reason)


def could_not_check(gate: str, reason: str, findings: Iterable[Finding]) -> GateResult:
    """A gate whose evidence could not be gathered FAILs: it never passes unchecked."""
    return GateResult(gate, Status.FAIL, f"could not check: {reason}", tuple(sorted(findings)))


# ---------------------------------------------------------------------------------------------
# The module
# ---------------------------------------------------------------------------------------------


def is_test_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.endswith("_test.py") or name.startswith("test_") or name == "conftest.py"


def module_directory(paths: Sequence[str]) -> str:
    """The deepest directory holding every one of `paths` (the module being promoted)."""
    if not paths:
        raise ValueError("no files to promote")
    parts = [p.split("/")[:-1] for p in paths]
    common: list[str] = []
    for segments in zip(*parts):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return "/".join(common)


def in_module(module: str, path: str) -> bool:
    return path == module or path.startswith(module + "/") or module == ""


def module_importers(module: str, edges: Iterable[ImportEdge]) -> list[str]:
    """The files outside `module` whose imports (or explicit dependencies) reach into it."""
    return sorted(
        {
            edge.importer
            for edge in edges
            if in_module(module, edge.imported) and not in_module(module, edge.importer)
        }
    )


# ---------------------------------------------------------------------------------------------
# 1-3: lanes, import rules, cycles
# ---------------------------------------------------------------------------------------------


def lane_progression_gate(config: LaneConfig, module: str, source: str, target: str) -> GateResult:
    """Callers report `config.check_promotion` errors themselves; this records the step taken."""
    return GateResult(
        "lane-progression",
        Status.PASS,
        f"{source} -> {target} is the next lane in `[lanes].order` ({' -> '.join(config.order)})",
        (),
        _details({"module": module, "source_lane": source, "target_lane": target}),
    )


def import_rules_gate(
    config: LaneConfig,
    module: str,
    target: str,
    edges: Iterable[ImportEdge],
    dependents: Iterable[ImportEdge],
) -> GateResult:
    """Every first-party file the module reaches (transitively) must be importable from
    `target`; every importer outside the module must be allowed to import `target`.

    `edges` are the import edges of every file in the module's transitive closure;
    `dependents` the edges from files outside the module into it.
    """
    by_importer: dict[str, list[ImportEdge]] = {}
    for edge in edges:
        by_importer.setdefault(edge.importer, []).append(edge)
    # Breadth-first from the module's files, remembering the edge that first reached a file.
    reached_by: dict[str, ImportEdge] = {}
    frontier = sorted(p for p in by_importer if in_module(module, p))
    seen = set(frontier)
    while frontier:
        nxt = []
        for importer in frontier:
            for edge in sorted(by_importer.get(importer, ())):
                if edge.imported not in seen:
                    seen.add(edge.imported)
                    reached_by[edge.imported] = edge
                    nxt.append(edge.imported)
        frontier = nxt

    findings = []
    checked: list[str] = []
    for path in sorted(reached_by):
        if in_module(module, path):
            continue
        lane = config.lane_of(path)
        checked.append(path)
        if lane is None or lane == target or config.may_import(target, lane):
            continue
        edge = reached_by[path]
        chain = [edge]
        while not in_module(module, chain[-1].importer):
            chain.append(reached_by[chain[-1].importer])
        first = chain[-1]
        via = (
            "" if len(chain) == 1 else f" (via {' -> '.join(e.imported for e in reversed(chain))})"
        )
        findings.append(
            Finding(
                first.importer,
                first.line,
                f"{path} is in lane {lane}, which {target} may not import{via}; "
                f"{target} may import {', '.join(config.allowed_for(target))}",
            )
        )
    rewrites = []
    for edge in sorted(set(dependents)):
        if in_module(module, edge.importer):
            continue
        rewrites.append(f"{edge.importer}:{edge.line}")
        lane = config.lane_of(edge.importer)
        if lane is None or lane == target or config.may_import(lane, target):
            continue
        findings.append(
            Finding(
                edge.importer,
                edge.line,
                f"imports {edge.module}; lane {lane} may not import {target} after the move",
            )
        )
    return _gate(
        "lanes",
        findings,
        f"{len(checked)} first-party files reached, all importable from {target}; "
        f"{len(rewrites)} importers to rewrite",
        "{n} imports would break in lane " + target,
        {"dependencies_checked": checked, "importers_to_rewrite": rewrites},
    )


def cycle_gate(module: str, edges: Iterable[ImportEdge]) -> GateResult:
    cycles = [c for c in find_cycles(edges) if any(in_module(module, m) for m in c.members)]
    findings = []
    for cycle in cycles:
        order = " -> ".join((*cycle.order, cycle.order[0]))
        findings.append(
            Finding(
                cycle.cut_importer,
                cycle.cut_line,
                f"import cycle {order}; cut the import of {cycle.cut_imported}",
            )
        )
    return _gate("cycles", findings, "no import cycle through the module", "{n} import cycles")


# ---------------------------------------------------------------------------------------------
# 4 and 12: per-file analysis (syntax, docstrings), run on the repo's interpreter
# ---------------------------------------------------------------------------------------------


def syntax_gate(files: Sequence[Mapping[str, Any]]) -> GateResult:
    """`files` are `promote_analyze` documents: {path, syntax_error: null | {line, message}}."""
    findings = [
        Finding(doc["path"], doc["syntax_error"]["line"], doc["syntax_error"]["message"])
        for doc in files
        if doc["syntax_error"]
    ]
    return _gate("syntax", findings, f"{len(files)} files compile", "{n} files do not compile")


def docstring_gate(files: Sequence[Mapping[str, Any]]) -> GateResult:
    findings = [
        Finding(doc["path"], item["line"], f"public {item['kind']} {item['name']} has no docstring")
        for doc in files
        if not is_test_file(doc["path"])
        for item in doc["missing_docstrings"]
    ]
    checked = sum(1 for doc in files if not is_test_file(doc["path"]))
    return _gate(
        "docstrings",
        findings,
        f"{checked} non-test files: every public module, class and function has a docstring",
        "{n} public definitions without a docstring",
    )


# ---------------------------------------------------------------------------------------------
# 5-6: lint, format, types (Pants' own lint and check results)
# ---------------------------------------------------------------------------------------------

_TOOL_LINE = re.compile(r"^(?P<file>[^\s:][^:]*\.pyi?):(?P<line>\d+):(?:\d+:)?\s*(?P<msg>.*)$")


def tool_findings(output: str, module: str) -> list[Finding]:
    """`path:line[:col]: message` lines of a tool's output that name a file of the module."""
    found = []
    for raw in output.splitlines():
        match = _TOOL_LINE.match(raw.strip())
        if match and in_module(module, match["file"]):
            found.append(Finding(match["file"], int(match["line"]), match["msg"].strip()))
    return found


@dataclass(frozen=True)
class ToolRun:
    """One Pants lint or check result: the tool, its exit code and its output."""

    tool: str
    exit_code: int
    output: str


def tool_gate(gate: str, module: str, runs: Sequence[ToolRun], what: str) -> GateResult:
    if not runs:
        return skip(gate, f"{what} did not run on the module (skipped by its options)")
    failed = [run for run in runs if run.exit_code != 0]
    findings = [f for run in failed for f in tool_findings(run.output, module)]
    if failed and not findings:
        # A failure that names no file of the module is still a failure.
        last = next((ln for run in failed for ln in reversed(run.output.splitlines()) if ln), "")
        findings = [Finding(module, 0, f"{failed[0].tool} exited {failed[0].exit_code}: {last}")]
    tools = ", ".join(sorted({run.tool for run in runs}))
    return _gate(
        gate,
        findings,
        f"{tools} clean",
        "{n} findings from " + tools,
        {"runs": [{"tool": r.tool, "exit_code": r.exit_code} for r in runs]},
    )


def format_gate(module: str, runs: Sequence[ToolRun], files: Sequence[str]) -> GateResult:
    """A formatter's lint result says only whether it would change files: name them."""
    if not runs:
        return skip("format", "no formatter ran on the module (skipped by its options)")
    changed = [f for run in runs if run.exit_code != 0 for f in _reformatted(run.output, files)]
    failed = [run for run in runs if run.exit_code != 0]
    if failed and not changed:
        changed = [module]
    findings = [Finding(path, 1, "would be reformatted") for path in changed]
    tools = ", ".join(sorted({run.tool for run in runs}))
    return _gate("format", findings, f"{tools}: no file would change", "{n} files would change")


def _reformatted(output: str, files: Sequence[str]) -> list[str]:
    """black prints `reformatted <path>` (`would reformat <path>` with --check)."""
    lines = [line for line in output.splitlines() if "reformat" in line]
    return [path for path in files if any(line.rstrip().endswith(path) for line in lines)]


# ---------------------------------------------------------------------------------------------
# 7-8: tests and coverage
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TestRun:
    """One pytest process: what it ran, its exit code, its JUnit XML (or None)."""

    __test__ = False  # not a pytest class

    description: str
    exit_code: int
    junit_xml: Optional[str]
    output: str = ""


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
    return _gate(
        "tests",
        findings,
        f"{total} tests passed in {len(runs)} pytest runs ({len(test_files)} test files)",
        "{n} test failures",
        {"runs": [{"run": r.description, "exit_code": r.exit_code} for r in runs]},
    )


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


def coverage_gate(
    module_sources: Sequence[str],
    coverage: Mapping[str, tuple[int, int]],
    threshold: float,
    target: str,
) -> GateResult:
    """Line coverage of each non-test file of the module against `target`'s threshold."""
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
    return _gate(
        "coverage",
        findings,
        f"{len(percents)} files, lowest {lowest:.0f}% >= {threshold:g}% for lane {target}",
        "{n} files below " + f"{threshold:g}%",
        {"threshold": threshold, "percent_by_file": percents},
    )


# ---------------------------------------------------------------------------------------------
# 9: supply chain
# ---------------------------------------------------------------------------------------------

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = _NAME.match(requirement)
    return canonical_name(match.group(1)) if match else canonical_name(requirement.strip())


def parse_lockfile(text: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """A Pants/pex lockfile (JSON after `//` header lines): name -> (version, dependency names)."""
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("//"))
    document = json.loads(body)
    locked: dict[str, tuple[str, tuple[str, ...]]] = {}
    for resolve in document.get("locked_resolves", ()):
        for requirement in resolve.get("locked_requirements", ()):
            name = canonical_name(requirement["project_name"])
            deps = tuple(
                requirement_name(dep)
                for dep in requirement.get("requires_dists", ())
                if "extra ==" not in dep
            )
            locked.setdefault(name, (requirement["version"], deps))
    return locked


@dataclass(frozen=True)
class LockedPins:
    pins: tuple[tuple[str, str], ...]  # (name, version), the closure to audit
    unlocked: tuple[str, ...]  # requirements with no locked version


def pins_from_lockfile(
    requirements: Iterable[str], locked: Optional[Mapping[str, tuple[str, tuple[str, ...]]]]
) -> LockedPins:
    """The exact locked versions of `requirements` and everything they depend on."""
    names = sorted({requirement_name(r) for r in requirements})
    if locked is None:
        return LockedPins((), tuple(names))
    unlocked = [name for name in names if name not in locked]
    todo = [name for name in names if name in locked]
    seen = set(todo)
    while todo:
        name = todo.pop()
        for dep in locked[name][1]:
            if dep in locked and dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return LockedPins(tuple((name, locked[name][0]) for name in sorted(seen)), tuple(unlocked))


def audit_requirements_txt(pins: LockedPins) -> str:
    return "".join(f"{name}=={version}\n" for name, version in pins.pins)


def supply_chain_gate(
    pins: LockedPins,
    lockfile: str,
    audit_json: Optional[str],
    audit_error: Optional[str],
    osv_url: str,
) -> GateResult:
    """`audit_json` is pip-audit's `-f json` output; `audit_error` says why there is none."""
    details = {
        "lockfile": lockfile,
        "pins": [f"{n}=={v}" for n, v in pins.pins],
        "osv_url": osv_url,
    }
    findings = [
        Finding(lockfile, 0, f"{name} is not locked: pin it in the resolve's lockfile")
        for name in pins.unlocked
    ]
    if not pins.pins and not pins.unlocked:
        return GateResult(
            "supply-chain",
            Status.PASS,
            "no third-party requirements in the module's transitive closure",
            (),
            _details(details),
        )
    if audit_json is None and pins.pins:
        if findings:
            return _gate("supply-chain", findings, "", "{n} unpinned requirements", details)
        reason = audit_error or "pip-audit produced no report"
        return GateResult(
            "supply-chain",
            Status.FAIL,
            f"could not check {len(pins.pins)} pins against {osv_url}: {reason}",
            (Finding(lockfile, 0, f"could not check: {reason}"),),
            _details(details),
        )
    vulnerable = []
    if audit_json is not None:
        for dep in json.loads(audit_json).get("dependencies", ()):
            for vuln in dep.get("vulns", ()):
                fixes = ", ".join(vuln.get("fix_versions", ())) or "no fixed version"
                vulnerable.append(
                    Finding(
                        lockfile,
                        0,
                        f"{dep['name']}=={dep.get('version')} has {vuln['id']} (fixed in {fixes})",
                    )
                )
    return _gate(
        "supply-chain",
        [*findings, *vulnerable],
        f"{len(pins.pins)} locked pins, no known vulnerability at {osv_url}",
        "{n} supply-chain findings",
        details,
    )


# ---------------------------------------------------------------------------------------------
# 10-11: secrets, TODO-HIGH
# ---------------------------------------------------------------------------------------------


def secrets_gate(scan_json: str, baseline_json: Optional[str], baseline: str) -> GateResult:
    """detect-secrets `scan` output, minus what the baseline records as known false positives."""
    known: set[tuple[str, str]] = set()
    if baseline_json:
        for path, secrets in json.loads(baseline_json).get("results", {}).items():
            known.update((path, s["hashed_secret"]) for s in secrets)
    by_line: dict[tuple[str, int], list[str]] = {}
    allowed = 0
    for path, secrets in json.loads(scan_json).get("results", {}).items():
        for secret in secrets:
            if (path, secret["hashed_secret"]) in known:
                allowed += 1
                continue
            types = by_line.setdefault((path, secret["line_number"]), [])
            if secret["type"] not in types:
                types.append(secret["type"])
    findings = [Finding(path, line, ", ".join(types)) for (path, line), types in by_line.items()]
    return _gate(
        "secrets",
        findings,
        f"no secrets ({allowed} known false positives in {baseline})",
        "{n} possible secrets",
        {"baseline": baseline, "baseline_found": baseline_json is not None},
    )


def todo_high_gate(scans: Iterable[TodoScan]) -> GateResult:
    findings = [
        Finding(item.path, item.line, f"TODO with PRIORITY:HIGH: {item.message}")
        for scan in scans
        for item in scan.items
        if item.priority == "HIGH"
    ]
    return _gate("todo-high", findings, "no TODO-HIGH", "{n} TODO-HIGH items")


# ---------------------------------------------------------------------------------------------
# 12: PROMOTE.md; 14: human gates
# ---------------------------------------------------------------------------------------------

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
    return _gate(
        "promote-md",
        findings,
        f"{path} has {', '.join(REQUIRED_SECTIONS)}",
        "{n} sections missing",
    )


def signoff_gate(signoff: SignOff) -> GateResult:
    """Never PASS: automation records who must sign off, it never signs."""
    problems = signoff_problems(signoff)
    names = f"owner {signoff.owner or '-'}, reviewers {', '.join(signoff.reviewers) or '-'}"
    summary = f"{names} (from {signoff.source}): sign-offs pending"
    if problems:
        summary = f"{'; '.join(problems)} ({signoff.source}); name them with --owner/--reviewers"
    return GateResult(
        "sign-off",
        Status.NEEDS_HUMAN,
        summary,
        (),
        _details({"owner": signoff.owner, "reviewers": list(signoff.reviewers)}),
    )


def is_sensitive(module: str, sensitive: Sequence[str]) -> Optional[str]:
    """The `[promote].sensitive_paths` name that a directory of `module` matches, or None."""
    segments = [s.lower() for s in module.split("/")]
    for name in sensitive:
        if name.lower() in segments:
            return name
    return None


def ethics_gate(
    module: str, sensitive: Sequence[str], assessment: str, present: bool
) -> GateResult:
    match = is_sensitive(module, sensitive)
    if match is None:
        return skip("ethics", f"not under `[promote].sensitive_paths` ({', '.join(sensitive)})")
    if not present:
        return GateResult(
            "ethics",
            Status.FAIL,
            f"{module} is sensitive ({match}) and has no ethics assessment",
            (Finding(assessment, 0, "missing: write the ethics assessment"),),
        )
    return GateResult(
        "ethics", Status.NEEDS_HUMAN, f"{assessment} present: the ethics reviewer must sign it"
    )


# ---------------------------------------------------------------------------------------------
# 13: benchmarks
# ---------------------------------------------------------------------------------------------


def junit_durations(xml_text: str, benchmark_files: Sequence[str]) -> dict[str, float]:
    """Seconds per test case (`classname::name`) of the JUnit cases from `benchmark_files`."""
    stems = {path.rsplit("/", 1)[-1][: -len(".py")] for path in benchmark_files}
    durations = {}
    for case in ET.fromstring(xml_text).iter("testcase"):
        classname = case.get("classname") or ""
        if stems & set(classname.split(".")):
            durations[f"{classname}::{case.get('name')}"] = float(case.get("time") or 0)
    return durations


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
        return skip("benchmarks", "the module has no benchmark files (*_benchmark.py)")
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
    return _gate(
        "benchmarks",
        findings,
        f"{len(results)} benchmarks within {100 * budget:g}% of {baseline_path}",
        "{n} benchmark findings",
        {"results": dict(results), "budget": budget, "baseline": baseline_path},
    )


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromotionReport:
    module: str
    source: str
    target: str
    gates: tuple[GateResult, ...]
    artifacts: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> bool:
        return any(g.status is Status.FAIL for g in self.gates)

    def status_of(self, gate: str) -> Status:
        return next(g.status for g in self.gates if g.gate == gate)


def ordered(gates: Iterable[GateResult]) -> tuple[GateResult, ...]:
    rank = {name: number for number, name in enumerate(GATE_TITLES)}
    return tuple(sorted(gates, key=lambda g: rank.get(g.gate, len(rank))))


def render_table(report: PromotionReport, max_findings: int = 5) -> str:
    width = max(len(g.gate) for g in report.gates)
    lines = [f"promote {report.module}: {report.source} -> {report.target}", ""]
    for gate in report.gates:
        lines.append(f"{gate.gate.ljust(width)}  {gate.status.value.ljust(11)}  {gate.summary}")
        for finding in gate.findings[:max_findings]:
            lines.append(f"{' ' * (width + 15)}{finding.render()}")
        if len(gate.findings) > max_findings:
            more = len(gate.findings) - max_findings
            lines.append(f"{' ' * (width + 15)}... {more} more in evidence.json")
    counts = {s: sum(1 for g in report.gates if g.status is s) for s in Status}
    lines.append("")
    lines.append(", ".join(f"{n} {s.value}" for s, n in counts.items()))
    verdict = "NOT READY" if report.failed else "READY for human review"
    lines.append(f"{verdict}: {report.module} -> {report.target}")
    return "\n".join(lines) + "\n"


def evidence_json(report: PromotionReport) -> dict[str, Any]:
    return {
        "module": report.module,
        "source_lane": report.source,
        "target_lane": report.target,
        "failed": report.failed,
        "gates": [g.to_json_dict() for g in report.gates],
        "artifacts": list(report.artifacts),
    }


_CHECKLIST = (
    ("PROMOTE.md attached and complete", ("promote-md",)),
    ("Lane rules: target lane imports, no cycles", ("lane-progression", "lanes", "cycles")),
    ("Static analysis: PASS", ("syntax", "lint", "docstrings", "todo-high")),
    ("Type checks: PASS", ("mypy",)),
    ("Formatting: PASS", ("format",)),
    ("Unit tests: PASS (coverage per file)", ("tests", "coverage")),
    ("Benchmarks: PASS (within budget)", ("benchmarks",)),
    ("Security scans: PASS", ("supply-chain", "secrets")),
    ("Ethics gate (if applicable): Signed", ("ethics",)),
    ("Two approvals (tech + security)", ("sign-off",)),
    ("Owner sign-off", ("sign-off",)),
)


def pr_body(report: PromotionReport) -> str:
    """The guide's checklist, ticked only where every automated gate behind it passed."""
    by_name = {g.gate: g for g in report.gates}
    lines = [
        f"## Lane promotion: `{report.module}` {report.source} -> {report.target}",
        "",
        "### Checklist",
        "",
    ]
    for title, gates in _CHECKLIST:
        statuses = [by_name[g].status for g in gates if g in by_name]
        ticked = bool(statuses) and all(s in (Status.PASS, Status.SKIP) for s in statuses)
        shown = ", ".join(f"{g} {by_name[g].status.value}" for g in gates if g in by_name)
        lines.append(f"- [{'x' if ticked else ' '}] {title} ({shown})")
    lines += ["", "### Gates", "", "| gate | status | evidence |", "| --- | --- | --- |"]
    for gate in report.gates:
        evidence = gate.summary
        if gate.findings:
            evidence += "<br>" + "<br>".join(f.render() for f in gate.findings[:10])
        lines.append(f"| {gate.gate} | {gate.status.value} | {evidence.replace('|', '/')} |")
    lines += [
        "",
        "Automation records sign-offs; it never gives them. Artifacts: "
        + (", ".join(f"`{a}`" for a in report.artifacts) or "none"),
        "",
    ]
    return "\n".join(lines)
