"""A file's first-party imports: each import statement with where its names come from, and the
file-to-file edges that lane checks, cycles and promotion gates walk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterable, Optional

from lanekeeper.kernel.source_text import NotUtf8, decode_source, not_utf8
from lanekeeper.lanes.import_statements import import_statements
from lanekeeper.lanes.module_index import RESOLVED, ModuleIndex, Resolution


@dataclass(frozen=True, order=True)
class ImportEdge:
    """One first-party dependency of a file on another file.

    `line` is the 1-based line of the import statement; 0 for an explicit `dependencies`
    entry in a BUILD file, which has no import statement.
    """

    importer: str  # path of the importing file, relative to the build root
    line: int
    module: str  # the imported module, e.g. "lukhas.service.facade"
    imported: str  # path of the file that provides the module

    @property
    def explicit(self) -> bool:
        return self.line == 0


@dataclass(frozen=True)
class ResolvedStatement:
    """One import statement, at its first line and column, and its first-party names' origins."""

    line: int
    col: int
    resolutions: tuple[Resolution, ...]


@dataclass(frozen=True)
class FileImports:
    """Everything a file imports from first-party code.

    `explicit` holds the edges of the target's explicit BUILD dependencies. `not_utf8` says why
    Pants' own dependency parser cannot read the file; `parse_error` why `ast` could not parse
    it (its statements were then read from its tokens), or why it could not be decoded at all.
    """

    path: str
    statements: tuple[ResolvedStatement, ...] = ()
    explicit: tuple[ImportEdge, ...] = ()
    not_utf8: Optional[NotUtf8] = None
    parse_error: Optional[str] = None

    @property
    def edges(self) -> tuple[ImportEdge, ...]:
        """File-to-file edges: each resolved name of each statement, then the explicit ones."""
        edges = {
            ImportEdge(self.path, statement.line, resolution.module, path)
            for statement in self.statements
            for resolution in statement.resolutions
            if resolution.status == RESOLVED and not resolution.namespace
            for path in resolution.paths
        }
        return tuple(sorted(edges.union(self.explicit)))


def read_file_imports(
    path: str,
    data: bytes,
    index: ModuleIndex,
    explicit: Iterable[ImportEdge] = (),
    chosen: Collection[str] = (),
    ignored: Collection[str] = (),
) -> FileImports:
    """The first-party imports of the file `path` with contents `data`.

    `chosen` and `ignored` are the paths the target's BUILD `dependencies` list and exclude
    (`!`): they settle which of several files providing a module is meant, as they do for Pants.
    """
    decoded = decode_source(data)
    problem = not_utf8(data, decoded)
    if decoded.text is None:
        return FileImports(path, (), tuple(explicit), problem, decoded.error)
    found = import_statements(decoded.text, index.package_of(path))
    statements = []
    for statement in found.statements:
        resolutions: dict[Resolution, None] = {}
        for name in statement.names:
            resolution = index.resolve(name, chosen, ignored)
            if resolution is not None:
                resolutions[resolution] = None
        if resolutions:
            statements.append(ResolvedStatement(statement.line, statement.col, tuple(resolutions)))
    return FileImports(path, tuple(statements), tuple(explicit), problem, found.parse_error)


def reachable(edges: Iterable[ImportEdge], roots: Iterable[str], reverse: bool = False) -> set[str]:
    """The files reached from `roots` along import edges (against them: importers, `reverse`).

    The roots are in the result only when a path leads back to them.
    """
    following: dict[str, set[str]] = {}
    for edge in edges:
        source, target = (
            (edge.imported, edge.importer) if reverse else (edge.importer, edge.imported)
        )
        following.setdefault(source, set()).add(target)
    reached: set[str] = set()
    pending = list(roots)
    while pending:
        for path in following.get(pending.pop(), ()):
            if path not in reached:
                reached.add(path)
                pending.append(path)
    return reached
