"""Rank items by a weighted sum of their features."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import core.scoring.weights


def score(features: Mapping[str, float], weights: Mapping[str, float] | None = None) -> float:
    """Weighted sum of ``features``; features without a weight count for nothing."""
    active = core.scoring.weights.normalized(weights)
    return sum(active.get(name, 0.0) * value for name, value in features.items())


def rank_items(
    items: Sequence[Mapping[str, float]], weights: Mapping[str, float] | None = None
) -> list[int]:
    """Indexes of ``items`` ordered best first; ties keep their original order."""
    # TODO[2026-03-01][PRIORITY:HIGH][OWNER:@alice][SCOPE:PROD][ISSUE:42] : use heapq for top-k
    scores = [score(item, weights) for item in items]
    return sorted(range(len(items)), key=lambda index: (-scores[index], index))
