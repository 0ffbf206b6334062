"""Plugin registry of core: resolves plugin names to modules at run time."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import lukhas.service.facade
from products import report

PLUGIN_PACKAGE = "core.config"


def load_module(name: str) -> ModuleType:
    """Import the plugin module ``core.config.<name>`` by name."""
    return importlib.import_module(f"{PLUGIN_PACKAGE}.{name}")


def load_builtin(name: str) -> ModuleType:
    """Import a top-level module through the low-level ``__import__`` hook."""
    # HACK: __import__ bypasses the plugin allowlist; remove once plugins are packaged
    return __import__(name)


def default_service() -> lukhas.service.facade.LukhasService:
    """Build the service facade that core plugins report to."""
    return lukhas.service.facade.LukhasService()


def summary_renderer() -> Callable[[str, list[str]], str]:
    """Return the renderer used for plugin summaries."""
    return report.render_text
