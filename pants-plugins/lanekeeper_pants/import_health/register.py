"""lanekeeper's `import-health` backend: `pants import-health`, per-file and per-lane counts of
E402, `# noqa: E402` exceptions, runtime and legacy imports, lane violations and cycles,
ratcheted against a baseline.

Enable just this with `backend_packages = ["lanekeeper_pants.import_health"]`; it reads
`[lanes]` and `[matriz-migrate].renames` but adds no linter to `pants lint`.
"""

from lanekeeper_pants.analyzer import rules as analyzer_rules
from lanekeeper_pants.import_health import rules as import_health_rules
from lanekeeper_pants.lanes import edges, lint


def rules():
    return [
        *edges.rules(),
        *lint.check_rules(),
        *analyzer_rules.rules(),
        *import_health_rules.rules(),
    ]
