"""Plans a workflow from a free-text goal, using the memory index for context."""

from __future__ import annotations

import candidate.orchestrator.scheduler
from candidate.memory_index.index import MemoryIndex


def plan(goal: str, memory: MemoryIndex) -> list[str]:
    """Split ``goal`` on "then" into steps, tagging each with its closest memory."""
    # TODO[2026-08-01][PRIORITY:LOW][OWNER:@gina][SCOPE:CANDIDATE][ISSUE:21] : split on commas
    steps = [part.strip() for part in goal.split(" then ") if part.strip()]
    planned: list[str] = []
    for step in steps:
        hits = memory.search(step, limit=1)
        planned.append(f"{step} [{hits[0]}]" if hits else step)
    return planned


def plan_and_run(goal: str, memory: MemoryIndex) -> list[str]:
    """Plan ``goal`` and hand the steps to the scheduler."""
    return candidate.orchestrator.scheduler.schedule(plan(goal, memory))
