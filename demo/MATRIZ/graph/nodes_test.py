"""Tests for the MATRIZ node API."""

from MATRIZ.graph.nodes import Node, a, b, f, y


def test_factory_strips_labels() -> None:
    assert f("  alpha ") == Node("alpha")


def test_connect_adds_each_edge_once() -> None:
    node = f("alpha").connect("beta").connect("beta")
    assert node.edges == ("beta",)


def test_aggregate_bucket_and_order() -> None:
    nodes = [f("b", 1.0), f("a", 2.0), f("c", 1.0)]
    assert a(nodes) == 4.0
    assert sorted(b(nodes)) == ["a", "b", "c"]
    assert y(nodes) == ["a", "b", "c"]
