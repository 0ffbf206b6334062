"""Orders planned steps and hands them to the executor."""

from __future__ import annotations

import candidate.orchestrator.executor


def schedule(steps: list[str]) -> list[str]:
    """Run non-empty ``steps`` shortest first (ties keep their planned order)."""
    # TODO[2026-06-01][PRIORITY:MED][OWNER:@dave][SCOPE:X][ISSUE:7] : order by priority instead
    runnable = [step for step in steps if step.strip()]
    return [candidate.orchestrator.executor.execute(step) for step in sorted(runnable, key=len)]
