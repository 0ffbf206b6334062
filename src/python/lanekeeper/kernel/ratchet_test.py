from __future__ import annotations

import pytest

from lanekeeper.kernel.ratchet import files_most_first, is_count, load_versioned

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
