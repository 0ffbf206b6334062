from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from lanekeeper.kernel.lane_config import LaneConfigError
from lanekeeper.lanes.adoption import (
    LaneBaseline,
    LaneException,
    adopt,
    parse_exceptions,
    render_lint,
    updated_baseline,
)
from lanekeeper.lanes.violations import (
    LANE_VIOLATION,
    NOT_UTF8,
    UNRESOLVED_IMPORT,
    ImportedModule,
    LaneViolation,
)
from lanekeeper.testing import demo_config

DEMO = demo_config()
TODAY = date(2026, 6, 1)
A = "demo/core/a.py"
B = "demo/core/b.py"

BRIDGE = {
    "importer": "demo/core/**",
    "module": "lukhas.service.**",
    "reason": "the bridge is rewritten in Q3",
    "issue": "LK-42",
    "expires": "2026-06-30",
}


def lk001(path: str, line: int, *modules: str) -> LaneViolation:
    imports = tuple(
        ImportedModule(m, m.split(".")[0], f"demo/{m.replace('.', '/')}.py") for m in modules
    )
    return LaneViolation(path, line, 1, LANE_VIOLATION, "core", imports)


UNREADABLE = LaneViolation(B, 2, 9, NOT_UTF8, "core", problem="not UTF-8", fix="re-save it")


def exceptions(**entries: dict) -> tuple[LaneException, ...]:
    return parse_exceptions(entries)


def test_parse_an_exception() -> None:
    (exception,) = exceptions(bridge={**BRIDGE, "expires": date(2026, 6, 30)})
    assert (exception.name, exception.reason, exception.issue) == (
        "bridge",
        "the bridge is rewritten in Q3",
        "LK-42",
    )
    assert exception.expires == date(2026, 6, 30)
    assert exception.matches((A, "lukhas.service.facade"))
    assert exception.matches((A, "lukhas.service"))  # a trailing `**` matches the package too
    assert not exception.matches((A, "lukhas.services"))
    assert not exception.matches(("demo/lukhas/a.py", "lukhas.service.facade"))
    assert not exception.expired(date(2026, 6, 30)) and exception.expired(date(2026, 7, 1))


@pytest.mark.parametrize(
    "fields, message",
    [
        ("core.x", "'x' must be a table of importer, module, reason, issue and expires."),
        (
            {**BRIDGE, "owner": "@ana"},
            "'x' has unknown field 'owner'; the fields are importer, module, reason, issue, "
            "expires.",
        ),
        (
            {**BRIDGE, "reason": " "},
            "'x' has no `reason`; every exception names the importer, module, reason, issue and "
            "expires (YYYY-MM-DD, the last day it applies).",
        ),
        (
            {key: value for key, value in BRIDGE.items() if key != "expires"},
            "'x' has no `expires`; every exception names the importer, module, reason, issue and "
            "expires (YYYY-MM-DD, the last day it applies).",
        ),
        (
            {**BRIDGE, "expires": "June"},
            "'x' expires on 'June', which is not a date; write YYYY-MM-DD.",
        ),
        (
            {**BRIDGE, "importer": "/abs/**"},
            "'x' has importer '/abs/**' is not a valid path glob: it is absolute; write it "
            "relative to the build root, without the leading '/'.",
        ),
        (
            {**BRIDGE, "module": "core/x"},
            "'x' has module 'core/x', which is not a module glob; write dotted names, where `*` "
            "matches within one part and `**` any number of parts, like 'core.legacy.**'.",
        ),
    ],
)
def test_a_broken_exception_is_one_line(fields: Any, message: str) -> None:
    with pytest.raises(LaneConfigError) as error:
        parse_exceptions({"x": fields})
    assert str(error.value) == f"`[lanes].exceptions`: {message}"


def test_the_baseline_file_round_trips_and_is_keyed_by_file_and_module() -> None:
    baseline = LaneBaseline.of([(B, "lukhas.b"), (A, "products.c"), (A, "lukhas.b")])
    text = baseline.to_json()
    assert json.loads(text) == {
        "kind": "lanes",
        "version": 1,
        "violations": {A: ["lukhas.b", "products.c"], B: ["lukhas.b"]},
    }
    assert LaneBaseline.parse(text, "lanes-baseline.json") == baseline
    assert baseline.files() == (A, B)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "{",
            "lanes-baseline.json is not valid JSON (Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1)); recreate it with `pants lanes --update-baseline "
            "::`.",
        ),
        (
            '{"kind": "todo-audit", "version": 1}',
            'lanes-baseline.json is not a lanes baseline (no `"kind": "lanes"`); recreate it with '
            "`pants lanes --update-baseline ::`.",
        ),
        (
            '{"kind": "lanes", "version": 1, "violations": {"a.py": "core.x"}}',
            "lanes-baseline.json is not a lanes baseline: `violations` must map each file to a "
            "list of module names; recreate it with `pants lanes --update-baseline ::`.",
        ),
    ],
)
def test_a_broken_baseline_says_how_to_fix_it(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        LaneBaseline.parse(text, "lanes-baseline.json")
    assert str(error.value) == message


def test_the_baseline_allows_what_it_records_whatever_the_line() -> None:
    baseline = LaneBaseline.of([(A, "lukhas.b"), (A, "lukhas.gone"), (B, "lukhas.b")])
    violations = [lk001(A, 40, "lukhas.b"), lk001(A, 41, "lukhas.c")]
    adoption = adopt(violations, [A], baseline, (), TODAY)
    assert adoption.failing == (lk001(A, 41, "lukhas.c"),)
    assert adoption.baselined == 1
    # Only the checked files' entries can be stale: B was not checked.
    assert adoption.stale == ((A, "lukhas.gone"),)


def test_a_statement_is_allowed_module_by_module() -> None:
    baseline = LaneBaseline.of([(A, "lukhas.b")])
    adoption = adopt([lk001(A, 3, "lukhas.b", "products.c")], [A], baseline, (), TODAY)
    assert adoption.failing == (lk001(A, 3, "products.c"),)
    assert adoption.baselined == 0


def test_exceptions_allow_until_they_expire() -> None:
    allowed = exceptions(bridge=BRIDGE)
    violation = lk001(A, 3, "lukhas.service.facade")
    live = adopt([violation], [A], LaneBaseline(), allowed, TODAY)
    assert (live.failing, live.excepted, live.used) == ((), 1, ("bridge",))
    expired = adopt([violation], [A], LaneBaseline(), allowed, date(2026, 7, 1))
    assert expired.failing == (violation,)
    assert expired.expired == ((violation, allowed[0]),)
    assert expired.used == ()


def test_a_file_pants_cannot_read_is_never_allowed() -> None:
    adoption = adopt([UNREADABLE], [B], LaneBaseline.of([(B, "x")]), (), TODAY)
    assert adoption.failing == (UNREADABLE,)


def test_update_keeps_the_entries_of_files_not_checked_while_they_exist() -> None:
    old = LaneBaseline.of([(A, "lukhas.b"), (B, "lukhas.b"), ("demo/core/gone.py", "lukhas.b")])
    violations = [
        lk001(A, 1, "lukhas.c"),
        lk001(A, 2, "lukhas.service.facade"),  # allowed by an exception: not recorded
        UNREADABLE,
    ]
    new = updated_baseline(old, violations, [A], exceptions(bridge=BRIDGE), TODAY, {A, B})
    assert new == LaneBaseline.of([(A, "lukhas.c"), (B, "lukhas.b")])


def test_render_lint() -> None:
    allowed = exceptions(bridge={**BRIDGE, "expires": "2026-05-31"})
    unresolved = LaneViolation(
        A,
        7,
        5,
        UNRESOLVED_IMPORT,
        "core",
        (ImportedModule("lukhas.di", "lukhas", "demo/lukhas/__init__.py", "lukhas"),),
    )
    violations = [lk001(A, 3, "lukhas.service.facade"), unresolved, lk001(A, 9, "lukhas.b")]
    baseline = LaneBaseline.of([(A, "lukhas.b"), (A, "lukhas.old")])
    adoption = adopt([*violations, UNREADABLE], [A, B], baseline, allowed, TODAY)
    assert render_lint(DEMO, adoption, "lanes-baseline.json").splitlines() == [
        "demo/core/a.py:3:1 LK001 lukhas.service.facade (lane lukhas) may not be imported from "
        "lane core",
        "  fix: lane 'core' may import core, matriz, MATRIZ, universal_language; promote "
        "lukhas.service.facade into one of those lanes, or move demo/core/a.py to a lane that "
        "may import 'lukhas' (lukhas, products)",
        "  exception 'bridge' (LK-42) expired on 2026-05-31: fix the import, or renew the "
        "exception with a later `expires`",
        "demo/core/a.py:7:5 LK002 lukhas.di (lane lukhas) may not be imported from lane core, and "
        "does not exist (its longest existing prefix is lukhas)",
        "  fix: the import only ever fails (or falls back, inside `try`): remove it, or import "
        "from a lane 'core' may import (core, matriz, MATRIZ, universal_language)",
        "demo/core/b.py:2:9 LK004 not UTF-8",
        "  fix: re-save it",
        "2 lane violations in 1 file.",
        "1 file that Pants' dependency inference cannot read (LK004).",
        "1 recorded in the baseline lanes-baseline.json.",
        "The baseline lanes-baseline.json can shrink: 1 of its entries no longer occurs "
        "(demo/core/a.py -> lukhas.old); run `pants lanes --update-baseline ::`.",
    ]


def test_render_lint_of_a_clean_batch_is_empty() -> None:
    assert render_lint(DEMO, adopt([], [A], LaneBaseline(), (), TODAY), None) == ""
