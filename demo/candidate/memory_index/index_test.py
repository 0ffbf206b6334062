"""Tests for the memory index."""

import unittest

from candidate.memory_index.index import MemoryIndex


class MemoryIndexTest(unittest.TestCase):
    """Behaviour of ``MemoryIndex``."""

    def setUp(self) -> None:
        """Index two short memories."""
        self.index = MemoryIndex()
        self.index.add("beach", "A walk on the beach at dawn")
        self.index.add("city", "Night walk in the city")

    def test_add_get_and_contains(self) -> None:
        """Stored memories can be counted, looked up and read back."""
        self.assertEqual(len(self.index), 2)
        self.assertIn("beach", self.index)
        self.assertNotIn("forest", self.index)
        self.assertEqual(self.index.get("city"), "Night walk in the city")
        self.assertIsNone(self.index.get("forest"))

    def test_empty_key_is_rejected(self) -> None:
        """An empty key is a ``ValueError``."""
        with self.assertRaises(ValueError):
            self.index.add("", "text")

    def test_search_orders_by_shared_words_then_key(self) -> None:
        """Search ranks by shared words, then by key, and honours ``limit``."""
        self.assertEqual(self.index.search("walk"), ["beach", "city"])
        self.assertEqual(self.index.search("city walk"), ["city", "beach"])
        self.assertEqual(self.index.search("walk", limit=1), ["beach"])
        self.assertEqual(self.index.search("walk", limit=0), [])
        self.assertEqual(self.index.search("unicorn"), [])

    def test_replacing_and_removing_updates_postings(self) -> None:
        """Replacing or removing a memory drops its old words from the index."""
        self.index.add("beach", "Sand castles")
        self.assertEqual(self.index.search("dawn"), [])
        self.assertEqual(self.index.search("sand"), ["beach"])
        self.index.remove("city")
        self.assertEqual(self.index.search("night"), [])
        with self.assertRaises(KeyError):
            self.index.remove("city")

    def test_as_nodes(self) -> None:
        """Each memory becomes a node weighted by its distinct words."""
        nodes = self.index.as_nodes()
        self.assertEqual([node.label for node in nodes], ["beach", "city"])
        self.assertEqual(nodes[1].weight, 5.0)
