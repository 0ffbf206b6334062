"""Tests for the legacy graph adapter."""

import unittest
from types import SimpleNamespace
from unittest import mock

from core.legacy import adapter


class AdapterTest(unittest.TestCase):
    def test_make_node_goes_through_the_legacy_factory(self) -> None:
        with mock.patch("matriz.graph.nodes.f") as factory:
            factory.return_value = "patched"
            self.assertEqual(adapter.make_node("alpha"), "patched")
        factory.assert_called_once_with("alpha", 1.0)

    def test_weights_buckets_and_order(self) -> None:
        self.assertEqual(adapter.total_weight(["a", "b"]), 2.0)
        self.assertEqual(sorted(adapter.by_label([" a", "b "])), ["a", "b"])
        nodes = [adapter.make_node("b", 1.0), adapter.make_node("a", 3.0)]
        self.assertEqual(adapter.ordered(nodes), ["a", "b"])

    def test_package_introspection(self) -> None:
        self.assertIn("Node", adapter.exported_names())
        self.assertEqual(
            adapter.package_name(), type(adapter.make_node("x")).__module__.split(".")[0]
        )
        self.assertEqual(adapter.lazy_factory()("x", 2.0).weight, 2.0)
        self.assertTrue(hasattr(adapter.graph_module(), "Node"))
        self.assertEqual(adapter.alias_count(SimpleNamespace(matriz=["m", "mx"])), 2)
