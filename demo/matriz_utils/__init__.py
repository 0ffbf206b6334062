"""Matrix and slug helpers for experiments.

Not a library and in no lane: only its name looks like the legacy graph library's.
"""

from __future__ import annotations

import re


def slugify(text: str) -> str:
    """Lower-case ``text`` and join its words with dashes."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def transpose(rows: list[list[int]]) -> list[list[int]]:
    """Transpose a rectangular matrix given as a list of rows."""
    return [list(column) for column in zip(*rows)]
