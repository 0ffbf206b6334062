"""Search-path bootstrap for plugins of old deployments (kept until they are repackaged)."""

import os  # noqa: E402
import sys

LEGACY_PLUGIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "legacy_plugins")

sys.path.insert(0, LEGACY_PLUGIN_DIR)

import json

import logging  # noqa: E402 -- logging is set up only once the plugin path exists, see ISSUE-1234

import shutil  # noqa: E402

import textwrap  # noqa: E402 -- used by the 2023 plugin shim, see ISSUE-77 EXCEPTION-20240101

import tempfile  # noqa: E402 -- scratch dir for the loader move, see ISSUE-88 EXCEPTION-20260901

LOGGER = logging.getLogger(__name__)


def describe_path() -> str:
    """Summarize the legacy plugin path as one JSON line, for the start-up log."""
    # TODO fix this: read the plugin directory from settings instead of __file__
    present = os.path.isdir(LEGACY_PLUGIN_DIR)
    return json.dumps({"legacy_plugin_dir": LEGACY_PLUGIN_DIR, "present": present})


def stage_plugin(source: str) -> str:
    """Copy a plugin file into a scratch directory and return the copy's path."""
    target = os.path.join(tempfile.mkdtemp(prefix="legacy-plugin-"), os.path.basename(source))
    shutil.copyfile(source, target)
    LOGGER.info(textwrap.shorten(f"staged {source} as {target}", width=120))
    return target
