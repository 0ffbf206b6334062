"""First-party import edges: the neutral data the engine hands to lane and cycle checks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ImportEdge:
    """One first-party dependency of a file, as Pants' dependency inference resolved it.

    `line` is the 1-based line of the import statement; 0 for an explicit `dependencies`
    entry in a BUILD file, which has no import statement.
    """

    importer: str  # path of the importing file, relative to the build root
    line: int
    module: str  # the imported module as written, e.g. "lukhas.service.facade"
    imported: str  # path of the file that provides the module

    @property
    def explicit(self) -> bool:
        return self.line == 0
