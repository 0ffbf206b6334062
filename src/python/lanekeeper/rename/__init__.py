"""The legacy-name migration: the libcst rewrite of one file (`rewrite`, following uses through
`legacy_uses`), the diff as narrow as the rename (`narrow_rewrite`), and the migration as data:
groups, the check, the baseline and the reports (`migration`)."""
