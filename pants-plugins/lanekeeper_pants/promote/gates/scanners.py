"""The PEX of a scanner the promote goal runs itself (pip-audit, detect-secrets), from the locked
resolve `[promote].tools_resolve`."""

from __future__ import annotations

from pants.backend.python.subsystems.setup import PythonSetup
from pants.backend.python.target_types import ConsoleScript
from pants.backend.python.util_rules.interpreter_constraints import InterpreterConstraints
from pants.backend.python.util_rules.pex import PexRequest
from pants.backend.python.util_rules.pex_requirements import PexRequirements, Resolve

from lanekeeper_pants.promote.subsystem import PromoteSubsystem


def scanner_pex_request(
    subsystem: PromoteSubsystem, python_setup: PythonSetup, requirement: str, script: str
) -> PexRequest:
    resolve = subsystem.tools_resolve
    constraints = python_setup.resolves_to_interpreter_constraints.get(
        resolve, python_setup.interpreter_constraints
    )
    return PexRequest(
        output_filename=f"{script}.pex",
        internal_only=True,
        requirements=PexRequirements([requirement], from_superset=Resolve(resolve, False)),
        interpreter_constraints=InterpreterConstraints(constraints),
        main=ConsoleScript(script),
    )
