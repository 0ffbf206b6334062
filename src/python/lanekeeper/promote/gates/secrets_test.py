from __future__ import annotations

import json

from lanekeeper.promote.gate import Status
from lanekeeper.promote.gates.secrets import scan_failed, secrets_gate


def test_secrets_gate_honours_the_baseline_and_groups_by_line() -> None:
    scan = {
        "results": {
            "m/a.py": [
                {"type": "AWS Access Key", "hashed_secret": "h1", "line_number": 3},
                {"type": "Secret Keyword", "hashed_secret": "h2", "line_number": 3},
                {"type": "Secret Keyword", "hashed_secret": "h3", "line_number": 9},
            ]
        }
    }
    gate = secrets_gate(json.dumps(scan), None, ".secrets.baseline")
    assert [(f.line, f.message) for f in gate.findings] == [
        (3, "AWS Access Key, Secret Keyword"),
        (9, "Secret Keyword"),
    ]
    baseline = {"results": {"m/a.py": [{"hashed_secret": "h3"}]}}
    partial = secrets_gate(json.dumps(scan), json.dumps(baseline), ".secrets.baseline")
    assert [f.line for f in partial.findings] == [3]
    assert secrets_gate('{"results": {}}', None, "b").status is Status.PASS


def test_a_scan_that_fails_fails_the_gate() -> None:
    gate = scan_failed("Traceback ...\nValueError: bad file\n", 1)
    assert (gate.status, gate.summary) == (Status.FAIL, "could not scan: ValueError: bad file")
    assert scan_failed("", 3).summary == "could not scan: 3"
