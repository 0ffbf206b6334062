"""A file's first-party imports: read by lanekeeper's core from the file's text, resolved against
the first-party module mapping that Pants' own dependency inference uses.

Pants' dependency parser is never asked to read a file here: it stops the whole run on a file
that is not UTF-8, keeps one line per imported name (so a statement over several lines has
several), and drops modules it calls ambiguous. Every lanekeeper goal that needs import edges
(the `lanes` linter, `pants lanes`, `import-health`, `promote`) gets them from this one rule,
which also says which files Pants cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from pants.backend.python.dependency_inference.module_mapper import (
    AllPythonTargets,
    FirstPartyPythonModuleMapping,
)
from pants.backend.python.dependency_inference.rules import (
    PythonImportDependenciesInferenceFieldSet,
)
from pants.backend.python.subsystems.setup import PythonSetup
from pants.backend.python.target_types import PythonSourceField
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.addresses import Address, Addresses
from pants.engine.fs import Digest, DigestContents
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import (
    DependenciesRequest,
    ExplicitlyProvidedDependencies,
    Target,
    UnexpandedTargets,
)
from pants.util.frozendict import FrozenDict
from pants.util.logging import LogLevel

from lanekeeper.lanes.imports import FileImports, ImportEdge, read_file_imports
from lanekeeper.lanes.module_index import ModuleIndex


@dataclass(frozen=True)
class ModuleIndexRequest:
    resolve: str


@dataclass(frozen=True)
class ResolveModuleIndex:
    index: ModuleIndex


def _address_path(address: Address) -> str:
    return address.filename if address.is_file_target else address.spec_path


def _path(target: Target) -> str:
    """A Python target's file; another target's directory (`demo/core:lib` -> `demo/core`)."""
    if target.has_field(PythonSourceField):
        return target[PythonSourceField].file_path
    return _address_path(target.address)


@rule(desc="Index the first-party Python modules of a resolve", level=LogLevel.DEBUG)
async def index_modules(
    request: ModuleIndexRequest,
    mapping: FirstPartyPythonModuleMapping,
    python_targets: AllPythonTargets,
) -> ResolveModuleIndex:
    paths = {target.address: _path(target) for target in python_targets.first_party}
    modules = mapping.resolves_to_modules_to_providers.get(request.resolve, FrozenDict())
    return ResolveModuleIndex(
        ModuleIndex.build(
            {
                module: [
                    paths.get(provider.addr) or _address_path(provider.addr)
                    for provider in providers
                ]
                for module, providers in modules.items()
            }
        )
    )


@dataclass(frozen=True)
class FileImportsRequest:
    field_set: PythonImportDependenciesInferenceFieldSet


@dataclass(frozen=True)
class FileImportsResult:
    imports: FileImports


@rule(desc="Read a file's first-party imports", level=LogLevel.DEBUG)
async def read_imports(request: FileImportsRequest, python_setup: PythonSetup) -> FileImportsResult:
    field_set = request.field_set
    sources, explicit, index = await MultiGet(
        Get(SourceFiles, SourceFilesRequest([field_set.source])),
        Get(ExplicitlyProvidedDependencies, DependenciesRequest(field_set.dependencies)),
        Get(
            ResolveModuleIndex,
            ModuleIndexRequest(field_set.resolve.normalized_value(python_setup)),
        ),
    )
    contents, included, ignored = await MultiGet(
        Get(DigestContents, Digest, sources.snapshot.digest),
        Get(UnexpandedTargets, Addresses(explicit.includes)),
        Get(UnexpandedTargets, Addresses(explicit.ignores)),
    )
    path = field_set.source.file_path
    data = contents[0].content if contents else b""
    # Explicit BUILD `dependencies` have no import line: line 0 marks them.
    edges = [ImportEdge(path, 0, target.address.spec, _path(target)) for target in included]
    imports = read_file_imports(
        path,
        data,
        index.index,
        edges,
        chosen={_path(target) for target in included},
        ignored={_path(target) for target in ignored},
    )
    return FileImportsResult(imports)


@dataclass(frozen=True)
class ImportEdgesRequest:
    field_set: PythonImportDependenciesInferenceFieldSet


@dataclass(frozen=True)
class ImportEdges:
    edges: tuple[ImportEdge, ...]


@rule(desc="Resolve a file's first-party imports", level=LogLevel.DEBUG)
async def resolve_import_edges(request: ImportEdgesRequest) -> ImportEdges:
    result = await Get(FileImportsResult, FileImportsRequest(request.field_set))
    return ImportEdges(result.imports.edges)


@dataclass(frozen=True)
class RepoImports:
    """Every first-party Python file's imports: lanekeeper's own dependency graph of the repo.

    Goals use it instead of Pants' `Dependents` and `TransitiveTargets`, which run Pants' parser
    on every file they reach and fail on the first one that is not UTF-8. `addresses` maps each
    file to its targets.
    """

    files: tuple[FileImports, ...]
    addresses: tuple[tuple[str, tuple[Address, ...]], ...]
    edges: tuple[ImportEdge, ...]

    def addresses_of(self, paths: Iterable[str]) -> tuple[Address, ...]:
        by_path = dict(self.addresses)
        return tuple(sorted({a for path in paths for a in by_path.get(path, ())}))

    def unreadable(self, paths: Iterable[str]) -> tuple[FileImports, ...]:
        """The files among `paths` that Pants' dependency parser cannot read."""
        wanted = set(paths)
        return tuple(
            file for file in self.files if file.path in wanted and file.not_utf8 is not None
        )


@dataclass(frozen=True)
class RepoImportsRequest:
    """Ask for `RepoImports` (a request, so that a rule reads the repo only when it needs to)."""


@rule(desc="Read the imports of every first-party Python file", level=LogLevel.DEBUG)
async def read_repo_imports(_: RepoImportsRequest, python_targets: AllPythonTargets) -> RepoImports:
    field_sets = [
        PythonImportDependenciesInferenceFieldSet.create(target)
        for target in python_targets.first_party
        if PythonImportDependenciesInferenceFieldSet.is_applicable(target)
    ]
    results = await MultiGet(Get(FileImportsResult, FileImportsRequest(fs)) for fs in field_sets)
    files: dict[str, FileImports] = {}
    addresses: dict[str, set[Address]] = {}
    for field_set, result in sorted(zip(field_sets, results), key=lambda pair: pair[0].address):
        path = field_set.source.file_path
        # A file that targets of two resolves own is one file: the first target's reading
        # stands for it (the same statements, resolved among the same files in practice).
        files.setdefault(path, result.imports)
        addresses.setdefault(path, set()).add(field_set.address)
    ordered = tuple(files[path] for path in sorted(files))
    return RepoImports(
        ordered,
        tuple((path, tuple(sorted(found))) for path, found in sorted(addresses.items())),
        tuple(edge for file in ordered for edge in file.edges),
    )


def rules():
    return collect_rules()
