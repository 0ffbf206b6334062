"""Graph nodes of MATRIZ: a small, frozen node type and helpers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    """A labelled, weighted node with edges to other node labels."""

    label: str
    weight: float = 1.0
    edges: tuple[str, ...] = ()

    def connect(self, other: str) -> Node:
        """Return a copy of this node with an extra edge to ``other`` (no duplicates)."""
        if other in self.edges:
            return self
        return Node(self.label, self.weight, (*self.edges, other))


def f(label: str, weight: float = 1.0) -> Node:
    """Build a node from a label, stripping surrounding whitespace."""
    return Node(label=label.strip(), weight=weight)


def a(nodes: Iterable[Node]) -> float:
    """Aggregate: the total weight of ``nodes``."""
    return sum(node.weight for node in nodes)


def b(nodes: Iterable[Node]) -> dict[str, Node]:
    """Bucket ``nodes`` by label; a later node with the same label wins."""
    return {node.label: node for node in nodes}


def y(nodes: Iterable[Node]) -> list[str]:
    """Yield order: labels by descending weight, ties broken by label."""
    return [node.label for node in sorted(nodes, key=lambda node: (-node.weight, node.label))]
