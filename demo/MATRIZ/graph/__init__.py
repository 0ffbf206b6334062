"""Graph package of MATRIZ: re-exports the node API."""

from .nodes import Node, a, b, f, y

__all__ = ["Node", "a", "b", "f", "y"]
