"""Feature weights for the ranker, and a calibration helper that ranks samples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import core.scoring.rank

DEFAULT_WEIGHTS: dict[str, float] = {"relevance": 0.6, "freshness": 0.3, "popularity": 0.1}


def normalized(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Return ``weights`` (default: ``DEFAULT_WEIGHTS``) scaled so that they sum to 1."""
    source = dict(DEFAULT_WEIGHTS if weights is None else weights)
    total = sum(source.values())
    if total <= 0:
        raise ValueError("weights must have a positive sum")
    return {name: value / total for name, value in source.items()}


def calibrate(samples: Sequence[Mapping[str, float]], step: float = 0.1) -> dict[str, float]:
    """Nudge the default weights towards the features of the best-ranked sample."""
    # TODO[2026-03-01][PRIORITY:URGENT][OWNER:@bob][SCOPE:PROD] : learn the step size
    if not samples:
        return normalized()
    best = samples[core.scoring.rank.rank_items(samples)[0]]
    boosted = {name: value + step * best.get(name, 0.0) for name, value in DEFAULT_WEIGHTS.items()}
    return normalized(boosted)
