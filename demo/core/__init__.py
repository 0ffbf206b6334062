"""Production lane ``core``: scoring, configuration and legacy adapters."""
