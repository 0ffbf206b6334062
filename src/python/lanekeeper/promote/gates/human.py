"""The human gates: the sign-off (owner and reviewers) and, for a sensitive module, the ethics
assessment. Automation records who must sign off; it never signs."""

from __future__ import annotations

from typing import Optional, Sequence

from lanekeeper.promote.gate import Finding, GateResult, Status, details, skip
from lanekeeper.promote.signoff import SignOff, signoff_problems


def signoff_gate(signoff: SignOff) -> GateResult:
    """Never PASS: automation records who must sign off, it never signs."""
    problems = signoff_problems(signoff)
    names = f"owner {signoff.owner or '-'}, reviewers {', '.join(signoff.reviewers) or '-'}"
    summary = f"{names} (from {signoff.source}): sign-offs pending"
    if problems:
        summary = f"{'; '.join(problems)} ({signoff.source}); name them with --owner/--reviewers"
    return GateResult(
        "sign-off",
        Status.NEEDS_HUMAN,
        summary,
        (),
        details({"owner": signoff.owner, "reviewers": list(signoff.reviewers)}),
    )


def is_sensitive(module: str, sensitive: Sequence[str]) -> Optional[str]:
    """The `[promote].sensitive_paths` name that a directory of `module` matches, or None."""
    segments = [s.lower() for s in module.split("/")]
    for name in sensitive:
        if name.lower() in segments:
            return name
    return None


def ethics_gate(
    module: str, sensitive: Sequence[str], assessment: str, present: bool
) -> GateResult:
    match = is_sensitive(module, sensitive)
    if match is None:
        return skip("ethics", f"not under `[promote].sensitive_paths` ({', '.join(sensitive)})")
    if not present:
        return GateResult(
            "ethics",
            Status.FAIL,
            f"{module} is sensitive ({match}) and has no ethics assessment",
            (Finding(assessment, 0, "missing: write the ethics assessment"),),
        )
    return GateResult(
        "ethics", Status.NEEDS_HUMAN, f"{assessment} present: the ethics reviewer must sign it"
    )
