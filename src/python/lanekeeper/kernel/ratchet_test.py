from __future__ import annotations

import pytest

from lanekeeper.kernel.ratchet import (
    Comparison,
    baseline_json,
    compare,
    files_most_first,
    is_count,
    load_versioned,
    read_baseline,
)

HINT = "fix it"


@pytest.mark.parametrize(
    "text, kind, message",
    [
        (
            "[",
            None,
            "b.json is not valid JSON (Expecting value: line 1 column 2 (char 1)); fix it.",
        ),
        ("[]", None, "b.json is not a thing: the top level must be a JSON object; fix it."),
        ('{"version": 1}', "k", 'b.json is not a thing (no `"kind": "k"`); fix it.'),
        (
            '{"version": "1"}',
            None,
            'b.json has version "1", but this lanekeeper reads version 1; fix it.',
        ),
    ],
)
def test_broken_files_name_the_problem_and_the_fix(text: str, kind: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        load_versioned(text, "b.json", version=1, what="a thing", hint=HINT, kind=kind)
    assert str(error.value) == message


def test_valid_file_and_counts() -> None:
    document = load_versioned(
        '{"version": 1, "kind": "k", "n": 2}', "b", version=1, what="", hint="", kind="k"
    )
    assert document["n"] == 2
    assert [is_count(v) for v in (0, 3, -1, True, 1.0, "1")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_files_most_first_names_at_most_ten() -> None:
    per_file = {f"f{i:02}.py": i for i in range(1, 13)}
    assert files_most_first({"b.py": 1, "a.py": 1, "c.py": 5}, unit="score ") == (
        "c.py (score 5), a.py (score 1), b.py (score 1)"
    )
    shown = files_most_first(per_file)
    assert shown.startswith("f12.py (12), f11.py (11)")
    assert shown.endswith("f03.py (3) and 2 more")


def _read(text: str) -> dict[str, dict[str, int]]:
    return read_baseline(
        text, "b.json", kind="import-health", categories=("a", "b"), upgrade=lambda d: d.get("old")
    )


def test_baseline_file_round_trip_and_version_1() -> None:
    text = baseline_json("import-health", {"core": {"a": 1, "b": 0}, "(none)": {"a": 2}})
    assert text == (
        '{\n  "version": 2,\n  "kind": "import-health",\n  "lanes": {\n'
        '    "core": {\n      "a": 1,\n      "b": 0\n    },\n'
        '    "(none)": {\n      "a": 2\n    }\n  }\n}\n'
    )
    assert _read(text) == {"core": {"a": 1, "b": 0}, "(none)": {"a": 2}}
    assert _read('{"version": 1, "old": {"core": {"a": 1}}}') == {"core": {"a": 1}}


FIX = "; regenerate it with `pants import-health --update-baseline ::`."


@pytest.mark.parametrize(
    "text, message",
    [
        ("[]", "b.json is not an import-health baseline: the top level must be a JSON object"),
        ('{"version": 3}', "b.json has version 3, but this lanekeeper reads versions 1 and 2"),
        (
            '{"version": 2, "lanes": {}}',
            'b.json is not an import-health baseline (no `"kind": ' '"import-health"`)',
        ),
        (
            '{"version": 1}',
            "b.json is not an import-health baseline of version 1 (it has another " "shape)",
        ),
        (
            '{"version": 2, "kind": "import-health", "lanes": []}',
            "b.json is not an import-health " "baseline: `lanes` must be an object of lanes",
        ),
        (
            '{"version": 2, "kind": "import-health", "lanes": {"core": 1}}',
            "b.json is not an " "import-health baseline: `lanes.core` must be an object",
        ),
        (
            '{"version": 2, "kind": "import-health", "lanes": {"core": {"c": 1}}}',
            "b.json is not " "an import-health baseline: `lanes.core` has unknown `c`",
        ),
        (
            '{"version": 2, "kind": "import-health", "lanes": {"core": {"a": true}}}',
            "b.json is "
            "not an import-health baseline: `lanes.core.a` must be a count (0 or more), not true",
        ),
    ],
)
def test_broken_baselines_name_the_problem_and_the_fix(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        _read(text)
    assert str(error.value) == message + FIX


def _compare(baseline: dict, now: dict, production: bool = True) -> Comparison:
    return compare(
        baseline,
        now,
        kind="todo-audit",
        lanes=("core", "new"),
        categories=("a", "b"),
        ratcheted=("a",),
        files_behind=lambda lane, category: f"files with {category} in {lane}: x.py",
        label=lambda category: f"{category}s",
        production=production,
    )


def test_rises_of_ratcheted_counts_fail_and_falls_are_slack() -> None:
    comparison = _compare({"core": {"a": 1, "b": 5}, "old": {"a": 1}}, {"core": {"a": 3, "b": 9}})
    assert comparison.failed and not comparison.clean
    assert comparison.lines() == [
        "regression: core: as rose from 1 to 3 (+2); files with a in core: x.py",
        "note: new: not in the baseline, so compared against zero",
        "note: old: in the baseline but no longer a production lane; "
        "regenerate it with `pants todo-audit --update-baseline ::`",
    ]
    assert (comparison.delta("core", "b"), comparison.delta(None, "a")) == (4, 2)
    assert comparison.delta("old", "a") is None and comparison.delta("core", "c") is None
    assert comparison.to_json_dict()["total"]["a"] == {"baseline": 1, "now": 3}
    fallen = _compare({"core": {"a": 2}, "new": {"a": 0}}, {"core": {"a": 1}}, production=False)
    assert (fallen.failed, fallen.clean) == (False, False)
    assert fallen.lines() == [
        "slack: core: as fell from 2 to 1 (-1); lower the baseline with `--update-baseline`"
    ]
    assert _compare({"core": {"a": 1}}, {"core": {"a": 1, "b": 3}}).clean
