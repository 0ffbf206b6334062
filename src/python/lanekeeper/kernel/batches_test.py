from __future__ import annotations

import pytest

from lanekeeper.kernel.batches import MAX_FACTOR, stable_batches, stable_batches_by_kind


def monorepo_paths(directories: int = 2000) -> list[str]:
    """~10,000 paths in directories of 1 to 11 files, plus one of 600 (the realistic shape)."""
    paths = [f"src/candidate/big/mod{j}.py" for j in range(600)]
    for d in range(directories):
        lane = ("candidate", "core", "lukhas", "products")[d % 4]
        paths += [f"src/{lane}/pkg{d}/mod{j}.py" for j in range((d * 7) % 11 + 1)]
    return paths


PATHS = monorepo_paths()


def changed(before: tuple[tuple[str, ...], ...], after: tuple[tuple[str, ...], ...]) -> int:
    """How many batches of `after` are new: the processes a rerun must start."""
    return len(set(after) - set(before))


def test_every_path_once_in_path_order() -> None:
    batches = stable_batches(["b/2.py", "a/1.py", "b/1.py", "a/1.py"], size=2)
    assert [p for batch in batches for p in batch] == ["a/1.py", "b/1.py", "b/2.py"]


def test_depends_only_on_the_set_of_paths() -> None:
    assert stable_batches(PATHS) == stable_batches(sorted(PATHS, reverse=True) + PATHS[:50])


def test_bounded_batches_of_about_the_size_whatever_the_directories() -> None:
    batches = stable_batches(PATHS, size=128)
    assert sum(len(b) for b in batches) == len(set(PATHS))
    assert max(len(b) for b in batches) <= MAX_FACTOR * 128
    average = len(PATHS) / len(batches)
    assert 100 <= average <= 160, average
    # The 600-file directory is split; small directories share batches.
    assert sum(1 for b in batches if any("/big/" in p for p in b)) >= 3
    assert len(batches) < 2000 / 10


@pytest.mark.parametrize("size", [2, 5, 13, 64, 128])
def test_no_batch_is_larger_than_the_cap(size: int) -> None:
    # At each of these sizes some run of paths has no boundary for longer than the cap.
    batches = stable_batches(PATHS, size=size)
    assert max(len(b) for b in batches) <= MAX_FACTOR * size
    assert sum(len(b) for b in batches) == len(set(PATHS))


def test_size_one_is_a_batch_per_file() -> None:
    assert stable_batches(["b.py", "a.py"], size=1) == (("a.py",), ("b.py",))


def test_an_added_file_changes_one_batch() -> None:
    before = stable_batches(PATHS)
    added = [f"src/core/pkg{d}/new_module.py" for d in range(0, 2000, 50)]
    counts = [changed(before, stable_batches([*PATHS, path])) for path in added]
    # One batch gains the file; when the new path is itself a boundary, that batch splits in two.
    assert set(counts) <= {1, 2}
    assert counts.count(1) >= 0.9 * len(counts)


def test_a_removed_file_changes_one_batch() -> None:
    before = stable_batches(PATHS)
    for index in range(0, len(PATHS), 331):
        after = stable_batches(PATHS[:index] + PATHS[index + 1 :])
        assert changed(before, after) == 1


def test_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1, not 0"):
        stable_batches(["a.py"], size=0)


def test_each_kind_is_batched_apart_and_an_edit_that_changes_a_kind_changes_two_batches() -> None:
    # The realistic shape's ratio: ~3% of the files are of the costly kind.
    kinds = {path: index % 33 == 0 for index, path in enumerate(sorted(set(PATHS)))}
    before = stable_batches_by_kind(kinds)
    assert sum(len(b) for b in before) == len(kinds)
    assert all(len({kinds[p] for p in batch}) == 1 for batch in before)
    costly = [b for b in before if kinds[b[0]]]
    assert costly == list(stable_batches([p for p, k in kinds.items() if k]))
    flipped = sorted(kinds)[1000]
    after = stable_batches_by_kind({**kinds, flipped: not kinds[flipped]})
    assert changed(before, after) == 2
