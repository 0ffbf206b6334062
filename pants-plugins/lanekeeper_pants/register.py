"""lanekeeper: lane rules, import health, legacy-import migration, TODO debt and promotion gates.

Activate with `backend_packages = ["lanekeeper_pants"]` in `[GLOBAL]`; configure lanes in `[lanes]`.
"""

from lanekeeper_pants import skip_fields
from lanekeeper_pants.analyzer import rules as analyzer_rules
from lanekeeper_pants.import_health import rules as import_health_rules
from lanekeeper_pants.lanes import edges, lint
from lanekeeper_pants.lanes import rules as lanes_rules
from lanekeeper_pants.matriz_migrate import rules as matriz_migrate_rules
from lanekeeper_pants.promote import rules as promote_rules
from lanekeeper_pants.todo_audit import rules as todo_audit_rules


def rules():
    return [
        *edges.rules(),
        *lint.rules(),
        *lanes_rules.rules(),
        *skip_fields.rules(),
        *analyzer_rules.rules(),
        *todo_audit_rules.rules(),
        *import_health_rules.rules(),
        *matriz_migrate_rules.rules(),
        *promote_rules.rules(),
    ]
