from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Iterable, Optional

import pytest

from lanekeeper.kernel.lane_config import LaneConfig, LaneConfigError
from lanekeeper.lanes.adoption import LaneBaseline, adopt, parse_exceptions
from lanekeeper.lanes.imports import ImportEdge
from lanekeeper.lanes.report import (
    LaneConfigFinding,
    adoption_findings,
    lane_config_findings,
    render_report,
    report_json,
)
from lanekeeper.lanes.violations import LANE_VIOLATION, ImportedModule, LaneViolation
from lanekeeper.testing import ALLOWED_IMPORTS as ALLOWED
from lanekeeper.testing import LANES, LIBRARIES, demo_config

config = demo_config
DEMO = config()
ALL_MATCHED = {f"demo/{lane}/**": 3 for lane in LANES + LIBRARIES}


def uses(*pairs: str, line: int = 1) -> list[ImportEdge]:
    """`"core matriz"`: an edge from a file of `core` to a file of `matriz`."""
    result = []
    for pair in pairs:
        importer, imported = pair.split()
        result.append(ImportEdge(f"demo/{importer}/a.py", line, imported, f"demo/{imported}/b.py"))
    return result


EVERY_ALLOWED_PAIR = uses(*(f"{x} {y}" for x, allowed in ALLOWED.items() for y in allowed))


def without(*pairs: str) -> list[ImportEdge]:
    dropped = set(uses(*pairs))
    return [edge for edge in EVERY_ALLOWED_PAIR if edge not in dropped]


def unused(lane: str, imported: str) -> LaneConfigFinding:
    return LaneConfigFinding(
        kind="allowed-import-unused",
        lane=lane,
        detail=imported,
        message=(
            f"`[lanes].allowed_imports`: lane {lane!r} may import {imported!r}, but no file in "
            f"{lane!r} does; remove {imported!r} from its list if it should not (tighten the rule)."
        ),
    )


def findings(
    edges: Iterable[ImportEdge],
    checked: Optional[Iterable[str]] = None,
    counts: Optional[dict[str, int]] = None,
    lanes: LaneConfig = DEMO,
) -> tuple[LaneConfigFinding, ...]:
    return lane_config_findings(lanes, ALL_MATCHED if counts is None else counts, edges, checked)


def test_a_policy_in_full_use_has_no_findings() -> None:
    assert findings(EVERY_ALLOWED_PAIR) == ()
    assert render_report(()) == "No lane config findings.\n"
    assert report_json(()) == []


def test_unmatched_globs() -> None:
    lanes = config(core=["demo/core/**", "demo/core_old/**"], matriz=["demo/matriz/**"])
    counts = dict(ALL_MATCHED, **{"demo/core_old/**": 0})
    del counts["demo/matriz/**"]  # not counted by the engine: it matched nothing
    assert findings(EVERY_ALLOWED_PAIR, counts=counts, lanes=lanes) == (
        LaneConfigFinding(
            kind="glob-matches-nothing",
            lane="core",
            detail="demo/core_old/**",
            message="`[lanes].paths`: glob 'demo/core_old/**' of lane 'core' matches no file; "
            "fix the glob or remove it.",
        ),
        LaneConfigFinding(
            kind="glob-matches-nothing",
            lane="matriz",
            detail="demo/matriz/**",
            message="`[lanes].paths`: glob 'demo/matriz/**' of library 'matriz' matches no file; "
            "fix the glob or remove it.",
        ),
    )


@pytest.mark.parametrize(
    "edges, expected",
    [
        pytest.param(without("products matriz"), [("products", "matriz")], id="one-unused"),
        pytest.param(
            without("products matriz", "candidate core", "core MATRIZ"),
            [("candidate", "core"), ("core", "MATRIZ"), ("products", "matriz")],
            id="config-order",
        ),
        pytest.param(
            # An explicit BUILD dependency is a use too.
            without("core matriz") + uses("core matriz", line=0),
            [],
            id="explicit-edge-counts",
        ),
        pytest.param(
            # Imports from or into unlaned files use no rule.
            without("lukhas core")
            + [
                ImportEdge("tools/a.py", 1, "core", "demo/core/b.py"),
                ImportEdge("demo/lukhas/a.py", 1, "x", "demo/matriz_utils/x.py"),
            ],
            [("lukhas", "core")],
            id="unlaned-ignored",
        ),
        pytest.param(
            # A violation (core -> lukhas) and an import within a lane use no allowed rule.
            without("core universal_language") + uses("core lukhas", "core core"),
            [("core", "universal_language")],
            id="disallowed-and-same-lane-ignored",
        ),
        pytest.param(
            [],
            [(lane, imported) for lane, allowed in ALLOWED.items() for imported in allowed],
            id="no-edges",
        ),
    ],
)
def test_unused_allowed_imports(edges: list[ImportEdge], expected: list[tuple[str, str]]) -> None:
    assert findings(edges) == tuple(unused(lane, imported) for lane, imported in expected)


@pytest.mark.parametrize(
    "checked, expected",
    [
        pytest.param(["core"], [("core", "matriz"), ("core", "MATRIZ")], id="core-only"),
        pytest.param(["products"], [], id="fully-used-lane"),
        pytest.param([], [], id="nothing-checked"),
        pytest.param(
            ("products", "core"),
            [("core", "matriz"), ("core", "MATRIZ")],
            id="config-order-not-argument-order",
        ),
        pytest.param(["matriz"], [], id="library-allows-nothing"),
    ],
)
def test_partial_run(checked: list[str], expected: list[tuple[str, str]]) -> None:
    # Only core's and products' files were in the selection; core uses one of its rules.
    edges = uses("core universal_language", *(f"products {y}" for y in ALLOWED["products"]))
    assert findings(edges, checked=checked) == tuple(
        unused(lane, imported) for lane, imported in expected
    )


def test_partial_run_still_reports_globs() -> None:
    counts = dict(ALL_MATCHED, **{"demo/lukhas/**": 0})
    (finding,) = findings(EVERY_ALLOWED_PAIR, checked=["core"], counts=counts)
    assert (finding.kind, finding.lane, finding.detail) == (
        "glob-matches-nothing",
        "lukhas",
        "demo/lukhas/**",
    )


def test_unknown_checked_lane() -> None:
    with pytest.raises(LaneConfigError, match="'ops' is not a lane or library"):
        findings(EVERY_ALLOWED_PAIR, checked=["ops"])


def test_render_and_json() -> None:
    counts = dict(ALL_MATCHED, **{"demo/candidate/**": 0})
    report = findings(without("products matriz", "lukhas MATRIZ"), counts=counts)
    assert render_report(report) == (
        "`[lanes].paths`: glob 'demo/candidate/**' of lane 'candidate' matches no file; fix the "
        "glob or remove it.\n"
        "`[lanes].allowed_imports`: lane 'lukhas' may import 'MATRIZ', but no file in 'lukhas' "
        "does; remove 'MATRIZ' from its list if it should not (tighten the rule).\n"
        "`[lanes].allowed_imports`: lane 'products' may import 'matriz', but no file in "
        "'products' does; remove 'matriz' from its list if it should not (tighten the rule).\n"
        "\n"
        "3 lane config findings (1 glob-matches-nothing, 2 allowed-import-unused)\n"
    )
    assert render_report(report[:1]).endswith("\n1 lane config finding (1 glob-matches-nothing)\n")
    expected: list[dict[str, Any]] = [
        {
            "kind": "allowed-import-unused",
            "lane": "products",
            "detail": "matriz",
            "message": unused("products", "matriz").message,
        }
    ]
    assert report_json(report[2:]) == expected


def test_finding_is_frozen_and_hashable() -> None:
    finding = unused("core", "matriz")
    assert len({finding, unused("core", "matriz")}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.lane = "lukhas"  # type: ignore[misc]


def test_adoption_findings() -> None:
    allowed = parse_exceptions(
        {
            name: {
                "importer": "demo/core/**",
                "module": module,
                "reason": "r",
                "issue": f"LK-{number}",
                "expires": expires,
            }
            for number, (name, module, expires) in enumerate(
                [
                    ("used", "lukhas.b", "2026-12-31"),
                    ("idle", "lukhas.c", "2026-12-31"),
                    ("lapsed", "lukhas.d", "2026-01-31"),
                ]
            )
        }
    )
    violation = LaneViolation(
        "demo/core/a.py",
        1,
        1,
        LANE_VIOLATION,
        "core",
        (ImportedModule("lukhas.b", "lukhas", "demo/lukhas/b.py"),),
    )
    baseline = LaneBaseline.of([("demo/core/a.py", "lukhas.x"), ("demo/core/gone.py", "lukhas.b")])
    today = date(2026, 6, 1)
    adoption = adopt([violation], ["demo/core/a.py"], baseline, allowed, today)
    findings = adoption_findings(
        allowed, adoption, today, "lanes-baseline.json", [("demo/core/gone.py", "lukhas.b")]
    )
    assert [(f.kind, f.detail, f.message) for f in findings] == [
        (
            "exception-unused",
            "idle",
            "`[lanes].exceptions`: 'idle' (LK-1) allows no import among the selected files; "
            "remove it if it is no longer needed.",
        ),
        (
            "exception-expired",
            "lapsed",
            "`[lanes].exceptions`: 'lapsed' (LK-2) expired on 2026-01-31, so it allows nothing; "
            "fix the imports it allowed, or renew it with a later `expires`.",
        ),
        (
            "baseline-stale",
            "demo/core/a.py -> lukhas.x",
            "lanes-baseline.json: demo/core/a.py no longer imports lukhas.x; shrink the baseline "
            "with `pants lanes --update-baseline ::`.",
        ),
        (
            "baseline-stale",
            "demo/core/gone.py -> lukhas.b",
            "lanes-baseline.json: demo/core/gone.py no longer exists; shrink the baseline with "
            "`pants lanes --update-baseline ::`.",
        ),
    ]
