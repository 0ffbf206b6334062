"""Pants backends that keep a monorepo's code in its lane: glue from the core to the engine."""
