"""orchestrator: plans and runs candidate workflows (planner -> scheduler -> executor)."""
