"""Pants backends that keep a monorepo's code in its lane: glue from lanekeeper's core to the engine."""
