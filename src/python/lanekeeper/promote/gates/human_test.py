from __future__ import annotations

from lanekeeper.promote.gate import Status
from lanekeeper.promote.gates.human import ethics_gate, signoff_gate
from lanekeeper.promote.gates.promote_md_test import PROMOTE_MD
from lanekeeper.promote.signoff import SignOff, parse_signoff


def test_signoffs_are_recorded_never_given() -> None:
    from_md = parse_signoff(None, [], PROMOTE_MD, "m/PROMOTE.md")
    assert from_md == SignOff("@ann", ("@bo", "@cy (security)"), "m/PROMOTE.md")
    assert signoff_gate(from_md).status is Status.NEEDS_HUMAN
    cli = parse_signoff("@zed", ["@q"], PROMOTE_MD, "m/PROMOTE.md")
    gate = signoff_gate(cli)
    assert gate.status is Status.NEEDS_HUMAN
    assert "1 reviewer named, 2 needed" in gate.summary
    assert "no security reviewer named" in gate.summary


def test_ethics_gate() -> None:
    assert ethics_gate("src/candidate/mod", ["ethics"], "E.md", False).status is Status.SKIP
    assert ethics_gate("src/candidate/ethics/x", ["ethics"], "E.md", False).status is Status.FAIL
    assert ethics_gate("src/candidate/ethics", ["ethics"], "E.md", True).status is (
        Status.NEEDS_HUMAN
    )
