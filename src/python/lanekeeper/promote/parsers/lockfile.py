"""Pants/pex lockfiles: the exact locked version of each requirement and what it depends on."""

from __future__ import annotations

import json
import operator
import re

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# `python_version < "3.10"`: the one marker form that decides, per interpreter, whether a locked
# dependency is installed at all (libcst needs typing-extensions only below 3.10).
_PYTHON_VERSION = re.compile(r"""^python_version\s*(<=|>=|==|!=|<|>)\s*["'](\d+(?:\.\d+)*)["']$""")
_ONE_MINOR = re.compile(r"^CPython==(\d+)\.(\d+)\.\*$")
_COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}

# name -> (version, names of the requirements it depends on)
Locked = dict[str, tuple[str, tuple[str, ...]]]


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = _NAME.match(requirement)
    return canonical_name(match.group(1)) if match else canonical_name(requirement.strip())


def resolve_python(text: str) -> tuple[int, int] | None:
    """The one Python minor version a lockfile's header says it is valid for
    (`"CPython==3.11.*"`), or None when it covers several or says nothing."""
    header = [ln.lstrip()[2:] for ln in text.splitlines() if ln.lstrip().startswith("//")]
    start = next((i for i, ln in enumerate(header) if "BEGIN PANTS LOCKFILE METADATA" in ln), None)
    end = next((i for i, ln in enumerate(header) if "END PANTS LOCKFILE METADATA" in ln), None)
    if start is None or end is None or end <= start + 1:
        return None
    try:
        constraints = json.loads("\n".join(header[start + 1 : end]))
    except ValueError:
        return None
    valid = constraints.get("valid_for_interpreter_constraints", [])
    match = _ONE_MINOR.match(valid[0].strip()) if len(valid) == 1 else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def installed_on(requirement: str, python: tuple[int, int] | None) -> bool:
    """Whether a `requires_dists` entry is installed on `python`: extras never are; a marker
    made only of `python_version` comparisons is evaluated; any other marker counts as
    installed, so the audit errs on the side of checking too much."""
    _, _, marker = requirement.partition(";")
    if "extra ==" in marker:
        return False
    clauses = [c.strip().strip("()") for c in marker.split(" and ")] if marker.strip() else []
    matches = [m for m in (_PYTHON_VERSION.match(c) for c in clauses) if m]
    if python is None or " or " in marker or len(matches) < len(clauses):
        return True
    for match in matches:
        bound = tuple(int(part) for part in match.group(2).split("."))[:2]
        if not _COMPARE[match.group(1)](python, bound):
            return False
    return True


def parse_lockfile(text: str) -> Locked:
    """A Pants/pex lockfile (JSON after `//` header lines): name -> (version, names of the
    dependencies installed on the resolve's Python)."""
    python = resolve_python(text)
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("//"))
    document = json.loads(body)
    locked: Locked = {}
    for resolve in document.get("locked_resolves", ()):
        for requirement in resolve.get("locked_requirements", ()):
            name = canonical_name(requirement["project_name"])
            deps = tuple(
                requirement_name(dep)
                for dep in requirement.get("requires_dists", ())
                if installed_on(dep, python)
            )
            locked.setdefault(name, (requirement["version"], deps))
    return locked
