"""What every goal's plugin needs for machine output: the `annotations` option and its printing.
The files themselves come from the core (`lanekeeper.findings.report.machine_output`)."""

from __future__ import annotations

from typing import Collection, Sequence

from pants.engine.console import Console
from pants.option.option_types import BoolOption
from pants.util.strutil import softwrap

from lanekeeper.findings.annotations import workflow_commands
from lanekeeper.findings.model import Finding


class AnnotationsOption:
    """Mixed into a goal's subsystem: `--annotations`."""

    annotations = BoolOption(
        default=False,
        help=softwrap(
            """
            Also print the findings as GitHub workflow commands (`::error file=...::...`), so
            that a GitHub Actions job shows them on the pull request: at most 50, production
            lanes first, and a notice naming the SARIF file that holds the rest.
            """
        ),
    )


def print_annotations(
    console: Console,
    enabled: bool,
    findings: Sequence[Finding],
    production_lanes: Collection[str],
    sarif_path: object,
) -> None:
    if enabled:
        for line in workflow_commands(findings, production_lanes, str(sarif_path)):
            console.print_stdout(line)
