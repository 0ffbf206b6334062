"""Production lane ``lukhas``: services built on core."""
