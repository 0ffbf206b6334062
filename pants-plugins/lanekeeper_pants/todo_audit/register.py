"""lanekeeper's `todo-audit` backend: `pants todo-audit`, the inventory of TODO/FIXME comments,
their weighted debt score, and `--rewrite` into the guide's format.

Enable just this with `backend_packages = ["lanekeeper_pants.todo_audit"]`.
"""

from lanekeeper_pants.analyzer import rules as analyzer_rules
from lanekeeper_pants.todo_audit import rules as todo_audit_rules


def rules():
    return [*analyzer_rules.rules(), *todo_audit_rules.rules()]
