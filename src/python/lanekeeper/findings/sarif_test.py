from __future__ import annotations

import json
from pathlib import PurePath

from lanekeeper.findings.annotations import workflow_commands
from lanekeeper.findings.model import (
    ERROR,
    EXTERNAL,
    IN_SOURCE,
    NOTE,
    WARNING,
    Finding,
    Suppression,
)
from lanekeeper.findings.report import machine_output, report_document
from lanekeeper.findings.sarif import FINGERPRINT, sarif_log

LK001 = Finding(
    "demo/core/a.py",
    3,
    1,
    "LK001",
    "lukhas.x (lane lukhas) may not be imported from lane core; fix: move it",
    ERROR,
    "core",
    identity="lukhas.x",
    extra={"importer_lane": "core"},
)
BASELINED = Finding(
    "demo/core/b.py",
    7,
    5,
    "LK001",
    "lukhas.y (lane lukhas) may not be imported from lane core; fix: move it",
    ERROR,
    "core",
    identity="lukhas.y",
    suppression=Suppression(EXTERNAL, "recorded in the baseline lanes-baseline.json"),
)
NOQA = Finding(
    "demo/candidate/c.py",
    2,
    0,
    "E402",
    "reason: plugin path; issue ISSUE-9",
    NOTE,
    "candidate",
    suppression=Suppression(IN_SOURCE, "reason: plugin path; issue ISSUE-9"),
)
GATE = Finding("", 0, 0, "promote/sign-off", "no reviewers named", NOTE, "lukhas")


def run_of(findings: list[Finding]) -> dict:
    (run,) = sarif_log("lint", findings)["runs"]
    return run


def test_one_rule_per_code_with_help_naming_a_readme_section() -> None:
    run = run_of([LK001, BASELINED, NOQA, GATE])
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["LK001", "E402", "promote/sign-off"]
    assert rules[0]["shortDescription"] == {
        "text": "Import of a lane the file's lane may not import"
    }
    assert rules[0]["help"]["text"].startswith("The statement imports a module of a lane")
    assert rules[0]["help"]["markdown"].endswith(
        "\n\nMore in lanekeeper's README.md, section The `lanes` linter: `./pants lint ::`."
    )
    # SARIF wants helpUri absolute; a relative one would point into the user's own repo.
    assert "helpUri" not in rules[0]
    assert [r["ruleIndex"] for r in run["results"]] == [0, 0, 1, 2]
    assert run["automationDetails"] == {"id": "lanekeeper/lint/"}


def test_a_result_locates_the_file_line_and_column_or_nothing() -> None:
    lk001, _, noqa, gate = run_of([LK001, BASELINED, NOQA, GATE])["results"]
    assert lk001["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "demo/core/a.py"},
                "region": {"startLine": 3, "startColumn": 1},
            }
        }
    ]
    assert lk001["level"] == "error" and lk001["properties"] == {"lane": "core"}
    assert noqa["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    assert "locations" not in gate


def test_suppressed_results_are_kept_with_their_justification() -> None:
    lk001, baselined, noqa, _ = run_of([LK001, BASELINED, NOQA, GATE])["results"]
    assert "suppressions" not in lk001
    assert baselined["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "recorded in the baseline lanes-baseline.json",
        }
    ]
    assert noqa["suppressions"][0]["kind"] == "inSource"


def test_fingerprints_survive_line_moves_and_tell_repeats_apart() -> None:
    moved = Finding(**{**LK001.__dict__, "line": 40, "col": 5})
    other_module = Finding(**{**LK001.__dict__, "identity": "lukhas.z"})

    def prints(*findings: Finding) -> list[str]:
        return [r["partialFingerprints"][FINGERPRINT] for r in run_of(list(findings))["results"]]

    (before,) = prints(LK001)
    (after,) = prints(moved)
    assert before == after and before.endswith(":1")
    first, second = prints(LK001, moved)
    assert first.split(":")[0] == second.split(":")[0] and second.endswith(":2")
    assert prints(other_module) != [before]


def test_the_common_json_part_keeps_the_goals_own_fields() -> None:
    document = report_document(
        "lint", [LK001, BASELINED, NOQA, GATE], {"findings": "replaced", "files_analyzed": 4}
    )
    assert list(document) == ["report_version", "tool", "findings", "counts", "files_analyzed"]
    assert document["tool"] == {"name": "lanekeeper", "version": "0.1.0", "goal": "lint"}
    first = document["findings"][0]
    assert {k: v for k, v in first.items() if k != "fingerprint"} == {
        "importer_lane": "core",
        "path": "demo/core/a.py",
        "line": 3,
        "col": 1,
        "code": "LK001",
        "message": LK001.message,
        "severity": "error",
        "lane": "core",
        "suppression": None,
    }
    assert document["findings"][1]["suppression"] == {
        "kind": "external",
        "justification": "recorded in the baseline lanes-baseline.json",
    }
    assert document["counts"] == {
        "findings": 2,
        "error": 1,
        "warning": 0,
        "note": 1,
        "suppressed": 2,
        "by_code": {"LK001": 1, "promote/sign-off": 1},
    }


def test_machine_output_writes_the_report_and_the_sarif_file() -> None:
    files = machine_output(PurePath("dist/lint"), "lint", [LK001])
    assert sorted(map(str, files)) == ["dist/lint/lint.sarif", "dist/lint/report.json"]
    assert json.loads(files[PurePath("dist/lint/lint.sarif")])["version"] == "2.1.0"


def finding(path: str, lane: str, severity: str, line: int = 1) -> Finding:
    return Finding(path, line, 2, "LK001", "50%: a, b\nc", severity, lane)


def test_annotations_are_workflow_commands_with_escaped_values() -> None:
    lines = workflow_commands(
        [finding("demo/a,b.py", "core", ERROR), BASELINED, GATE], ["core"], "dist/x.sarif"
    )
    assert lines == [
        "::error file=demo/a%2Cb.py,line=1,col=2,title=LK001::50%25: a, b%0Ac",
        "::notice title=promote/sign-off::no reviewers named",
    ]


def test_over_the_limit_production_lanes_and_errors_come_first_then_where_the_rest_is() -> None:
    findings = [
        finding("demo/candidate/a.py", "candidate", ERROR),
        finding("demo/core/b.py", "core", WARNING),
        finding("demo/core/c.py", "core", ERROR),
        finding("demo/core/d.py", "core", NOTE),
    ]
    lines = workflow_commands(findings, ["core"], "dist/lint/lanes/lanes.sarif", limit=3)
    assert [line.split("::")[1] for line in lines] == [
        "error file=demo/core/c.py,line=1,col=2,title=LK001",
        "warning file=demo/core/b.py,line=1,col=2,title=LK001",
        "notice title=lanekeeper",
    ]
    assert lines[-1].endswith(
        "::2 more findings are not shown here; all 4 are in dist/lint/lanes/lanes.sarif"
    )
