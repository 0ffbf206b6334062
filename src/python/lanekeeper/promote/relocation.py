"""Where a promoted module goes: its new directory, its new module name, every file's move,
and the BUILD addresses that name it (groundwork for `pants promote --apply`).

A module `demo/candidate/memory_index` in lane `candidate` (`demo/candidate/**`) promoted to
`core` (`demo/core/**`) keeps its path below the lane's directory:
`demo/core/memory_index`, module `candidate.memory_index` -> `core.memory_index` under the
source root `demo`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Sequence

from lanekeeper.kernel.lane_config import LaneConfig


class RelocationError(ValueError):
    """Why a module cannot be moved, in one line with the fix."""


@dataclass(frozen=True)
class Relocation:
    source_dir: str
    target_dir: str
    old_module: str
    new_module: str
    moves: tuple[tuple[str, str], ...]  # (old path, new path), every file of the module

    @property
    def package_dir(self) -> str:
        """The directory of the top-level package the module is in (`demo/candidate`): a file
        that reaches the module through a package above it imports something under it."""
        depth = self.old_module.count(".")
        return self.source_dir.rsplit("/", depth)[0] if depth else self.source_dir

    @property
    def renames(self) -> dict[str, str]:
        """The rename engine's mapping: every importer's `old_module...` -> `new_module...`."""
        return {self.old_module: self.new_module}


def lane_directory(config: LaneConfig, lane: str) -> str:
    """The fixed directory of a lane: the literal prefix of its first path glob."""
    globs = dict(config.paths).get(lane, ())
    prefix = globs[0].literal_prefix if globs else ""
    if not prefix:
        raise RelocationError(
            f"lane {lane!r} has no fixed directory to move files into: give its first "
            "`[lanes].paths` glob a literal prefix (like `src/core/**`)."
        )
    return prefix


def plan_relocation(
    config: LaneConfig, module_dir: str, source_root: str, to_lane: str, files: Sequence[str]
) -> Relocation:
    """The move of `module_dir` (its `files`) into `to_lane`; RelocationError if impossible."""
    module_dir = module_dir.strip("/")
    lane = config.lane_of(module_dir + "/__init__.py")
    if lane is None:
        raise RelocationError(f"{module_dir} is in no lane of `[lanes].paths`.")
    reason = config.check_promotion(lane, to_lane)
    if reason:
        raise RelocationError(reason)
    source_lane_dir = lane_directory(config, lane)
    if not module_dir.startswith(source_lane_dir + "/"):
        raise RelocationError(
            f"{module_dir} is not below {source_lane_dir}, the directory of lane {lane!r}."
        )
    target_dir = lane_directory(config, to_lane) + module_dir[len(source_lane_dir) :]
    outside = [f for f in files if not f.startswith(module_dir + "/")]
    if outside:
        raise RelocationError(f"{outside[0]} is not under the module directory {module_dir}.")
    return Relocation(
        source_dir=module_dir,
        target_dir=target_dir,
        old_module=_module_name(module_dir, source_root),
        new_module=_module_name(target_dir, source_root),
        moves=tuple((f, target_dir + f[len(module_dir) :]) for f in sorted(files)),
    )


def _module_name(directory: str, source_root: str) -> str:
    root = source_root.strip("/")
    relative = posixpath.relpath(directory, root) if root else directory
    if relative.startswith(".."):
        raise RelocationError(f"{directory} is not under its source root {source_root or '/'}.")
    return relative.replace("/", ".")


def rewrite_build_addresses(text: str, old_dir: str, new_dir: str) -> str:
    """A BUILD file's text with string addresses under `old_dir` moved to `new_dir`.

    `"demo/candidate/memory_index:tests"`, `"//demo/candidate/memory_index/index.py"` and
    `"demo/candidate/memory_index"` change; `"demo/candidate/memory_index_old"` does not.
    """
    pattern = re.compile(r"""(["'])(//)?""" + re.escape(old_dir) + r"""(?=[/:"'])""")
    return pattern.sub(lambda m: m.group(1) + (m.group(2) or "") + new_dir, text)
