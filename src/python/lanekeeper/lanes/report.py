"""Problems in the `[lanes]` policy itself, for `pants lanes --report` (never lint failures).

A glob that matches no file is probably a typo or a leftover; an allowed import that no file
uses is a rule that can be tightened before someone starts relying on it. Likewise an exception
that allows nothing or has expired, and a baseline entry that no longer occurs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Optional

from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.kernel.report_text import counted
from lanekeeper.lanes.adoption import Adoption, Key, LaneException
from lanekeeper.lanes.imports import ImportEdge

GLOB_MATCHES_NOTHING = "glob-matches-nothing"
ALLOWED_IMPORT_UNUSED = "allowed-import-unused"
EXCEPTION_UNUSED = "exception-unused"
EXCEPTION_EXPIRED = "exception-expired"
BASELINE_STALE = "baseline-stale"


@dataclass(frozen=True)
class LaneConfigFinding:
    """One problem: `detail` is the glob, or the imported lane; `message` is one line."""

    kind: str
    lane: str
    detail: str
    message: str

    def to_json_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _kind(config: LaneConfig, name: str) -> str:
    return "library" if config.is_library(name) else "lane"


def _unmatched_globs(
    config: LaneConfig, glob_match_counts: Mapping[str, int]
) -> list[LaneConfigFinding]:
    findings = []
    for lane, globs in config.paths:
        for glob in globs:
            # A glob the engine did not count has no files to count.
            if glob_match_counts.get(glob.pattern, 0) > 0:
                continue
            findings.append(
                LaneConfigFinding(
                    kind=GLOB_MATCHES_NOTHING,
                    lane=lane,
                    detail=glob.pattern,
                    message=(
                        f"`[lanes].paths`: glob {glob.pattern!r} of {_kind(config, lane)} "
                        f"{lane!r} matches no file; fix the glob or remove it."
                    ),
                )
            )
    return findings


def _used_pairs(config: LaneConfig, edges: Iterable[ImportEdge]) -> set[tuple[str, str]]:
    """(importer lane, imported lane) of every edge between two laned files."""
    lane_of: dict[str, Optional[str]] = {}
    used: set[tuple[str, str]] = set()
    for edge in edges:
        lanes = []
        for path in (edge.importer, edge.imported):
            # The edges may cover the whole repo; each path is laned once.
            if path not in lane_of:
                lane_of[path] = config.lane_of(path)
            lanes.append(lane_of[path])
        importer_lane, imported_lane = lanes
        if importer_lane is not None and imported_lane is not None:
            used.add((importer_lane, imported_lane))
    return used


def lane_config_findings(
    config: LaneConfig,
    glob_match_counts: Mapping[str, int],
    edges: Iterable[ImportEdge],
    checked_lanes: Optional[Iterable[str]] = None,
) -> tuple[LaneConfigFinding, ...]:
    """Globs that match no file, then allowed imports no edge uses, each in config order.

    `glob_match_counts` maps each glob pattern to its number of matching files. Unused allowed
    imports are only reported for importers in `checked_lanes` (default: every lane), so that
    a run over part of the repo does not call everything outside it unused.
    """
    checked = set(config.lanes if checked_lanes is None else checked_lanes)
    for name in checked:
        _kind(config, name)  # Raises LaneConfigError for a name that is not a lane.
    findings = _unmatched_globs(config, glob_match_counts)
    used = _used_pairs(config, edges)
    for importer, allowed in config.allowed_imports:
        if importer not in checked:
            continue
        kind = _kind(config, importer)
        for imported in allowed:
            if (importer, imported) in used:
                continue
            findings.append(
                LaneConfigFinding(
                    kind=ALLOWED_IMPORT_UNUSED,
                    lane=importer,
                    detail=imported,
                    message=(
                        f"`[lanes].allowed_imports`: {kind} {importer!r} may import "
                        f"{imported!r}, but no file in {importer!r} does; remove {imported!r} "
                        "from its list if it should not (tighten the rule)."
                    ),
                )
            )
    return tuple(findings)


def adoption_findings(
    exceptions: Iterable[LaneException],
    adoption: Adoption,
    today: date,
    baseline_path: str,
    gone: Iterable[Key] = (),
) -> tuple[LaneConfigFinding, ...]:
    """Expired and unused exceptions, then baseline entries that no longer occur.

    `gone` are baseline entries whose file no longer exists; `adoption` covers the selected
    files, so an exception is reported unused only if it allows nothing among them.
    """
    findings = []
    for exception in exceptions:
        if exception.expired(today):
            findings.append(
                LaneConfigFinding(
                    EXCEPTION_EXPIRED,
                    "",
                    exception.name,
                    f"`[lanes].exceptions`: {exception.name!r} ({exception.issue}) expired on "
                    f"{exception.expires.isoformat()}, so it allows nothing; fix the imports it "
                    "allowed, or renew it with a later `expires`.",
                )
            )
        elif exception.name not in adoption.used:
            findings.append(
                LaneConfigFinding(
                    EXCEPTION_UNUSED,
                    "",
                    exception.name,
                    f"`[lanes].exceptions`: {exception.name!r} ({exception.issue}) allows no "
                    "import among the selected files; remove it if it is no longer needed.",
                )
            )
    removed = set(gone)
    for path, module in sorted({*adoption.stale, *removed}):
        why = "no longer exists" if (path, module) in removed else f"no longer imports {module}"
        findings.append(
            LaneConfigFinding(
                BASELINE_STALE,
                "",
                f"{path} -> {module}",
                f"{baseline_path}: {path} {why}; shrink the baseline with "
                "`pants lanes --update-baseline ::`.",
            )
        )
    return tuple(findings)


def render_report(findings: Iterable[LaneConfigFinding]) -> str:
    """One message per finding, then a count per kind."""
    listed = tuple(findings)
    if not listed:
        return "No lane config findings.\n"
    # dict keeps the kinds in order of first appearance, which follows the config order.
    counts: dict[str, int] = {}
    for finding in listed:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    per_kind = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    lines = [finding.message for finding in listed]
    lines.extend(["", f"{counted(len(listed), 'lane config finding')} ({per_kind})"])
    return "\n".join(lines) + "\n"


def report_json(findings: Iterable[LaneConfigFinding]) -> list[dict[str, Any]]:
    """Every field of every finding, in the given order, for machine output."""
    return [finding.to_json_dict() for finding in findings]
