"""Run lanekeeper's per-file analyses as cached Pants processes, one batch of files at a time.

The analyzer is a PEX of the core's own sources, read from the imported `lanekeeper` package,
so the plugin works the same in this repo and when installed into another one. A process's
result is cached on disk by its inputs (the batch's files and the analyzer), so a rerun, with
or without pantsd, only re-runs the batches whose files changed.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
from dataclasses import dataclass
from typing import Iterable

from pants.backend.python.subsystems.setup import PythonSetup
from pants.backend.python.target_types import PythonSourceField
from pants.backend.python.util_rules.interpreter_constraints import InterpreterConstraints
from pants.backend.python.util_rules.pex import PexRequest, VenvPex, VenvPexProcess
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.fs import CreateDigest, Digest, FileContent
from pants.engine.process import Process, ProcessResult
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.target import Target
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

import lanekeeper
from lanekeeper.kernel.batches import stable_batches
from lanekeeper_pants.analyzer.subsystem import AnalyzerTool

# With `remote_cache_read`, Pants 2.17 races a cacheable process's remote cache lookup against
# running it locally: it starts the local run after the process's
# `remote_cache_speculation_delay_millis` (default 0) and kills it when the hit arrives. At
# 10,000 files a second CI machine set up sandboxes for, and started, 30 of todo-audit's 87
# batches only to kill them (BENCHMARKS.md, issue 17). Waiting costs a miss at most the lookup's
# own time (the engine starts the process as soon as the cache says no), and nothing without
# `remote_cache_read` (the engine reads the field only then); it is not in the cache key. 2 s is
# above most lookups on a loaded 2-core machine (todo-audit's median: 1.0 s) and above a lookup
# RPC's timeout (`[GLOBAL].remote_cache_rpc_timeout_millis`, 1.5 s by default).
REMOTE_CACHE_WAIT_MILLIS = 2000


def after_remote_cache_lookup(process: Process) -> Process:
    """`process`, started locally only when the remote cache misses (or after
    REMOTE_CACHE_WAIT_MILLIS without an answer), for lanekeeper's own cacheable batches."""
    return dataclasses.replace(
        process, remote_cache_speculation_delay_millis=REMOTE_CACHE_WAIT_MILLIS
    )


@dataclass(frozen=True)
class AnalyzerPex:
    # A venv PEX: each of the many batch processes starts its Python directly, without
    # unpacking the PEX's requirements first.
    pex: VenvPex


@dataclass(frozen=True)
class AnalysisBatch:
    """One process's worth of files: one of the stable batches of `source_batches`."""

    analysis: str  # an analysis name that `python -m lanekeeper.analyze` knows
    sources: tuple[PythonSourceField, ...]
    options: str = "{}"  # the run's options, a JSON object (part of the cache key)


@dataclass(frozen=True)
class AnalysisBatchResult:
    output: str  # the analyzer's JSON document


def python_sources(targets: Iterable[Target]) -> dict[str, PythonSourceField]:
    """The targets' Python sources by path. A file with two owners (one per resolve, say) is
    analysed once."""
    by_path: dict[str, PythonSourceField] = {}
    for target in targets:
        if target.has_field(PythonSourceField):
            field = target[PythonSourceField]
            by_path.setdefault(field.file_path, field)
    return by_path


def source_batches(
    targets: Iterable[Target], batch_size: int
) -> tuple[tuple[PythonSourceField, ...], ...]:
    """The targets' Python sources in stable batches of about `batch_size` files, whatever the
    directory layout: a changed file re-runs only its batch."""
    by_path = python_sources(targets)
    return tuple(
        tuple(by_path[path] for path in batch) for batch in stable_batches(by_path, batch_size)
    )


def _core_sources() -> tuple[FileContent, ...]:
    """The `lanekeeper` package's modules and sub-packages, as installed beside this plugin
    (tests left out)."""
    files: list[FileContent] = []
    packages = [("lanekeeper", importlib.resources.files(lanekeeper))]
    while packages:
        prefix, package = packages.pop()
        for entry in sorted(package.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                if entry.joinpath("__init__.py").is_file():
                    packages.append((f"{prefix}/{entry.name}", entry))
            elif entry.name.endswith(".py") and not entry.name.endswith("_test.py"):
                files.append(FileContent(f"{prefix}/{entry.name}", entry.read_bytes()))
    return tuple(sorted(files, key=lambda f: f.path))


@rule(desc="Build the lanekeeper analyzer", level=LogLevel.DEBUG)
async def build_analyzer_pex(tool: AnalyzerTool, python_setup: PythonSetup) -> AnalyzerPex:
    sources = await Get(Digest, CreateDigest(_core_sources()))
    pex = await Get(
        VenvPex,
        PexRequest,
        tool.to_pex_request(
            interpreter_constraints=InterpreterConstraints(python_setup.interpreter_constraints),
            main=tool.main,
            sources=sources,
        ),
    )
    return AnalyzerPex(pex)


@dataclass(frozen=True)
class AnalyzeDigest:
    """Run an analysis on `files` of `digest`: for callers that hold contents, not fields."""

    analysis: str
    digest: Digest
    files: tuple[str, ...]
    options: str = "{}"


@rule(desc="Analyze a batch of files", level=LogLevel.DEBUG)
async def run_analysis_batch(batch: AnalysisBatch) -> AnalysisBatchResult:
    sources = await Get(SourceFiles, SourceFilesRequest(batch.sources))
    request = AnalyzeDigest(
        batch.analysis, sources.snapshot.digest, sources.snapshot.files, batch.options
    )
    return await Get(AnalysisBatchResult, AnalyzeDigest, request)


@rule(desc="Analyze files", level=LogLevel.DEBUG)
async def analyze_digest(request: AnalyzeDigest, analyzer: AnalyzerPex) -> AnalysisBatchResult:
    process = await Get(
        Process,
        VenvPexProcess(
            analyzer.pex,
            argv=(request.analysis, request.options, *request.files),
            input_digest=request.digest,
            description=(
                f"Run lanekeeper {request.analysis} on {pluralize(len(request.files), 'file')}."
            ),
            level=LogLevel.DEBUG,
        ),
    )
    result = await Get(ProcessResult, Process, after_remote_cache_lookup(process))
    return AnalysisBatchResult(result.stdout.decode())


def rules():
    return [*collect_rules(), *AnalyzerTool.rules()]
