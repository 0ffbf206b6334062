"""The scanners the promote goal runs itself, as Pants tools with default lockfiles shipped in
the plugin (like the analyzer's): a repo needs no resolve of its own for them. Set
`[lanekeeper-pip-audit].install_from_resolve` (or detect-secrets') to install one from a resolve
of the repo instead."""

from __future__ import annotations

from pants.backend.python.subsystems.python_tool_base import LockfileRules, PythonToolBase
from pants.backend.python.target_types import ConsoleScript

# Regenerate a lockfile with `pants --<scope>-lockfile=pants-plugins/lanekeeper_pants/promote/
# gates/<scope>.lock generate-lockfiles --resolve=<scope>` (2.17 tool lockfiles).
_PACKAGE = "lanekeeper_pants.promote.gates"


class PipAuditTool(PythonToolBase):
    options_scope = "lanekeeper-pip-audit"
    name = "pip-audit"
    help = (
        "pip-audit, which the promote goal's supply-chain gate runs on the module's locked "
        "requirements (`-s osv --osv-url [promote].osv_url`)."
    )

    default_version = "pip-audit==2.10.1"
    default_requirements = [default_version]
    default_main = ConsoleScript("pip-audit")
    # pip-audit 2.10 needs Python >= 3.10.
    default_interpreter_constraints = ["CPython>=3.10,<3.13"]
    register_interpreter_constraints = True
    default_lockfile_resource = (_PACKAGE, "lanekeeper-pip-audit.lock")
    lockfile_rules_type = LockfileRules.SIMPLE


class DetectSecretsTool(PythonToolBase):
    options_scope = "lanekeeper-detect-secrets"
    name = "detect-secrets"
    help = "detect-secrets, which the promote goal's secrets gate runs on the module's folder."

    default_version = "detect-secrets==1.5.0"
    default_requirements = [default_version]
    default_main = ConsoleScript("detect-secrets")
    default_interpreter_constraints = ["CPython>=3.9,<3.13"]
    register_interpreter_constraints = True
    default_lockfile_resource = (_PACKAGE, "lanekeeper-detect-secrets.lock")
    lockfile_rules_type = LockfileRules.SIMPLE
