"""Tests for the orchestrator (planner, scheduler and executor import each other)."""

import unittest

from candidate.memory_index.index import MemoryIndex
from candidate.orchestrator import executor, planner, scheduler


class OrchestratorTest(unittest.TestCase):
    def setUp(self) -> None:
        self.memory = MemoryIndex()
        self.memory.add("kitchen", "Boil water in the kitchen")

    def test_plan_tags_steps_with_memories(self) -> None:
        steps = planner.plan("boil water then rest", self.memory)
        self.assertEqual(steps, ["boil water [kitchen]", "rest"])

    def test_plan_and_run_schedules_shortest_first(self) -> None:
        done = planner.plan_and_run("boil water then rest", self.memory)
        self.assertEqual(done, ["done: rest", "done: boil water [kitchen]"])
        self.assertEqual(scheduler.schedule(["  ", "x"]), ["done: x"])

    def test_replan_matches_plan(self) -> None:
        goal = "rest then boil water"
        self.assertEqual(executor.replan(goal, self.memory), planner.plan(goal, self.memory))
