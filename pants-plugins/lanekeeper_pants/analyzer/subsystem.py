"""The analyzer's own requirements (libcst), installed from a lockfile shipped with the plugin."""

from __future__ import annotations

from pants.backend.python.subsystems.python_tool_base import LockfileRules, PythonToolBase
from pants.backend.python.target_types import EntryPoint
from pants.option.option_types import IntOption
from pants.util.strutil import softwrap

from lanekeeper.kernel.batches import DEFAULT_BATCH_SIZE, MAX_FACTOR


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

    batch_size = IntOption(
        default=DEFAULT_BATCH_SIZE,
        advanced=True,
        help=softwrap(
            f"""
            The number of files each analyzer process (and import-health's ruff process) takes:
            import-health, todo-audit and promote split the files into batches of about this
            many, at most {MAX_FACTOR} times as many; matriz-migrate's rewrite, which costs
            more per file, takes a quarter as many. The batches depend only on the set of file
            paths, never on the directories, so a changed file re-runs only its own batch, like
            `[lint].batch_size`.
            """
        ),
    )

    def checked_batch_size(self) -> int:
        if self.batch_size < 1:
            raise ValueError(
                f"`[{self.options_scope}].batch_size` must be at least 1, not {self.batch_size}: "
                f"it is the number of files each analyzer process takes (default "
                f"{DEFAULT_BATCH_SIZE})."
            )
        return self.batch_size
