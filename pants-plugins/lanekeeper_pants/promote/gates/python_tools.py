"""ruff, black and mypy as the gates run them: lanekeeper builds their processes itself, so
that their answer is cached (`answered.py`) even when it is findings, which it usually is:
a module on the board is held to the next lane's bar. Pants' own lint, fmt and check rules
build them inside and never cache a failing run, so a warm board reran every failing tool.

Everything the repo configures comes from Pants' own pieces: the `[ruff]`, `[black]` and
`[mypy]` subsystems (version, lockfile, config, args, interpreter constraints), their
partitioners, mypy's config-file and first-party-plugin rules, the requirements and closure
sources Pants gives mypy. The commands follow Pants 2.17's rules (`pants/backend/python/lint/
ruff/rules.py`, `lint/black/rules.py`, `typecheck/mypy/rules.py`).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from hashlib import sha256

from pants.backend.python.lint.black.subsystem import Black
from pants.backend.python.lint.ruff.subsystem import Ruff, RuffFieldSet
from pants.backend.python.subsystems.setup import PythonSetup
from pants.backend.python.typecheck.mypy import rules as mypy_rules
from pants.backend.python.typecheck.mypy import subsystem as mypy_subsystem
from pants.backend.python.typecheck.mypy.rules import (
    MyPyPartition,
    MyPyPartitions,
    MyPyRequest,
    determine_python_files,
)
from pants.backend.python.typecheck.mypy.subsystem import (
    MyPy,
    MyPyConfigFile,
    MyPyFieldSet,
    MyPyFirstPartyPlugins,
)
from pants.backend.python.util_rules.interpreter_constraints import InterpreterConstraints
from pants.backend.python.util_rules.pex import Pex, PexRequest, VenvPex, VenvPexProcess
from pants.backend.python.util_rules.pex_from_targets import RequirementsPexRequest
from pants.backend.python.util_rules.python_sources import (
    PythonSourceFiles,
    PythonSourceFilesRequest,
)
from pants.base.build_root import BuildRoot
from pants.core.util_rules.config_files import ConfigFiles, ConfigFilesRequest
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.core.util_rules.system_binaries import (
    CpBinary,
    LnBinary,
    MkdirBinary,
    MktempBinary,
    MvBinary,
)
from pants.engine.collection import Collection
from pants.engine.fs import (
    CreateDigest,
    Digest,
    FileContent,
    MergeDigests,
    PathGlobs,
    Snapshot,
    SnapshotDiff,
)
from pants.engine.process import Process
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize, shell_quote

from lanekeeper.promote.gates.tools import FormatRun, ToolRun
from lanekeeper_pants.promote.gates import answered
from lanekeeper_pants.promote.gates.answered import AnsweredProcess, ToolAnswer


@dataclass(frozen=True)
class RuffRun:
    """ruff's check of one partition (Pants' own partitioner's) of the module's targets."""

    field_sets: tuple[RuffFieldSet, ...]


@rule(desc="Lint the module with ruff for promotion", level=LogLevel.DEBUG)
async def run_ruff(request: RuffRun, ruff: Ruff) -> ToolRun:
    sources = await Get(SourceFiles, SourceFilesRequest(fs.source for fs in request.field_sets))
    ruff_pex, config_files = await MultiGet(
        Get(VenvPex, PexRequest, ruff.to_pex_request()),
        Get(ConfigFiles, ConfigFilesRequest, ruff.config_request(sources.snapshot.dirs)),
    )
    input_digest = await Get(
        Digest, MergeDigests((sources.snapshot.digest, config_files.snapshot.digest))
    )
    process = await Get(
        Process,
        VenvPexProcess(
            ruff_pex,
            argv=(
                *((f"--config={ruff.config}",) if ruff.config else ()),
                *ruff.args,
                *sources.snapshot.files,
            ),
            input_digest=input_digest,
            description=f"Run ruff on {pluralize(len(sources.snapshot.files), 'file')}.",
            level=LogLevel.DEBUG,
        ),
    )
    answer = await Get(ToolAnswer, AnsweredProcess(process))
    return ToolRun(Ruff.options_scope, answer.exit_code, answer.output)


@dataclass(frozen=True)
class BlackRun:
    """black on one partition (Pants' own partitioner's) of the module's files: it formats them
    in the sandbox, and the files whose content changed are the ones it would change."""

    files: tuple[str, ...]
    interpreter_constraints: InterpreterConstraints


@rule(desc="Format-check the module with black for promotion", level=LogLevel.DEBUG)
async def run_black(request: BlackRun, black: Black) -> FormatRun:
    snapshot = await Get(Snapshot, PathGlobs(request.files))
    black_pex, config_files = await MultiGet(
        Get(
            VenvPex,
            PexRequest,
            black.to_pex_request(interpreter_constraints=request.interpreter_constraints),
        ),
        Get(ConfigFiles, ConfigFilesRequest, black.config_request(snapshot.dirs)),
    )
    input_digest = await Get(Digest, MergeDigests((snapshot.digest, config_files.snapshot.digest)))
    process = await Get(
        Process,
        VenvPexProcess(
            black_pex,
            argv=(
                *(("--config", black.config) if black.config else ()),
                "-W",
                "{pants_concurrency}",
                *black.args,
                *snapshot.files,
            ),
            input_digest=input_digest,
            output_files=snapshot.files,
            concurrency_available=len(snapshot.files),
            description=f"Run black on {pluralize(len(snapshot.files), 'file')}.",
            level=LogLevel.DEBUG,
        ),
    )
    answer = await Get(ToolAnswer, AnsweredProcess(process))
    formatted = await Get(Snapshot, Digest, answer.output_digest)
    changed = SnapshotDiff.from_snapshots(snapshot, formatted).changed_files
    return FormatRun(Black.options_scope, changed, answer.exit_code, answer.output)


class MyPyRuns(Collection[ToolRun]):
    pass


@dataclass(frozen=True)
class MyPyRunsRequest:
    """mypy on the module's targets, in Pants' own partitions (resolve, interpreter)."""

    field_sets: tuple[MyPyFieldSet, ...]


@dataclass(frozen=True)
class MyPyRun:
    partition: MyPyPartition


@rule(desc="Type-check the module with mypy for promotion", level=LogLevel.DEBUG)
async def mypy_runs(request: MyPyRunsRequest, mypy: MyPy) -> MyPyRuns:
    if mypy.skip:
        return MyPyRuns()
    partitions = await Get(MyPyPartitions, MyPyRequest, MyPyRequest(request.field_sets))
    return MyPyRuns(
        await MultiGet(Get(ToolRun, MyPyRun, MyPyRun(partition)) for partition in partitions)
    )


# Pants' runner script, in short: mypy's SQLite cache is copied from the named cache into the
# sandbox and put back after the run by an atomic link or move (see Pants' rule for why).
_MYPY_RUNNER = """\
NAMED_CACHE_DB="{named}/{version}/cache.db"
SANDBOX_CACHE_DIR="{run}/{version}"
SANDBOX_CACHE_DB="$SANDBOX_CACHE_DIR/cache.db"
{mkdir} -p "$SANDBOX_CACHE_DIR" > /dev/null 2>&1
{cp} "$NAMED_CACHE_DB" "$SANDBOX_CACHE_DB" > /dev/null 2>&1
{argv}
EXIT_CODE=$?
if ! {ln} "$SANDBOX_CACHE_DB" "$NAMED_CACHE_DB" > /dev/null 2>&1; then
    TMP_CACHE=$({mktemp} "$SANDBOX_CACHE_DB.tmp.XXXXXX")
    {cp} "$SANDBOX_CACHE_DB" "$TMP_CACHE" > /dev/null 2>&1
    {mv} "$TMP_CACHE" "$NAMED_CACHE_DB" > /dev/null 2>&1
fi
exit $EXIT_CODE
"""


@rule(level=LogLevel.DEBUG)
async def run_mypy(
    request: MyPyRun,
    config_file: MyPyConfigFile,
    first_party_plugins: MyPyFirstPartyPlugins,
    build_root: BuildRoot,
    mypy: MyPy,
    python_setup: PythonSetup,
    mkdir: MkdirBinary,
    mktemp: MktempBinary,
    cp: CpBinary,
    mv: MvBinary,
    ln: LnBinary,
) -> ToolRun:
    partition = request.partition
    # As Pants: mypy runs on the code's interpreter when that needs 3.8+ and [mypy] does not
    # say otherwise.
    tool_interpreter_constraints = (
        partition.interpreter_constraints
        if (
            mypy.options.is_default("interpreter_constraints")
            and partition.interpreter_constraints.requires_python38_or_newer(
                python_setup.interpreter_versions_universe
            )
        )
        else mypy.interpreter_constraints
    )
    roots_sources, mypy_pex, extra_type_stubs_pex, requirements_pex = await MultiGet(
        Get(SourceFiles, SourceFilesRequest(fs.sources for fs in partition.field_sets)),
        Get(
            VenvPex,
            PexRequest,
            mypy.to_pex_request(
                interpreter_constraints=tool_interpreter_constraints,
                extra_requirements=first_party_plugins.requirement_strings,
            ),
        ),
        Get(Pex, PexRequest, mypy.extra_type_stubs_pex_request(partition.interpreter_constraints)),
        Get(
            Pex,
            RequirementsPexRequest(
                (fs.address for fs in partition.field_sets),
                hardcoded_interpreter_constraints=partition.interpreter_constraints,
            ),
        ),
    )
    python_files = determine_python_files(roots_sources.snapshot.files)
    # The code's third-party requirements, for `--python-executable` (another interpreter than
    # mypy's own).
    closure_sources, requirements_venv_pex = await MultiGet(
        Get(PythonSourceFiles, PythonSourceFilesRequest(partition.root_targets.closure())),
        Get(
            VenvPex,
            PexRequest(
                output_filename="requirements_venv.pex",
                internal_only=True,
                pex_path=[requirements_pex, extra_type_stubs_pex],
                interpreter_constraints=partition.interpreter_constraints,
            ),
        ),
    )
    py_version = config_file.python_version_to_autoset(
        partition.interpreter_constraints, python_setup.interpreter_versions_universe
    )
    named_cache_dir = ".cache/mypy_cache"
    run_cache_dir = ".tmp_cache/mypy_cache"
    argv = [
        mypy_pex.pex.argv0,
        f"--python-executable={requirements_venv_pex.python.argv0}",
        *mypy.args,
        *((f"--config-file={mypy.config}",) if mypy.config else ()),
        # (Pants also checks that mypy is newer than 0.700, from 2019, for the SQLite cache.)
        *(
            (
                f"--python-version={py_version}",
                "--skip-cache-mtime-check",
                "--sqlite-cache",
                "--cache-dir",
                run_cache_dir,
            )
            if py_version
            else ("--cache-dir=/dev/null",)
        ),
        "@__files.txt",
    ]
    runner = _MYPY_RUNNER.format(
        named=f"{named_cache_dir}/{sha256(build_root.path.encode()).hexdigest()}",
        run=run_cache_dir,
        version=py_version,
        argv=" ".join(shell_quote(arg) for arg in argv),
        mkdir=mkdir.path,
        cp=cp.path,
        ln=ln.path,
        mktemp=mktemp.path,
        mv=mv.path,
    )
    inputs = await Get(
        Digest,
        CreateDigest(
            [
                FileContent("__files.txt", "\n".join(python_files).encode()),
                FileContent("__mypy_runner.sh", runner.encode(), is_executable=True),
            ]
        ),
    )
    input_digest = await Get(
        Digest,
        MergeDigests(
            [
                inputs,
                first_party_plugins.sources_digest,
                closure_sources.source_files.snapshot.digest,
                requirements_venv_pex.digest,
                config_file.digest,
            ]
        ),
    )
    source_roots = ":".join(
        sorted(set(itertools.chain(first_party_plugins.source_roots, closure_sources.source_roots)))
    )
    process = await Get(
        Process,
        VenvPexProcess(
            mypy_pex,
            input_digest=input_digest,
            extra_env={
                "PEX_EXTRA_SYS_PATH": source_roots,
                "MYPYPATH": source_roots,
                "TERM": "ansi",
                # No line wrapping (Pants' own value).
                "MYPY_FORCE_TERMINAL_WIDTH": "642092230765939",
            },
            description=f"Run mypy on {pluralize(len(python_files), 'file')}.",
            level=LogLevel.DEBUG,
            append_only_caches={"mypy_cache": named_cache_dir},
        ),
    )
    answer = await Get(
        ToolAnswer,
        AnsweredProcess(dataclasses.replace(process, argv=("./__mypy_runner.sh",))),
    )
    return ToolRun(MyPy.options_scope, answer.exit_code, answer.output)


def rules():
    return [
        *collect_rules(),
        *answered.rules(),
        # The subsystems and the rules of theirs that the runs reuse, for a repo that enables
        # some of these backends only (a rule registered twice is registered once).
        *Ruff.rules(),
        *Black.rules(),
        *MyPy.rules(),
        mypy_subsystem.setup_mypy_config,
        mypy_subsystem.mypy_first_party_plugins,
        mypy_rules.mypy_determine_partitions,
    ]
