"""Per-target opt-outs of lanekeeper's linters and fixers, on every Python target type."""

from __future__ import annotations

from pants.backend.python.target_types import (
    PythonSourcesGeneratorTarget,
    PythonSourceTarget,
    PythonTestsGeneratorTarget,
    PythonTestTarget,
    PythonTestUtilsGeneratorTarget,
)
from pants.engine.target import BoolField


class SkipLanesField(BoolField):
    alias = "skip_lanes"
    default = False
    help = "If true, don't check this target's imports against the lane rules in `pants lint`."


class SkipMatrizMigrateField(BoolField):
    alias = "skip_matriz_migrate"
    default = False
    help = "If true, `pants fix` and `pants lint` don't rewrite legacy imports in this target."


PYTHON_TARGET_TYPES = (
    PythonSourcesGeneratorTarget,
    PythonSourceTarget,
    PythonTestsGeneratorTarget,
    PythonTestTarget,
    PythonTestUtilsGeneratorTarget,
)


def rules_for(field: type[BoolField]):
    """Register `field` on every Python target type (each backend registers its own opt-out)."""
    return [target_type.register_plugin_field(field) for target_type in PYTHON_TARGET_TYPES]


def rules():
    return [*rules_for(SkipLanesField), *rules_for(SkipMatrizMigrateField)]
