"""The gates of the module's test runs: its tests (and the tests of the files that import it) run
as Pants' test machinery sets pytest up, with JUnit XML and coverage kept; then the tests,
coverage and benchmarks gates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from pants.backend.python.goals.pytest_runner import PyTestRequest, TestSetup, TestSetupRequest
from pants.backend.python.subsystems.pytest import PythonTestFieldSet
from pants.backend.python.target_types import PythonSourceField
from pants.base.exceptions import EngineError
from pants.core.goals.test import TestRequest
from pants.core.util_rules.partitions import Partitions
from pants.engine.addresses import Addresses
from pants.engine.fs import CreateDigest, Digest, DigestContents, FileContent, PathGlobs, Paths
from pants.engine.process import FallibleProcessResult, Process
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import Target, Targets
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from lanekeeper.promote.gate import engine_failure
from lanekeeper.promote.gates.benchmarks import benchmark_gate
from lanekeeper.promote.gates.unit_tests import (
    TestRun,
    coverage_gate,
    coverage_threshold,
    unit_tests_gate,
    without_test_runs,
)
from lanekeeper.promote.module import benchmark_glob, is_benchmark_file, module_importers
from lanekeeper.promote.parsers.junit import junit_durations
from lanekeeper.promote.parsers.lcov import merged_line_coverage
from lanekeeper_pants.goal_support import read_build_root_file
from lanekeeper_pants.lanes.edges import RepoImports, RepoImportsRequest
from lanekeeper_pants.promote.gates.request import (
    PromoteGates,
    PromoteGatesRequest,
    pants_cannot_read,
    python_files,
)
from lanekeeper_pants.promote.subsystem import PromoteSubsystem

COVERAGE_JSON = "extra-output/lanekeeper-coverage.json"
COVERAGE_LCOV = "extra-output/lanekeeper-coverage.lcov"


class UnitTestGatesRequest(PromoteGatesRequest):
    __test__ = False  # not a pytest class


@dataclass(frozen=True)
class _PytestRun:
    description: str
    exit_code: int
    junit_name: Optional[str]
    output_digest: Digest
    output: str


def is_test(target: Target) -> bool:
    """A test target, whatever its opt-outs (`skip_tests`): the module is held to the bar."""
    return target.has_fields(PythonTestFieldSet.required_fields)


@rule(desc="Test the module for promotion", level=LogLevel.DEBUG)
async def unit_test_gates(
    request: UnitTestGatesRequest, subsystem: PromoteSubsystem
) -> PromoteGates:
    targets, repo = await MultiGet(
        Get(Targets, Addresses(request.addresses)), Get(RepoImports, RepoImportsRequest())
    )
    importers = module_importers(request.module, repo.edges)
    dependent_targets = await Get(Targets, Addresses(repo.addresses_of(importers)))
    field_sets = {
        PythonTestFieldSet.create(t) for t in (*targets, *dependent_targets) if is_test(t)
    }
    module_tests = sorted(t[PythonSourceField].file_path for t in targets if is_test(t))
    source_files = sorted(
        t[PythonSourceField].file_path
        for t in targets
        if t.has_field(PythonSourceField) and not is_test(t)
    )
    test_files = sorted(fs.source.file_path for fs in field_sets)
    cannot = pants_cannot_read("tests", repo, [*python_files(targets), *test_files])
    if cannot is not None:
        return PromoteGates(without_test_runs(cannot))
    runs: list[_PytestRun] = []
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
            return PromoteGates(without_test_runs(engine_failure("tests", str(e))))
        results = await MultiGet(
            Get(FallibleProcessResult, Process, setup.process) for setup in setups
        )
        for partition, setup, result in zip(partitions, setups, results):
            description = ", ".join(fs.address.spec for fs in partition.elements)
            runs.append(
                _PytestRun(
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
        test_runs.append(TestRun(run.description, run.exit_code, junit, run.output))
    merged = merged_line_coverage(coverage_documents)
    artifact_files.append(
        FileContent(
            "artifacts/coverage/merged.json",
            json.dumps(
                {p: {"covered": c, "statements": n} for p, (c, n) in merged.items()}, indent=2
            ).encode(),
        )
    )
    benchmark_files = [path for path in module_tests if is_benchmark_file(path)]
    globbed = await Get(Paths, PathGlobs([benchmark_glob(request.module)]))
    durations: dict[str, float] = {}
    for test_run in test_runs:
        if test_run.junit_xml is not None:
            durations.update(junit_durations(test_run.junit_xml, benchmark_files))
    baseline_path = f"{request.module}/{subsystem.benchmark_baseline}"
    baseline_text = await read_build_root_file(baseline_path) if benchmark_files else None
    artifacts = await Get(Digest, CreateDigest(artifact_files))
    threshold = coverage_threshold(
        subsystem.coverage_thresholds,
        subsystem.default_coverage_threshold,
        request.target_lane,
    )
    return PromoteGates(
        (
            unit_tests_gate(request.module, module_tests, test_runs),
            coverage_gate(source_files, module_tests, merged, threshold, request.target_lane),
            benchmark_gate(
                benchmark_files,
                durations,
                baseline_text,
                subsystem.regression_budget,
                baseline_path,
                not_tests=[path for path in globbed.files if path not in module_tests],
            ),
        ),
        artifacts,
    )


def rules():
    return [*collect_rules(), UnionRule(PromoteGatesRequest, UnitTestGatesRequest)]
