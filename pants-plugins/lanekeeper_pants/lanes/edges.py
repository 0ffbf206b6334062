"""A file's first-party import edges, straight from Pants' own dependency inference."""

from __future__ import annotations

from dataclasses import dataclass

from pants.backend.python.dependency_inference.parse_python_dependencies import (
    ParsedPythonDependencies,
    ParsePythonDependenciesRequest,
)
from pants.backend.python.dependency_inference.rules import (
    ImportOwnerStatus,
    PythonImportDependenciesInferenceFieldSet,
    ResolvedParsedPythonDependencies,
    ResolvedParsedPythonDependenciesRequest,
)
from pants.backend.python.subsystems.setup import PythonSetup
from pants.backend.python.util_rules.interpreter_constraints import InterpreterConstraints
from pants.engine.rules import Get, collect_rules, rule
from pants.util.logging import LogLevel

from lanekeeper.imports import ImportEdge

_OWNED = (ImportOwnerStatus.unambiguous, ImportOwnerStatus.disambiguated)


@dataclass(frozen=True)
class ImportEdgesRequest:
    field_set: PythonImportDependenciesInferenceFieldSet


@dataclass(frozen=True)
class ImportEdges:
    edges: tuple[ImportEdge, ...]


@rule(desc="Resolve a file's first-party imports", level=LogLevel.DEBUG)
async def resolve_import_edges(
    request: ImportEdgesRequest, python_setup: PythonSetup
) -> ImportEdges:
    # The same parse and owner lookup that `pants dependencies` memoizes, so both share work.
    field_set = request.field_set
    interpreter_constraints = InterpreterConstraints.create_from_compatibility_fields(
        [field_set.interpreter_constraints], python_setup
    )
    parsed = await Get(
        ParsedPythonDependencies,
        ParsePythonDependenciesRequest(field_set.source, interpreter_constraints),
    )
    resolved = await Get(
        ResolvedParsedPythonDependencies,
        ResolvedParsedPythonDependenciesRequest(
            field_set, parsed, field_set.resolve.normalized_value(python_setup)
        ),
    )
    importer = field_set.source.file_path
    edges = {
        ImportEdge(importer, parsed.imports[module].lineno, module, address.filename)
        for module, result in resolved.resolve_results.items()
        if result.status in _OWNED
        for address in result.address
        if address.is_file_target
    }
    # Explicit BUILD `dependencies` have no import line: line 0 marks them. A target
    # generator (`demo/core:lib`) is laned by its BUILD file's directory.
    edges.update(
        ImportEdge(
            importer,
            0,
            address.spec,
            address.filename if address.is_file_target else address.spec_path,
        )
        for address in resolved.explicit.includes
    )
    return ImportEdges(tuple(sorted(edges)))


def rules():
    return collect_rules()
