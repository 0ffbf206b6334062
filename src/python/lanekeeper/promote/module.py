"""The module a promotion moves: which directory, from which lane to which, and the roles of its
files (tests, benchmarks) and of the files that import it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.lanes.imports import ImportEdge

# The naming rule of benchmark files: they run as the module's tests, and their JUnit times are
# compared with the stored baseline.
BENCHMARK_SUFFIX = "_benchmark.py"


class PromotionError(ValueError):
    """Why the given files cannot be promoted as asked: one line, with the fix."""


@dataclass(frozen=True)
class Promotion:
    """The module's directory, its lane, and the lane it would move to."""

    module: str
    source: str
    target: str


def is_test_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.endswith("_test.py") or name.startswith("test_") or name == "conftest.py"


def is_benchmark_file(path: str) -> bool:
    return path.endswith(BENCHMARK_SUFFIX)


def benchmark_glob(module: str) -> str:
    """Every benchmark file of the module, as a path glob: also those no test target owns."""
    return f"{module}/**/*{BENCHMARK_SUFFIX}"


def module_directory(paths: Sequence[str]) -> str:
    """The deepest directory holding every one of `paths` (the module being promoted)."""
    if not paths:
        raise ValueError("no files to promote")
    parts = [p.split("/")[:-1] for p in paths]
    common: list[str] = []
    for segments in zip(*parts):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return "/".join(common)


def in_module(module: str, path: str) -> bool:
    return path == module or path.startswith(module + "/") or module == ""


def module_importers(module: str, edges: Iterable[ImportEdge]) -> list[str]:
    """The files outside `module` whose imports (or explicit dependencies) reach into it."""
    return sorted(
        {
            edge.importer
            for edge in edges
            if in_module(module, edge.imported) and not in_module(module, edge.importer)
        }
    )


def plan_promotion(config: LaneConfig, files: Sequence[str], to: Optional[str]) -> Promotion:
    """The promotion of the module that holds `files` (the Python files of the specs) to `to`:
    all of them in one lane, and `to` the next lane; PromotionError saying what is wrong."""
    if not files:
        raise PromotionError(
            "no Python files in the given specs: name the module's directory, e.g. "
            "`pants promote --to=core demo/candidate/memory_index::`."
        )
    module = module_directory(sorted(files))
    # `::` selects files of the whole repo: their common directory is the build root, "".
    named = module or "the files of the given specs"
    lanes = sorted({config.lane_of(path) or "" for path in files})
    if not to:
        next_lane = config.next_lane(lanes[0]) if len(lanes) == 1 and lanes[0] else None
        raise PromotionError(
            f"`[promote].to` is not set: say which lane to promote {named} to, "
            f"e.g. --to={next_lane or config.order[min(1, len(config.order) - 1)]}."
        )
    if lanes != [lanes[0]] or not lanes[0]:
        where = ", ".join(lane or "no lane" for lane in lanes)
        raise PromotionError(
            f"{named}: its files are in {where}; promote the files of one lane at a time."
        )
    source = lanes[0]
    reason = config.check_promotion(source, to)
    if reason is not None:
        raise PromotionError(f"cannot promote {module} ({source}) to {to!r}: {reason}")
    return Promotion(module, source, to)


def dotted_name(module: str, source_root: str) -> str:
    """The module's dotted name under its source root (`demo/candidate/memory_index` under
    `demo` -> `candidate.memory_index`): the name of its folder under `dist/promote/`."""
    root = "" if source_root in ("", ".") else source_root.strip("/") + "/"
    relative = module[len(root) :] if root and module.startswith(root) else module
    return relative.replace("/", ".")
