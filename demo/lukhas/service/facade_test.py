"""Tests for the lukhas service facade."""

import unittest

from lukhas.service.facade import LukhasService


class LukhasServiceTest(unittest.TestCase):
    def setUp(self) -> None:
        self.service = LukhasService()
        self.service.ingest("fox", "The quick brown fox")
        self.service.ingest("dog", "A lazy dog sleeps")

    def test_ingest_returns_a_weighted_node(self) -> None:
        node = self.service.ingest("cat", "one two three")
        self.assertEqual((node.label, node.weight), ("cat", 3.0))
        with self.assertRaises(ValueError):
            self.service.ingest("", "text")

    def test_search_ranks_and_limits(self) -> None:
        self.assertEqual(self.service.search("quick fox"), [("fox", 1.0)])
        self.assertEqual(self.service.search("fox dog", limit=1), [("fox", 0.5)])
        self.assertEqual(self.service.search("unicorn"), [])

    def test_health(self) -> None:
        self.assertEqual(self.service.health(), {"status": "ok", "documents": 2})
