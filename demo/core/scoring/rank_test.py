"""Tests for ranking and weights (they import each other: see demo/README.md, cycle-1)."""

import unittest

from core.scoring import rank, weights


class RankTest(unittest.TestCase):
    def test_score_uses_normalized_weights(self) -> None:
        self.assertAlmostEqual(rank.score({"relevance": 1.0}), 0.6)
        self.assertAlmostEqual(rank.score({"unknown": 5.0}), 0.0)

    def test_rank_items_best_first_and_stable(self) -> None:
        items = [{"relevance": 0.1}, {"relevance": 0.9}, {"relevance": 0.1}]
        self.assertEqual(rank.rank_items(items), [1, 0, 2])


class WeightsTest(unittest.TestCase):
    def test_normalized_sums_to_one(self) -> None:
        self.assertAlmostEqual(sum(weights.normalized({"a": 2.0, "b": 2.0}).values()), 1.0)
        with self.assertRaises(ValueError):
            weights.normalized({"a": 0.0})

    def test_calibrate_boosts_the_best_sample(self) -> None:
        self.assertEqual(weights.calibrate([]), weights.normalized())
        tuned = weights.calibrate([{"freshness": 1.0}, {"relevance": 0.2}], step=1.0)
        self.assertGreater(tuned["freshness"], weights.normalized()["freshness"])
