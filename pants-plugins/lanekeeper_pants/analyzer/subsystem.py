"""The analyzer's own requirements (libcst), installed from a lockfile shipped with the plugin."""

from __future__ import annotations

from pants.backend.python.subsystems.python_tool_base import LockfileRules, PythonToolBase
from pants.backend.python.target_types import EntryPoint


class AnalyzerTool(PythonToolBase):
    options_scope = "lanekeeper-analyzer"
    name = "lanekeeper analyzer"
    help = (
        "The Python process that runs lanekeeper's per-file analyses (TODOs, import health, the "
        "legacy-import rewrite). Its requirements come from a lockfile shipped with the plugin; "
        "set `install_from_resolve` to install them from one of your resolves instead."
    )

    default_version = "libcst>=1.5,<2"
    default_requirements = [default_version]
    default_main = EntryPoint("lanekeeper.analyze")
    # The lockfile covers every interpreter a repo may run its code on; the analyzer itself runs
    # on the repo's interpreter, so `ast` parses the code the way the repo's Python does.
    default_interpreter_constraints = ["CPython>=3.9,<3.13"]
    register_interpreter_constraints = True
    default_lockfile_resource = ("lanekeeper_pants.analyzer", "analyzer.lock")
    lockfile_rules_type = LockfileRules.SIMPLE
