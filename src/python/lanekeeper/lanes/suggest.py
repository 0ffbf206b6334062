"""A starting `[lanes]` section for a repo that has none: one lane per top-level package of each
source root, the packages that import others first (the least strict lane comes first), and
the imports seen between them as the allowed ones. A starting point to edit, not a policy."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Iterable, Optional, Sequence

from lanekeeper.lanes.imports import ImportEdge

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def top_level_package(path: str, source_root: str) -> Optional[str]:
    """`src/labs` for `src/labs/shop/cart.py` under the source root `src`; None for a file that
    sits directly in its source root (it has no package to name a lane after)."""
    relative = path if source_root in ("", ".") else path[len(source_root) + 1 :]
    first, sep, _ = relative.partition("/")
    if not sep:
        return None
    return f"{source_root}/{first}" if source_root not in ("", ".") else first


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name)


def _names(packages: Sequence[str]) -> dict[str, str]:
    """Each package's lane name: its directory name, or its whole path where two share one."""
    base = {package: package.rsplit("/", 1)[-1] for package in packages}
    uses = Counter(base.values())
    return {
        package: name if uses[name] == 1 else package.replace("/", "_")
        for package, name in base.items()
    }


def _importers_first(packages: Sequence[str], imports: dict[str, set[str]]) -> list[str]:
    """Packages ordered so that each comes before those it imports; in a cycle, by name."""
    left = set(packages)
    order: list[str] = []
    while left:
        # A package nobody left imports goes next; with none (a cycle), the first by name.
        free = sorted(p for p in left if not any(p in imports[q] for q in left if q != p))
        chosen = free[0] if free else sorted(left)[0]
        order.append(chosen)
        left.remove(chosen)
    return order


def suggest_lanes(files: Iterable[tuple[str, str]], edges: Iterable[ImportEdge]) -> str:
    """A `[lanes]` section, as TOML text, from `files` (each a path and its source root) and the
    first-party import edges between them."""
    package_of: dict[str, str] = {}
    for path, root in files:
        package = top_level_package(path, root)
        if package is not None:
            package_of[path] = package
    packages = sorted(set(package_of.values()))
    if not packages:
        return ""
    imports: dict[str, set[str]] = {package: set() for package in packages}
    for edge in edges:
        importer, imported = package_of.get(edge.importer), package_of.get(edge.imported)
        if importer and imported and importer != imported:
            imports[importer].add(imported)
    names = _names(packages)
    order = _importers_first(packages, imports)
    lines = [
        "[lanes]",
        f"order = {json.dumps([names[p] for p in order])}",
        "production = []",
        "",
        "[lanes.paths]",
        *(f'{_key(names[p])} = ["{p}/**"]' for p in order),
        "",
        "[lanes.allowed_imports]",
        *(
            f"{_key(names[p])} = {json.dumps(sorted(names[q] for q in imports[p]))}"
            for p in order
            if imports[p]
        ),
    ]
    return "\n".join(lines) + "\n"
