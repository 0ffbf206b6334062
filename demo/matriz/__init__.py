"""Legacy name of the shared graph library, kept for old importers (same API as MATRIZ)."""

from .graph.nodes import Node, a, b, f, y

__all__ = ["Node", "a", "b", "f", "y"]
