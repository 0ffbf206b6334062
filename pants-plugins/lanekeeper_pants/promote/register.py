"""lanekeeper's `promote` backend: `pants promote`, every gate of promoting a module one lane
up (a union of gate requests: a backend adds a gate by adding a member), and `--apply`,
`--rollback` and `--recover`.

Enable just this with `backend_packages = ["lanekeeper_pants.promote"]`. Its lint, format and
type-check gates run whichever linters, formatters and checkers the repo enables (ruff,
black and mypy as lanekeeper's own processes, cached even when they find something).
"""

from lanekeeper_pants.analyzer import rules as analyzer_rules
from lanekeeper_pants.lanes import edges
from lanekeeper_pants.matriz_migrate import rules as matriz_migrate_rules
from lanekeeper_pants.promote import rules as promote_rules


def rules():
    return [
        *edges.rules(),
        *analyzer_rules.rules(),
        # `--apply` rewrites importers with matriz-migrate's rules (not its goal or fixer).
        *matriz_migrate_rules.rewrite_rules(),
        *promote_rules.rules(),
    ]
