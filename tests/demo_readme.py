"""The planted findings listed in demo/README.md: the contract the end-to-end tests check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PlantedFinding:
    file: str
    line: int
    detail: str


def planted_findings(readme: Path) -> dict[str, tuple[PlantedFinding, ...]]:
    """Each `### <kind>` table of the README, as its rows."""
    tables: dict[str, list[PlantedFinding]] = {}
    kind = None
    for line in readme.read_text().splitlines():
        heading = re.match(r"^### (\S+)\s*$", line)
        if heading:
            kind = heading.group(1)
            tables[kind] = []
            continue
        row = re.match(r"^\| (\S+\.py) \| (\d+) \| (.*) \|$", line)
        if kind and row:
            tables[kind].append(PlantedFinding(row.group(1), int(row.group(2)), row.group(3)))
    return {kind: tuple(rows) for kind, rows in tables.items()}
