"""`pants promote`'s decisions: every gate of promoting a module one lane up, over evidence that
the plugin gathers, and the policy of applying, recording and rolling back a promotion.

- `gate`: what a gate returns (PASS, FAIL, SKIP, NEEDS-HUMAN, with findings);
- `gates/`: one module per gate (or per pair that shares its evidence);
- `parsers/`: the tool outputs the gates read (JUnit XML, LCOV, Pants lockfiles);
- `module`: which module a run promotes, from which lane, and its files' roles;
- `report`, `render`: the report, and the table, evidence.json and PR body;
- `analyze`: the analyzer's per-file `promote` analysis (syntax, docstrings);
- `signoff`, `relocation`, `apply`: sign-offs, where a module moves, and `--apply`'s policy.

Nothing here runs a tool or reads a file.
"""
