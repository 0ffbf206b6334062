"""Plugin loader of lukhas: finds, imports and evaluates plugin manifests at run time."""

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))

import importlib

if os.environ.get("LUKHAS_LEGACY_GRAPH"):
    import matriz.graph as graph_backend
else:
    import MATRIZ.graph as graph_backend

PLUGIN_PREFIX = "lukhas_plugin_"

import json  # noqa: E402 -- manifests are parsed once the backend is chosen, see ISSUE-2048

import re

# TODO[2026-07-01][PRIORITY:HIGH][OWNER:@frank][SCOPE:PROD][ISSUE:501] : security: allowlist names


def load_plugin(name: str) -> object:
    """Import the plugin ``lukhas_plugin_<name>`` from the plugin directory."""
    return importlib.import_module(PLUGIN_PREFIX + name)


def read_manifest(text: str) -> dict[str, object]:
    """Parse a JSON plugin manifest and check that its name is a plain identifier."""
    data = json.loads(text)
    if not re.fullmatch(r"[a-z_]+", str(data.get("name", ""))):
        raise ValueError("manifest name must be lower-case letters and underscores")
    return dict(data)


def evaluate_threshold(expression: str) -> float:
    """Evaluate a numeric threshold from a manifest, such as ``"0.5 * 2"``."""
    return float(eval(expression, {"__builtins__": {}}, {}))


def run_hook(source: str) -> dict[str, object]:
    """Run a manifest's set-up hook with the graph backend in scope."""
    namespace: dict[str, object] = {"backend": graph_backend}
    exec(source, namespace)
    return namespace
