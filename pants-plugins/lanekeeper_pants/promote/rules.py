"""`pants promote`: gather the evidence of every promotion gate from Pants and let the core judge.

The expensive evidence is Pants' own: lint results of ruff and black, mypy's check results,
pytest runs set up by Pants' test machinery (with JUnit XML and coverage JSON kept), the
dependency graph and the resolve's lockfile. pip-audit and detect-secrets run as Pants
processes from a locked resolve. Every decision is a function of `lanekeeper.promote`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Optional, Union

from pants.backend.python.goals.pytest_runner import (
    PyTestRequest,
    TestSetup,
    TestSetupRequest,
)
from pants.backend.python.lint.black.rules import BlackRequest
from pants.backend.python.lint.black.subsystem import BlackFieldSet
from pants.backend.python.lint.ruff.rules import RuffLintRequest
from pants.backend.python.lint.ruff.subsystem import RuffFieldSet
from pants.backend.python.subsystems.pytest import PythonTestFieldSet
from pants.backend.python.subsystems.setup import PythonSetup
from pants.backend.python.target_types import (
    ConsoleScript,
    PythonRequirementResolveField,
    PythonRequirementsField,
    PythonSourceField,
)
from pants.backend.python.typecheck.mypy.rules import MyPyRequest
from pants.backend.python.typecheck.mypy.subsystem import MyPyFieldSet
from pants.backend.python.util_rules.interpreter_constraints import InterpreterConstraints
from pants.backend.python.util_rules.pex import Pex, PexProcess, PexRequest
from pants.backend.python.util_rules.pex_requirements import PexRequirements, Resolve
from pants.base.build_root import BuildRoot
from pants.base.exceptions import EngineError
from pants.core.goals.check import CheckRequest, CheckResults
from pants.core.goals.lint import AbstractLintRequest, LintResult, LintTargetsRequest
from pants.core.goals.test import TestRequest
from pants.core.util_rules.distdir import DistDir
from pants.core.util_rules.partitions import Partitions
from pants.engine.addresses import Address, Addresses
from pants.engine.console import Console
from pants.engine.fs import (
    EMPTY_DIGEST,
    AddPrefix,
    CreateDigest,
    Digest,
    DigestContents,
    FileContent,
    MergeDigests,
    PathGlobs,
    Paths,
    Snapshot,
    Workspace,
)
from pants.engine.goal import Goal
from pants.engine.internals.build_files import BuildFileOptions
from pants.engine.process import FallibleProcessResult, Process, ProcessCacheScope
from pants.engine.rules import Get, MultiGet, collect_rules, goal_rule, rule
from pants.engine.target import (
    Targets,
    TransitiveTargets,
    TransitiveTargetsRequest,
)
from pants.engine.unions import UnionMembership
from pants.source.source_root import SourceRoot, SourceRootRequest
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

from lanekeeper import promote as policy
from lanekeeper import signoff as signoff_policy
from lanekeeper.analyze import parse_output, todo_scan_from_json
from lanekeeper.imports import reachable
from lanekeeper.promote import GateResult, ToolRun
from lanekeeper_pants.analyzer.rules import AnalysisBatch, AnalysisBatchResult
from lanekeeper_pants.goal_support import read_build_root_file, recover_interrupted
from lanekeeper_pants.lanes.edges import RepoImports, RepoImportsRequest
from lanekeeper_pants.lanes.model import LaneModel
from lanekeeper_pants.promote import apply, apply_goal
from lanekeeper_pants.promote.subsystem import PromoteSubsystem

COVERAGE_JSON = "extra-output/lanekeeper-coverage.json"
COVERAGE_LCOV = "extra-output/lanekeeper-coverage.lcov"


class PromoteGoal(Goal):
    subsystem_cls = PromoteSubsystem
    environment_behavior = Goal.EnvironmentBehavior.LOCAL_ONLY


@dataclass(frozen=True)
class PromoteRequest:
    """The module to promote: its directory, its targets and the lane it would move to."""

    module: str
    target_lane: str
    addresses: tuple[Address, ...]


@dataclass(frozen=True)
class PromoteGates:
    """Some gates' results, and raw artifacts (paths relative to the module's dist folder)."""

    gates: tuple[GateResult, ...]
    artifacts: Digest = EMPTY_DIGEST


@dataclass(frozen=True)
class GraphGates(PromoteGates):
    pass


@dataclass(frozen=True)
class AnalysisGates(PromoteGates):
    pass


@dataclass(frozen=True)
class LintGates(PromoteGates):
    pass


@dataclass(frozen=True)
class TypeGates(PromoteGates):
    pass


@dataclass(frozen=True)
class TestGates(PromoteGates):
    __test__ = False


@dataclass(frozen=True)
class SupplyChainGates(PromoteGates):
    pass


@dataclass(frozen=True)
class SecretGates(PromoteGates):
    pass


def _applicable(field_set_type, target) -> bool:
    """Whether the target has the fields, ignoring its opt-outs (`skip_ruff`, `skip_mypy`, ...):
    a promotion holds the module to the bar even where the repo's own runs skip a file."""
    return target.has_fields(field_set_type.required_fields)


async def _artifact(path: str, text: str) -> Digest:
    return await Get(Digest, CreateDigest([FileContent(path, text.encode())]))


async def _module_targets(request: PromoteRequest) -> Targets:
    return await Get(Targets, Addresses(request.addresses))


# ---------------------------------------------------------------------------------------------
# Graph: import rules of the target lane, cycles
# ---------------------------------------------------------------------------------------------


def _files(targets) -> list[str]:
    return sorted(t[PythonSourceField].file_path for t in targets if t.has_field(PythonSourceField))


def _pants_cannot_read(gate: str, repo: RepoImports, roots: list[str]) -> Optional[GateResult]:
    """FAIL for a gate whose Pants rules would parse a file Pants cannot read; else None."""
    unreadable = repo.unreadable(reachable(repo.edges, roots).union(roots))
    if not unreadable:
        return None
    return policy.could_not_check(
        gate,
        "Pants' dependency inference cannot read files this gate needs",
        [
            policy.Finding(f.path, f.not_utf8.line, f"{f.not_utf8.problem}; {f.not_utf8.fix}")
            for f in unreadable
            if f.not_utf8 is not None
        ],
    )


def _engine_failure(gate: str, error: EngineError) -> GateResult:
    first_line = str(error).strip().splitlines()[-1:] or ["an engine error"]
    return policy.could_not_check(gate, f"Pants failed: {first_line[0]}", [])


@rule(desc="Check the module's place in the dependency graph", level=LogLevel.DEBUG)
async def graph_gates(request: PromoteRequest, lane_model: LaneModel) -> GraphGates:
    config = lane_model.config
    assert config is not None
    repo = await Get(RepoImports, RepoImportsRequest())
    files = _files(await _module_targets(request))
    closure = reachable(repo.edges, files).union(files)
    edges = [edge for edge in repo.edges if edge.importer in closure]
    into_module = [
        edge
        for edge in repo.edges
        if policy.in_module(request.module, edge.imported)
        and not policy.in_module(request.module, edge.importer)
    ]
    return GraphGates(
        (
            policy.import_rules_gate(
                config, request.module, request.target_lane, edges, into_module
            ),
            policy.cycle_gate(request.module, edges),
        )
    )


# ---------------------------------------------------------------------------------------------
# Per-file analysis: syntax and docstrings (repo interpreter), TODO-HIGH (todo-audit's parser)
# ---------------------------------------------------------------------------------------------


@rule(desc="Analyze the module's files for promotion", level=LogLevel.DEBUG)
async def analysis_gates(request: PromoteRequest) -> AnalysisGates:
    targets = await _module_targets(request)
    fields = tuple(
        sorted(
            (t[PythonSourceField] for t in targets if t.has_field(PythonSourceField)),
            key=lambda f: f.file_path,
        )
    )
    analysis, todos = await MultiGet(
        Get(AnalysisBatchResult, AnalysisBatch("promote", fields)),
        Get(AnalysisBatchResult, AnalysisBatch("todos", fields)),
    )
    documents = parse_output(analysis.output)
    scans = [todo_scan_from_json(doc) for doc in parse_output(todos.output)]
    return AnalysisGates(
        (
            policy.syntax_gate(documents),
            policy.docstring_gate(documents),
            policy.todo_high_gate(scans),
        )
    )


# ---------------------------------------------------------------------------------------------
# Lint and format: Pants' own lint results (cached like `pants lint`)
# ---------------------------------------------------------------------------------------------


async def _lint_results(request_type, field_sets) -> list[LintResult]:
    if not field_sets:
        return []
    partitions = await Get(
        Partitions,
        LintTargetsRequest.PartitionRequest,
        request_type.PartitionRequest(tuple(field_sets)),
    )
    snapshots: tuple[Optional[Snapshot], ...] = tuple(None for _ in partitions)
    if request_type.is_formatter:
        snapshots = await MultiGet(Get(Snapshot, PathGlobs(p.elements)) for p in partitions)
    return list(
        await MultiGet(
            Get(
                LintResult,
                AbstractLintRequest.Batch,
                request_type.Batch(
                    request_type.tool_name,
                    partition.elements,
                    partition.metadata,
                    **({"snapshot": snapshot} if snapshot is not None else {}),
                ),
            )
            for partition, snapshot in zip(partitions, snapshots)
        )
    )


def _tool_run(result) -> ToolRun:
    return ToolRun(result.linter_name, result.exit_code, f"{result.stdout}\n{result.stderr}")


@rule(desc="Lint the module for promotion", level=LogLevel.DEBUG)
async def lint_gates(request: PromoteRequest) -> LintGates:
    # The gates hold a module to the bar even where the repo's own lint opts files out
    # (`skip_ruff`, `skip_black`): field sets are created for every applicable target.
    targets = await _module_targets(request)
    ruff = [RuffFieldSet.create(t) for t in targets if _applicable(RuffFieldSet, t)]
    black = [BlackFieldSet.create(t) for t in targets if _applicable(BlackFieldSet, t)]
    ruff_results = await _lint_results(RuffLintRequest, ruff)
    black_results = await _lint_results(BlackRequest, black)
    files = sorted(fs.source.file_path for fs in ruff)
    runs = [_tool_run(r) for r in ruff_results]
    format_runs = [_tool_run(r) for r in black_results]
    artifacts = await Get(
        Digest,
        CreateDigest(
            [
                FileContent(
                    "artifacts/lint.txt",
                    "\n".join(
                        f"== {r.tool} (exit {r.exit_code})\n{r.output}" for r in runs
                    ).encode(),
                ),
                FileContent(
                    "artifacts/format.txt",
                    "\n".join(
                        f"== {r.tool} (exit {r.exit_code})\n{r.output}" for r in format_runs
                    ).encode(),
                ),
            ]
        ),
    )
    return LintGates(
        (
            policy.tool_gate("lint", request.module, runs, "ruff"),
            policy.format_gate(request.module, format_runs, files),
        ),
        artifacts,
    )


@rule(desc="Type-check the module for promotion", level=LogLevel.DEBUG)
async def type_gates(request: PromoteRequest) -> TypeGates:
    targets, repo = await MultiGet(
        Get(Targets, Addresses(request.addresses)), Get(RepoImports, RepoImportsRequest())
    )
    cannot = _pants_cannot_read("mypy", repo, _files(targets))
    if cannot is not None:
        return TypeGates((cannot,))
    field_sets = tuple(MyPyFieldSet.create(t) for t in targets if _applicable(MyPyFieldSet, t))
    try:
        results = await Get(CheckResults, CheckRequest, MyPyRequest(field_sets))
    except EngineError as e:
        return TypeGates((_engine_failure("mypy", e),))
    runs = [ToolRun("mypy", r.exit_code, f"{r.stdout}\n{r.stderr}") for r in results.results]
    artifacts = await _artifact(
        "artifacts/mypy.txt", "\n".join(f"== exit {r.exit_code}\n{r.output}" for r in runs)
    )
    return TypeGates((policy.tool_gate("mypy", request.module, runs, "mypy"),), artifacts)


# ---------------------------------------------------------------------------------------------
# Tests and coverage: pytest as Pants' test machinery sets it up, plus per-module coverage
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TestRunResult:
    description: str
    exit_code: int
    junit_name: Optional[str]
    output_digest: Digest
    output: str


def _tests_not_run(tests: GateResult) -> TestGates:
    reason = "the tests could not run"
    return TestGates(
        (tests, policy.could_not_check("coverage", reason, []), policy.skip("benchmarks", reason))
    )


@rule(desc="Test the module for promotion", level=LogLevel.DEBUG)
async def test_gates(request: PromoteRequest, subsystem: PromoteSubsystem) -> TestGates:
    targets, repo = await MultiGet(
        Get(Targets, Addresses(request.addresses)), Get(RepoImports, RepoImportsRequest())
    )
    importers = policy.module_importers(request.module, repo.edges)
    dependent_targets = await Get(Targets, Addresses(repo.addresses_of(importers)))
    field_sets = {
        PythonTestFieldSet.create(t)
        for t in (*targets, *dependent_targets)
        if _applicable(PythonTestFieldSet, t)
    }
    module_tests = sorted(
        t[PythonSourceField].file_path for t in targets if _applicable(PythonTestFieldSet, t)
    )
    source_files = sorted(
        t[PythonSourceField].file_path
        for t in targets
        if t.has_field(PythonSourceField) and not _applicable(PythonTestFieldSet, t)
    )
    runs: list[_TestRunResult] = []
    test_files = sorted(fs.source.file_path for fs in field_sets)
    cannot = _pants_cannot_read("tests", repo, [*_files(targets), *test_files])
    if cannot is not None:
        return _tests_not_run(cannot)
    if field_sets:
        partitions = await Get(
            Partitions,
            TestRequest.PartitionRequest,
            PyTestRequest.PartitionRequest(tuple(sorted(field_sets, key=lambda fs: fs.address))),
        )
        coverage_args = (
            f"--cov={request.module}",
            f"--cov-report=json:{COVERAGE_JSON}",
            f"--cov-report=lcov:{COVERAGE_LCOV}",
        )
        try:
            setups = await MultiGet(
                Get(
                    TestSetup,
                    TestSetupRequest(
                        partition.elements,
                        partition.metadata,
                        is_debug=False,
                        prepend_argv=coverage_args,
                    ),
                )
                for partition in partitions
            )
        except EngineError as e:
            return _tests_not_run(_engine_failure("tests", e))
        results = await MultiGet(
            Get(FallibleProcessResult, Process, setup.process) for setup in setups
        )
        for partition, setup, result in zip(partitions, setups, results):
            description = ", ".join(fs.address.spec for fs in partition.elements)
            runs.append(
                _TestRunResult(
                    description,
                    result.exit_code,
                    setup.results_file_name,
                    result.output_digest,
                    result.stdout.decode(errors="replace") + result.stderr.decode(errors="replace"),
                )
            )
    contents = await MultiGet(Get(DigestContents, Digest, run.output_digest) for run in runs)
    test_runs = []
    coverage_documents = []
    artifact_files = []
    for number, (run, files) in enumerate(zip(runs, contents)):
        by_path = {f.path: f.content.decode(errors="replace") for f in files}
        junit = by_path.get(run.junit_name) if run.junit_name else None
        if junit is not None:
            artifact_files.append(FileContent(f"artifacts/junit/{run.junit_name}", junit.encode()))
        coverage, lcov = by_path.get(COVERAGE_JSON), by_path.get(COVERAGE_LCOV)
        if coverage is not None:
            artifact_files.append(
                FileContent(f"artifacts/coverage/run-{number}.json", coverage.encode())
            )
        if lcov is not None:
            coverage_documents.append(lcov)
        test_runs.append(policy.TestRun(run.description, run.exit_code, junit, run.output))
    merged = policy.merged_line_coverage(coverage_documents)
    artifact_files.append(
        FileContent(
            "artifacts/coverage/merged.json",
            json.dumps(
                {p: {"covered": c, "statements": n} for p, (c, n) in merged.items()}, indent=2
            ).encode(),
        )
    )
    thresholds = subsystem.coverage_thresholds
    threshold = float(thresholds.get(request.target_lane, subsystem.default_coverage_threshold))
    artifacts = await Get(Digest, CreateDigest(artifact_files))
    tests = policy.unit_tests_gate(request.module, module_tests, test_runs)
    benchmark_files = [path for path in module_tests if path.endswith("_benchmark.py")]
    globbed = await Get(Paths, PathGlobs([f"{request.module}/**/*_benchmark.py"]))
    durations: dict[str, float] = {}
    for test_run in test_runs:
        if test_run.junit_xml is not None:
            durations.update(policy.junit_durations(test_run.junit_xml, benchmark_files))
    baseline_path = f"{request.module}/{subsystem.benchmark_baseline}"
    benchmarks = policy.benchmark_gate(
        benchmark_files,
        durations,
        await read_build_root_file(baseline_path) if benchmark_files else None,
        subsystem.regression_budget,
        baseline_path,
        not_tests=[path for path in globbed.files if path not in module_tests],
    )
    if not module_tests:
        coverage_gate = policy.GateResult(
            "coverage",
            policy.Status.FAIL,
            "no tests, so no coverage",
            tuple(policy.Finding(path, 1, "0% line coverage: no tests") for path in source_files),
        )
    else:
        coverage_gate = policy.coverage_gate(source_files, merged, threshold, request.target_lane)
    return TestGates((tests, coverage_gate, benchmarks), artifacts)


# ---------------------------------------------------------------------------------------------
# Supply chain and secrets: pip-audit and detect-secrets from a locked resolve
# ---------------------------------------------------------------------------------------------


def _tool_pex_request(
    subsystem: PromoteSubsystem, python_setup: PythonSetup, requirement: str, script: str
) -> PexRequest:
    resolve = subsystem.tools_resolve
    constraints = python_setup.resolves_to_interpreter_constraints.get(
        resolve, python_setup.interpreter_constraints
    )
    return PexRequest(
        output_filename=f"{script}.pex",
        internal_only=True,
        requirements=PexRequirements(
            [requirement], from_superset=Resolve(subsystem.tools_resolve, False)
        ),
        interpreter_constraints=InterpreterConstraints(constraints),
        main=ConsoleScript(script),
    )


@rule(desc="Audit the module's locked requirements", level=LogLevel.DEBUG)
async def supply_chain_gates(
    request: PromoteRequest,
    subsystem: PromoteSubsystem,
    python_setup: PythonSetup,
) -> SupplyChainGates:
    targets, repo = await MultiGet(
        Get(Targets, Addresses(request.addresses)), Get(RepoImports, RepoImportsRequest())
    )
    cannot = _pants_cannot_read("supply-chain", repo, _files(targets))
    if cannot is not None:
        return SupplyChainGates((cannot,))
    try:
        transitive = await Get(TransitiveTargets, TransitiveTargetsRequest(request.addresses))
    except EngineError as e:
        return SupplyChainGates((_engine_failure("supply-chain", e),))
    by_resolve: dict[str, list[str]] = {}
    for target in transitive.closure:
        if target.has_field(PythonRequirementsField):
            resolve = target[PythonRequirementResolveField].normalized_value(python_setup)
            by_resolve.setdefault(resolve, []).extend(
                str(req) for req in target[PythonRequirementsField].value
            )
    gates = []
    artifacts = []
    if not by_resolve:
        pins = policy.LockedPins((), ())
        gates.append(policy.supply_chain_gate(pins, "-", None, None, subsystem.osv_url))
    for resolve, requirements in sorted(by_resolve.items()):
        lockfile = python_setup.resolves.get(resolve, "")
        text = await read_build_root_file(lockfile) if lockfile else None
        locked = policy.parse_lockfile(text) if text is not None else None
        pins = policy.pins_from_lockfile(requirements, locked)
        audit_json: Optional[str] = None
        audit_error: Optional[str] = None
        if pins.pins:
            pip_audit = await Get(
                Pex,
                PexRequest,
                _tool_pex_request(
                    subsystem, python_setup, subsystem.pip_audit_version, "pip-audit"
                ),
            )
            requirements_txt = policy.audit_requirements_txt(pins)
            digest = await _artifact("requirements.txt", requirements_txt)
            result = await Get(
                FallibleProcessResult,
                PexProcess(
                    pip_audit,
                    argv=(
                        "-r",
                        "requirements.txt",
                        "--no-deps",
                        "--disable-pip",
                        "-s",
                        "osv",
                        "--osv-url",
                        subsystem.osv_url,
                        "-f",
                        "json",
                        "-o",
                        "audit.json",
                        "--progress-spinner",
                        "off",
                        "--cache-dir",
                        ".pip-audit-cache",
                    ),
                    input_digest=digest,
                    output_files=("audit.json",),
                    description=f"Run pip-audit on {pluralize(len(pins.pins), 'locked pin')}.",
                    level=LogLevel.DEBUG,
                    # Advisories change: ask the service again in every run.
                    cache_scope=ProcessCacheScope.PER_SESSION,
                ),
            )
            outputs = await Get(DigestContents, Digest, result.output_digest)
            report = {f.path: f.content.decode() for f in outputs}.get("audit.json")
            stderr = result.stderr.decode(errors="replace").strip().splitlines()
            if report:
                audit_json = report
                artifacts.append(
                    FileContent(f"artifacts/pip-audit-{resolve}.json", report.encode())
                )
            else:
                audit_error = stderr[-1] if stderr else f"pip-audit exited {result.exit_code}"
        gates.append(
            policy.supply_chain_gate(
                pins, lockfile or resolve, audit_json, audit_error, subsystem.osv_url
            )
        )
    digest = await Get(Digest, CreateDigest(artifacts))
    return SupplyChainGates(tuple(gates[:1]) if len(gates) == 1 else _merge_supply(gates), digest)


def _merge_supply(gates: list[GateResult]) -> tuple[GateResult, ...]:
    status = (
        policy.Status.FAIL
        if any(g.status is policy.Status.FAIL for g in gates)
        else policy.Status.PASS
    )
    return (
        GateResult(
            "supply-chain",
            status,
            "; ".join(g.summary for g in gates),
            tuple(f for g in gates for f in g.findings),
        ),
    )


@rule(desc="Scan the module for secrets", level=LogLevel.DEBUG)
async def secret_gates(
    request: PromoteRequest, subsystem: PromoteSubsystem, python_setup: PythonSetup
) -> SecretGates:
    snapshot = await Get(Snapshot, PathGlobs([f"{request.module}/**"]))
    detect_secrets = await Get(
        Pex,
        PexRequest,
        _tool_pex_request(
            subsystem, python_setup, subsystem.detect_secrets_version, "detect-secrets"
        ),
    )
    result = await Get(
        FallibleProcessResult,
        PexProcess(
            detect_secrets,
            argv=("scan", *snapshot.files),
            input_digest=snapshot.digest,
            description=f"Run detect-secrets on {pluralize(len(snapshot.files), 'file')}.",
            level=LogLevel.DEBUG,
        ),
    )
    baseline = await read_build_root_file(subsystem.secrets_baseline)
    if result.exit_code != 0:
        stderr = result.stderr.decode(errors="replace").strip().splitlines()
        gate = GateResult(
            "secrets",
            policy.Status.FAIL,
            f"could not scan: {stderr[-1] if stderr else result.exit_code}",
        )
        return SecretGates((gate,))
    scan = result.stdout.decode()
    artifacts = await _artifact("artifacts/detect-secrets.json", scan)
    return SecretGates(
        (policy.secrets_gate(scan, baseline, subsystem.secrets_baseline),), artifacts
    )


# ---------------------------------------------------------------------------------------------
# The goal
# ---------------------------------------------------------------------------------------------


def _error(console: Console, message: str) -> PromoteGoal:
    console.print_stderr(f"{console.red('error:')} {message}")
    return PromoteGoal(exit_code=1)


@goal_rule
async def promote(
    targets: Targets,
    subsystem: PromoteSubsystem,
    lane_model: LaneModel,
    console: Console,
    workspace: Workspace,
    dist_dir: DistDir,
    build_root: BuildRoot,
    build_files: BuildFileOptions,
    union_membership: UnionMembership,
) -> PromoteGoal:
    root_dir = Path(build_root.path)
    if subsystem.recover:
        return PromoteGoal(
            exit_code=recover_interrupted(console, root_dir, root_dir / apply.JOURNAL)
        )
    if subsystem.rollback:
        return PromoteGoal(exit_code=apply_goal.run_rollback(console, root_dir, subsystem))
    if lane_model.config is None:
        return _error(console, lane_model.error or "`[lanes]` is not valid")
    config = lane_model.config
    try:
        signoff_from_options = signoff_policy.from_options(subsystem.owner, subsystem.reviewers)
    except signoff_policy.SignOffError as e:
        return _error(console, str(e))
    python_targets = [t for t in targets if t.has_field(PythonSourceField)]
    if not python_targets:
        return _error(
            console,
            "no Python files in the given specs: name the module's directory, e.g. "
            "`pants promote --to=core demo/candidate/memory_index::`.",
        )
    files = sorted(t[PythonSourceField].file_path for t in python_targets)
    module = policy.module_directory(files)
    if not subsystem.to:
        return _error(
            console, f"`[promote].to` is not set: say which lane {module} goes to, e.g. --to=core."
        )
    lanes = sorted({config.lane_of(path) or "" for path in files})
    if lanes != [lanes[0]] or not lanes[0]:
        where = ", ".join(lane or "no lane" for lane in lanes)
        return _error(
            console, f"{module}: its files are in {where}; promote the files of one lane at a time."
        )
    source = lanes[0]
    reason = config.check_promotion(source, subsystem.to)
    if reason is not None:
        return _error(console, f"cannot promote {module} ({source}) to {subsystem.to!r}: {reason}")

    start_commit = ""
    if subsystem.apply:
        try:
            start_commit = await apply_goal.apply_preconditions(subsystem, build_root)
        except ValueError as e:
            return _error(console, str(e))

    request = PromoteRequest(module, subsystem.to, tuple(t.address for t in python_targets))
    results = await MultiGet(
        Get(GraphGates, PromoteRequest, request),
        Get(AnalysisGates, PromoteRequest, request),
        Get(LintGates, PromoteRequest, request),
        Get(TypeGates, PromoteRequest, request),
        Get(TestGates, PromoteRequest, request),
        Get(SupplyChainGates, PromoteRequest, request),
        Get(SecretGates, PromoteRequest, request),
    )
    promote_md_path = f"{module}/PROMOTE.md"
    package = f"{module}/__init__.py"
    ethics_path = f"{module}/{subsystem.ethics_assessment}"
    promote_md, ethics = await MultiGet(
        Get(DigestContents, PathGlobs([promote_md_path])),
        Get(DigestContents, PathGlobs([ethics_path])),
    )
    promote_text = promote_md[0].content.decode() if promote_md else None
    signoff = signoff_from_options or signoff_policy.from_promote_md(promote_text, promote_md_path)
    gates = [
        policy.lane_progression_gate(config, module, source, subsystem.to),
        *(gate for result in results for gate in result.gates),
        policy.promote_md_gate(
            promote_md_path, promote_text, package if package in files else None
        ),
        policy.ethics_gate(module, subsystem.sensitive_paths, ethics_path, bool(ethics)),
        policy.signoff_gate(signoff),
    ]

    root = await Get(SourceRoot, SourceRootRequest, SourceRootRequest.for_file(files[0]))
    relative = PurePath(module).relative_to(root.path) if root.path != "." else PurePath(module)
    name = ".".join(relative.parts) or module.replace("/", ".")
    out = dist_dir.relpath / "promote" / name
    artifact_digest = await Get(Digest, MergeDigests(result.artifacts for result in results))
    artifact_snapshot = await Get(Snapshot, Digest, artifact_digest)
    report = policy.PromotionReport(
        module,
        source,
        subsystem.to,
        policy.ordered(gates),
        tuple(str(out / path) for path in artifact_snapshot.files),
    )
    evidence = (json.dumps(policy.evidence_json(report), indent=2) + "\n").encode()
    reports = await Get(
        Digest,
        CreateDigest(
            [
                FileContent("evidence.json", evidence),
                FileContent("PR_BODY.md", policy.pr_body(report).encode()),
            ]
        ),
    )
    everything = await Get(Digest, MergeDigests([reports, artifact_digest]))
    written = await Get(Digest, AddPrefix(everything, str(out)))
    setup: Union[apply_goal.ApplySetup, str, None] = None
    if subsystem.apply:
        setup = await apply_goal.plan_apply(
            request,
            report,
            signoff,
            config,
            root.path,
            subsystem,
            start_commit,
            build_files,
            union_membership,
        )

    # Side effects come last, after the final `await`: the engine re-runs a rule that is still
    # running when files it read change, unless it has already had a side effect.
    # One write that replaces the module's folder: no artifact of an earlier run is left.
    workspace.write_digest(written, clear_paths=(str(out),))
    console.print_stdout(policy.render_table(report))
    console.print_stdout(f"Evidence: {out / 'evidence.json'}, {out / 'PR_BODY.md'}")
    if isinstance(setup, str):
        return _error(console, setup)
    if setup is not None:
        exit_code = apply_goal.run_apply(
            console, setup, report, signoff, evidence, config, subsystem, root_dir, out
        )
        return PromoteGoal(exit_code=exit_code)
    return PromoteGoal(exit_code=1 if report.failed else 0)


def rules():
    return [*collect_rules(), *apply_goal.rules()]
