"""The lanes feature: the import graph of the repo (module index, import statements, imports),
lane violations, cycles, the listing, findings about the rules themselves, exceptions and the
baseline."""
