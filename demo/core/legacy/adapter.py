"""Adapter between core and the legacy graph API (its migration to MATRIZ is pending)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from types import ModuleType, SimpleNamespace

import matriz
import matriz as mz
import matriz.graph.nodes
from matriz import Node
from matriz.graph import a, b
from matriz.graph import y as z

# TODO[2026-13-40][PRIORITY:MED][OWNER:@alice][SCOPE:PROD][ISSUE:43] : drop this adapter
# FIXME: labels with surrounding whitespace are stripped silently by the factory


def make_node(label: str, weight: float = 1.0) -> Node:
    """Create a node through the legacy factory."""
    return matriz.graph.nodes.f(label, weight)


def total_weight(labels: Iterable[str]) -> float:
    """Total weight of fresh nodes built for ``labels``."""
    return a(make_node(label) for label in labels)


def by_label(labels: Iterable[str]) -> dict[str, Node]:
    """Fresh nodes for ``labels``, keyed by label."""
    return b(make_node(label) for label in labels)


def ordered(nodes: Iterable[Node]) -> list[str]:
    """Labels of ``nodes`` in the library's yield order."""
    return z(nodes)


def exported_names() -> list[str]:
    """Names that the legacy package exports."""
    return sorted(matriz.__all__)


def package_name() -> str:
    """Import name of the graph package that this adapter is bound to."""
    return mz.__name__


def lazy_factory() -> Callable[[str, float], Node]:
    """The node factory, imported only when first needed."""
    from matriz.graph.nodes import f as legacy_factory

    return legacy_factory


def graph_module() -> ModuleType:
    """The graph package, looked up by name at run time."""
    return importlib.import_module("matriz.graph")


def alias_count(registry: SimpleNamespace) -> int:
    """Number of aliases that ``registry`` holds for the graph library."""
    return len(registry.matriz)
