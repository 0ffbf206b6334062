from __future__ import annotations

from lanekeeper.promote.gates.analysis import todo_high_gate
from lanekeeper.promote.gates.human import signoff_gate
from lanekeeper.promote.gates.promote_md import promote_md_gate
from lanekeeper.promote.render import evidence_json, pr_body, render_table
from lanekeeper.promote.report import PromotionReport, ordered
from lanekeeper.promote.signoff import SignOff


def test_report_renders_table_evidence_and_pr_body() -> None:
    gates = ordered(
        [
            signoff_gate(SignOff("@a", ("@b", "@c (security)"), "cli")),
            todo_high_gate([]),
            promote_md_gate("m/PROMOTE.md", None, "m/__init__.py"),
        ]
    )
    report = PromotionReport("m", "candidate", "core", gates, ("dist/x.xml",))
    assert report.failed
    table = render_table(report)
    assert table.splitlines()[2].split()[:2] == ["todo-high", "PASS"]
    assert "m/__init__.py:1: no m/PROMOTE.md" in table
    assert table.rstrip().endswith("NOT READY: m -> core")
    document = evidence_json(report)
    assert [g["status"] for g in document["gates"]] == ["PASS", "FAIL", "NEEDS-HUMAN"]
    assert document["gates"][2]["details"]["owner"] == "@a"
    body = pr_body(report)
    assert "- [ ] PROMOTE.md attached and complete (promote-md FAIL)" in body
    assert "- [ ] Owner sign-off (sign-off NEEDS-HUMAN)" in body
