"""The union of gate requests: every group of gates is a member, and the goal asks each member
for its `PromoteGates`. A backend can add a gate by adding a member and its rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from pants.backend.python.target_types import PythonSourceField
from pants.engine.addresses import Address, Addresses
from pants.engine.environment import EnvironmentName
from pants.engine.fs import EMPTY_DIGEST, CreateDigest, Digest, FileContent
from pants.engine.rules import Get
from pants.engine.target import Target, Targets
from pants.engine.unions import union

from lanekeeper.lanes.imports import reachable
from lanekeeper.promote.gate import GateResult, unreadable_files
from lanekeeper_pants.lanes.edges import RepoImports


# As Pants' own lint and check unions: the callee runs in the caller's environment.
@union(in_scope_types=[EnvironmentName])
@dataclass(frozen=True)
class PromoteGatesRequest:
    """Evaluate some gates of promoting the module (its directory and its targets) into
    `target_lane`. Subclass it for each group of gates, with a rule returning `PromoteGates`."""

    module: str
    target_lane: str
    addresses: tuple[Address, ...]


@dataclass(frozen=True)
class PromoteGates:
    """Some gates' results, and raw artifacts (paths relative to the module's dist folder)."""

    gates: tuple[GateResult, ...]
    artifacts: Digest = EMPTY_DIGEST


async def module_targets(request: PromoteGatesRequest) -> Targets:
    return await Get(Targets, Addresses(request.addresses))


def python_files(targets: Iterable[Target]) -> list[str]:
    return sorted(t[PythonSourceField].file_path for t in targets if t.has_field(PythonSourceField))


async def artifact(path: str, text: str) -> Digest:
    return await Get(Digest, CreateDigest([FileContent(path, text.encode())]))


def pants_cannot_read(gate: str, repo: RepoImports, roots: list[str]) -> Optional[GateResult]:
    """FAIL for a gate whose Pants rules would parse a file (of `roots` or their imports) that
    Pants cannot read; None when it can read them all."""
    unreadable = repo.unreadable(reachable(repo.edges, roots).union(roots))
    return unreadable_files(
        gate, [(file.path, file.not_utf8) for file in unreadable if file.not_utf8 is not None]
    )
