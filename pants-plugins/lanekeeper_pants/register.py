"""lanekeeper: lane rules, import health, legacy-import migration, TODO debt and promotion gates.

This backend enables every lanekeeper backend: `backend_packages = ["lanekeeper_pants"]` in
`[GLOBAL]`. To enable only some, list them instead: `lanekeeper_pants.lanes` (the `lanes`
linter and goal), `lanekeeper_pants.import_health`, `lanekeeper_pants.matriz_migrate`,
`lanekeeper_pants.todo_audit`, `lanekeeper_pants.promote`. Every one reads the lane model in
`[lanes]`.
"""

from lanekeeper_pants.import_health import register as import_health
from lanekeeper_pants.lanes import register as lanes
from lanekeeper_pants.matriz_migrate import register as matriz_migrate
from lanekeeper_pants.promote import register as promote
from lanekeeper_pants.todo_audit import register as todo_audit


def rules():
    return [
        *lanes.rules(),
        *import_health.rules(),
        *matriz_migrate.rules(),
        *todo_audit.rules(),
        *promote.rules(),
    ]
