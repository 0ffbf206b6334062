"""MATRIZ: the shared graph library (canonical name; the legacy name has the same API)."""

from .graph.nodes import Node, a, b, f, y

__all__ = ["Node", "a", "b", "f", "y"]
