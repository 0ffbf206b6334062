"""The ruff that import-health runs for E402, a Pants tool of its own with a default lockfile
shipped in the plugin: a repo's own `[ruff]` (its version, its config) is its own business.
Regenerate the lockfile with `pants --lanekeeper-ruff-lockfile=pants-plugins/lanekeeper_pants/
import_health/lanekeeper-ruff.lock generate-lockfiles --resolve=lanekeeper-ruff`."""

from __future__ import annotations

from pants.backend.python.subsystems.python_tool_base import LockfileRules, PythonToolBase
from pants.backend.python.target_types import ConsoleScript


class E402Ruff(PythonToolBase):
    options_scope = "lanekeeper-ruff"
    name = "ruff (import-health)"
    help = (
        "The ruff that `pants import-health` runs to find E402 (`ruff check --select=E402 "
        "--isolated`), apart from the repo's own `[ruff]`."
    )

    default_version = "ruff==0.4.10"
    default_requirements = [default_version]
    default_main = ConsoleScript("ruff")
    default_interpreter_constraints = ["CPython>=3.9,<3.13"]
    register_interpreter_constraints = True
    default_lockfile_resource = ("lanekeeper_pants.import_health", "lanekeeper-ruff.lock")
    lockfile_rules_type = LockfileRules.SIMPLE
