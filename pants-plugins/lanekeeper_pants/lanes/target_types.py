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


def rules():
    return [
        target_type.register_plugin_field(SkipLanesField)
        for target_type in (
            PythonSourcesGeneratorTarget,
            PythonSourceTarget,
            PythonTestsGeneratorTarget,
            PythonTestTarget,
            PythonTestUtilsGeneratorTarget,
        )
    ]
