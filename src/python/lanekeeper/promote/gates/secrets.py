"""The secrets gate: detect-secrets' scan of the module folder, minus the known false positives
of the repo's detect-secrets baseline."""

from __future__ import annotations

import json
from typing import Optional

from lanekeeper.promote.gate import Finding, GateResult, Status, judged


def secrets_gate(scan_json: str, baseline_json: Optional[str], baseline: str) -> GateResult:
    """detect-secrets `scan` output, minus what the baseline records as known false positives."""
    known: set[tuple[str, str]] = set()
    if baseline_json:
        for path, secrets in json.loads(baseline_json).get("results", {}).items():
            known.update((path, s["hashed_secret"]) for s in secrets)
    by_line: dict[tuple[str, int], list[str]] = {}
    allowed = 0
    for path, secrets in json.loads(scan_json).get("results", {}).items():
        for secret in secrets:
            if (path, secret["hashed_secret"]) in known:
                allowed += 1
                continue
            types = by_line.setdefault((path, secret["line_number"]), [])
            if secret["type"] not in types:
                types.append(secret["type"])
    findings = [Finding(path, line, ", ".join(types)) for (path, line), types in by_line.items()]
    return judged(
        "secrets",
        findings,
        f"no secrets ({allowed} known false positives in {baseline})",
        "{n} possible secrets",
        {"baseline": baseline, "baseline_found": baseline_json is not None},
    )


def scan_failed(stderr: str, exit_code: int) -> GateResult:
    """detect-secrets exited with an error: nothing was scanned, so the gate FAILs."""
    lines = stderr.strip().splitlines()
    return GateResult(
        "secrets", Status.FAIL, f"could not scan: {lines[-1] if lines else exit_code}"
    )
