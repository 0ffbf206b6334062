"""lanekeeper: lane rules, import health, legacy-import migration, TODO debt and promotion gates.

Activate with `backend_packages = ["lanekeeper_pants"]` in `[GLOBAL]`; configure lanes in `[lanes]`.
"""

from lanekeeper_pants.lanes import rules as lanes_rules


def rules():
    return [*lanes_rules.rules()]
