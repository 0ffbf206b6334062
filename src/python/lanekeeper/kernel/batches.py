"""Stable, bounded batches of files: how every per-file analysis splits a run into processes.

One process per file or per directory costs a process start per file or directory (a real
monorepo has ~2,000 directories, median 2 files each); one process for everything re-runs
everything when one file changes. Batches of about `size` files sit between the two, and they
are *stable*: the paths are sorted and a batch ends after a path whose hash is 0 modulo `size`
(content-defined chunking, as Pants' own `lint` batches), so the batches depend only on the
set of paths, never on the directory layout or the order targets arrive in:

- an edited file re-runs exactly its own batch;
- an added file joins one batch (splits it in two when its own hash is a boundary, 1 in `size`);
- a removed file changes one batch (merges two when it was a boundary).

A run of more than `MAX_FACTOR * size` paths without a boundary (about 2% of batches) is cut
again the same way with half the divisor, so the cap keeps the batches content-defined too.

`stable_batches_by_kind` batches each kind of file apart (the files whose analysis needs a
costly import, say), so that no process of the other kind pays for it; a file that changes
kind changes one batch of each kind.
"""

from __future__ import annotations

import hashlib
from typing import Hashable, Iterable, Mapping, Sequence

# Files per analyzer process: measured in BENCHMARKS.md ("Batch size").
DEFAULT_BATCH_SIZE = 128
MAX_FACTOR = 4


def _path_hash(path: str) -> int:
    digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _cut(paths: Sequence[str], divisor: int, cap: int) -> list[tuple[str, ...]]:
    runs: list[tuple[str, ...]] = []
    start = 0
    for end, path in enumerate(paths, start=1):
        if _path_hash(path) % divisor == 0:
            runs.append(tuple(paths[start:end]))
            start = end
    if start < len(paths):
        runs.append(tuple(paths[start:]))
    batches: list[tuple[str, ...]] = []
    for run in runs:
        # Divisor 1 cuts after every path, so the recursion ends.
        batches.extend([run] if len(run) <= cap else _cut(run, divisor // 2, cap))
    return batches


def stable_batches(
    paths: Iterable[str], size: int = DEFAULT_BATCH_SIZE
) -> tuple[tuple[str, ...], ...]:
    """`paths` (deduplicated, sorted) cut into batches of about `size`, at most `MAX_FACTOR *
    size`, at boundaries that depend only on the paths themselves."""
    if size < 1:
        raise ValueError(f"a batch size must be at least 1, not {size}")
    return tuple(_cut(sorted(set(paths)), size, MAX_FACTOR * size))


def stable_batches_by_kind(
    kinds: Mapping[str, Hashable], size: int = DEFAULT_BATCH_SIZE
) -> tuple[tuple[str, ...], ...]:
    """The paths of `kinds` (path -> its kind) in stable batches that each hold one kind: each
    kind's paths cut as `stable_batches` cuts them, the kinds in the order of their first path."""
    by_kind: dict[Hashable, list[str]] = {}
    for path in sorted(kinds):
        by_kind.setdefault(kinds[path], []).append(path)
    return tuple(batch for paths in by_kind.values() for batch in stable_batches(paths, size))
