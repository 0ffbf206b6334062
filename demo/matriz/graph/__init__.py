"""Graph package of the legacy library: re-exports the node API."""

from .nodes import Node, a, b, f, y

__all__ = ["Node", "a", "b", "f", "y"]
