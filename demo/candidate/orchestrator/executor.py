"""Executes scheduled steps and re-plans a goal when a step fails."""

from __future__ import annotations

import candidate.orchestrator.planner
from candidate.memory_index.index import MemoryIndex


def execute(step: str) -> str:
    """Execute one step (in this demo: report it as done)."""
    # TODO retry a failed step once before giving up
    return f"done: {step}"


def replan(goal: str, memory: MemoryIndex) -> list[str]:
    """Plan ``goal`` again from scratch, e.g. after a failed step."""
    return candidate.orchestrator.planner.plan(goal, memory)
