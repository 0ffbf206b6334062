"""The import-health feature: per-file analysis (E402 exceptions, runtime and legacy imports),
ruff's E402 lines, the roll-up by lane, the baseline and the reports."""
