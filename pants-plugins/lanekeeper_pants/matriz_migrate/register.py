"""lanekeeper's `matriz-migrate` backend: `pants matriz-migrate`, the legacy-import rewrite
(dry run, `--apply`, `--check`, `--update-baseline`), also registered as a `pants fix` fixer
that `pants lint` reports.

Enable just this with `backend_packages = ["lanekeeper_pants.matriz_migrate"]`.
"""

from lanekeeper_pants import skip_fields
from lanekeeper_pants.analyzer import rules as analyzer_rules
from lanekeeper_pants.matriz_migrate import rules as matriz_migrate_rules


def rules():
    return [
        *analyzer_rules.rules(),
        *matriz_migrate_rules.rules(),
        *skip_fields.rules_for(skip_fields.SkipMatrizMigrateField),
    ]
