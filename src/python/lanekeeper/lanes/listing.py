"""Which lane each target belongs to: the data behind `pants lanes` and its two renderings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from lanekeeper.kernel.lane_config import LaneConfig


@dataclass(frozen=True)
class LanedTarget:
    address: str
    path: str
    lane: str | None


@dataclass(frozen=True)
class LaneListing:
    """Targets sorted by address, each with its lane (None when no lane's globs match it)."""

    targets: tuple[LanedTarget, ...]

    def in_lane(self, lane: str) -> tuple[LanedTarget, ...]:
        return tuple(t for t in self.targets if t.lane == lane)

    @property
    def unlaned(self) -> tuple[LanedTarget, ...]:
        return tuple(t for t in self.targets if t.lane is None)


def assign_lanes(config: LaneConfig, targets: Iterable[tuple[str, str]]) -> LaneListing:
    """Lane each `(address, path)` pair by its path; raises `LaneConfigError` on ambiguity."""
    return LaneListing(
        tuple(
            LanedTarget(address, path, config.lane_of(path))
            for address, path in sorted(set(targets))
        )
    )


def _count(n: int) -> str:
    return f"{n:>5} {'target' if n == 1 else 'targets'}"


def render_text(config: LaneConfig, listing: LaneListing) -> str:
    """A table of target and lane, then a count per lane and the targets in no lane."""
    lines: list[str] = []
    width = max((len(lane) for lane in config.lanes), default=0)
    for target in listing.targets:
        if target.lane is not None:
            lines.append(f"{target.lane:<{width}}  {target.address}")
    lines.append("")
    for lane in config.lanes:
        kind = "library" if config.is_library(lane) else "lane"
        lines.append(f"{lane:<{width}}  {_count(len(listing.in_lane(lane)))}  ({kind})")
    unlaned = listing.unlaned
    lines.append(f"{'(none)':<{width}}  {_count(len(unlaned))} in no lane")
    if unlaned:
        lines.append("")
        lines.append("Targets in no lane (no glob in `[lanes].paths` matches them):")
        lines.extend(f"  {target.address}" for target in unlaned)
    return "\n".join(lines) + "\n"


def render_json(config: LaneConfig, listing: LaneListing) -> str:
    """The same listing for tools: every target with its lane, and the counts."""
    document = {
        "lanes": {lane: len(listing.in_lane(lane)) for lane in config.lanes},
        "unlaned": [t.address for t in listing.unlaned],
        "targets": [
            {"address": t.address, "path": t.path, "lane": t.lane} for t in listing.targets
        ],
    }
    return json.dumps(document, indent=2) + "\n"
