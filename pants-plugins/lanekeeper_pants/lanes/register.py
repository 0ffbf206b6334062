"""lanekeeper's `lanes` backend: the `lanes` linter in `pants lint` and the `pants lanes` goal
(listing, `--cycles`, `--report`, `--update-baseline`), from the lane model in `[lanes]`.

Enable just this with `backend_packages = ["lanekeeper_pants.lanes"]`; `lanekeeper_pants`
enables every lanekeeper backend.
"""

from lanekeeper_pants import skip_fields
from lanekeeper_pants.lanes import edges
from lanekeeper_pants.lanes import rules as lanes_rules


def rules():
    return [
        *edges.rules(),
        *lanes_rules.rules(),
        *skip_fields.rules_for(skip_fields.SkipLanesField),
    ]
