"""This repo's own build of the `lanekeeper-pants` wheel (not shipped in it): the distribution
takes its version from `lanekeeper.version`, so the wheel, the reports and the SARIF logs name
one version."""

from __future__ import annotations

from pants.backend.python.target_types import PythonProvidesField
from pants.backend.python.util_rules.package_dists import SetupKwargs, SetupKwargsRequest
from pants.engine.rules import collect_rules, rule
from pants.engine.target import Target
from pants.engine.unions import UnionRule

from lanekeeper.version import VERSION

DISTRIBUTION = "lanekeeper-pants"


class LanekeeperSetupKwargsRequest(SetupKwargsRequest):
    @classmethod
    def is_applicable(cls, target: Target) -> bool:
        return target[PythonProvidesField].value.kwargs.get("name") == DISTRIBUTION


@rule
async def lanekeeper_setup_kwargs(request: LanekeeperSetupKwargsRequest) -> SetupKwargs:
    return SetupKwargs(
        {**request.explicit_kwargs, "version": VERSION}, address=request.target.address
    )


def rules():
    return [*collect_rules(), UnionRule(SetupKwargsRequest, LanekeeperSetupKwargsRequest)]
