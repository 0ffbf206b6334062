from __future__ import annotations

from lanekeeper.promote.gate import Status
from lanekeeper.promote.gates.promote_md import promote_md_gate

PROMOTE_MD = """# Promote

Owner: @ann
Reviewers: @bo, @cy (security)

## Why
x
## Acceptance criteria
y
## Risks
z
"""


def test_promote_md_gate() -> None:
    assert promote_md_gate("m/PROMOTE.md", PROMOTE_MD).status is Status.PASS
    missing = promote_md_gate("m/PROMOTE.md", None, "m/__init__.py")
    assert (missing.findings[0].file, missing.findings[0].line) == ("m/__init__.py", 1)
    partial = promote_md_gate("m/PROMOTE.md", "## Why\n")
    assert [f.message for f in partial.findings] == [
        "no `## Acceptance criteria` section",
        "no `## Risks` section",
    ]
