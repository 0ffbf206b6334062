"""Pants/pex lockfiles: the exact locked version of each requirement and what it depends on."""

from __future__ import annotations

import json
import re

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")

# name -> (version, names of the requirements it depends on)
Locked = dict[str, tuple[str, tuple[str, ...]]]


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = _NAME.match(requirement)
    return canonical_name(match.group(1)) if match else canonical_name(requirement.strip())


def parse_lockfile(text: str) -> Locked:
    """A Pants/pex lockfile (JSON after `//` header lines): name -> (version, dependency names)."""
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("//"))
    document = json.loads(body)
    locked: Locked = {}
    for resolve in document.get("locked_resolves", ()):
        for requirement in resolve.get("locked_requirements", ()):
            name = canonical_name(requirement["project_name"])
            deps = tuple(
                requirement_name(dep)
                for dep in requirement.get("requires_dists", ())
                if "extra ==" not in dep
            )
            locked.setdefault(name, (requirement["version"], deps))
    return locked
