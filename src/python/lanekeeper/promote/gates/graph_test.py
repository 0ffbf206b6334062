from __future__ import annotations

import json

from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.lanes.imports import ImportEdge
from lanekeeper.promote.gate import Status
from lanekeeper.promote.gates.graph import cycle_gate, import_rules_gate

CONFIG = LaneConfig.parse(
    order=["candidate", "core", "lukhas"],
    libraries=["lib"],
    production=["core", "lukhas"],
    paths={
        "candidate": ["src/candidate/**"],
        "core": ["src/core/**"],
        "lukhas": ["src/lukhas/**"],
        "lib": ["src/lib/**"],
    },
    allowed_imports={"candidate": ["core", "lib"], "core": ["lib"], "lukhas": ["core", "lib"]},
)


MODULE = "src/candidate/mod"


def edge(importer: str, line: int, imported: str) -> ImportEdge:
    return ImportEdge(importer, line, imported.replace("/", "."), imported)


def test_import_rules_name_the_import_that_reaches_a_forbidden_lane() -> None:
    edges = [
        edge(f"{MODULE}/a.py", 3, "src/lib/x.py"),
        edge(f"{MODULE}/a.py", 4, "src/core/c.py"),
        # core imports lukhas: reached transitively from the module.
        edge("src/core/c.py", 7, "src/lukhas/l.py"),
    ]
    gate = import_rules_gate(CONFIG, MODULE, "core", edges, [])
    assert gate.status is Status.FAIL
    assert len(gate.findings) == 1
    finding = gate.findings[0]
    assert (finding.file, finding.line) == (f"{MODULE}/a.py", 4)
    assert "src/lukhas/l.py is in lane lukhas" in finding.message
    assert "via src/core/c.py -> src/lukhas/l.py" in finding.message


def test_import_rules_list_importers_and_fail_those_that_would_break() -> None:
    ok = edge("src/lukhas/user.py", 2, f"{MODULE}/a.py")
    broken = edge("src/lib/uses.py", 5, f"{MODULE}/a.py")
    gate = import_rules_gate(CONFIG, MODULE, "core", [], [ok, broken])
    assert gate.status is Status.FAIL
    assert [(f.file, f.line) for f in gate.findings] == [("src/lib/uses.py", 5)]
    details = json.loads(gate.details)
    assert details["importers_to_rewrite"] == ["src/lib/uses.py:5", "src/lukhas/user.py:2"]
    clean = import_rules_gate(CONFIG, MODULE, "core", [], [ok])
    assert clean.status is Status.PASS


def test_cycle_through_the_module_fails_and_others_do_not() -> None:
    cycle = [
        edge(f"{MODULE}/a.py", 1, f"{MODULE}/b.py"),
        edge(f"{MODULE}/b.py", 2, f"{MODULE}/a.py"),
    ]
    elsewhere = [
        edge("src/core/x.py", 1, "src/core/y.py"),
        edge("src/core/y.py", 1, "src/core/x.py"),
    ]
    assert cycle_gate(MODULE, cycle).status is Status.FAIL
    assert cycle_gate(MODULE, cycle).findings[0].file.startswith(MODULE)
    assert cycle_gate(MODULE, elsewhere).status is Status.PASS
