"""Evaluate a promotion: every gate, the report, and the evidence bundle to write.

Each group of gates is a member of the `PromoteGatesRequest` union (`gates/`), so this rule
runs whichever gates the enabled backends register. The gates judged from the module folder's
own files (PROMOTE.md, the ethics assessment, the sign-offs) and the lane progression are
judged here. Nothing is written: the goal writes `written` under `out` (evidence.json with the
common JSON report part, promote.sarif, PR_BODY.md and the gates' artifacts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Optional

from pants.core.util_rules.distdir import DistDir
from pants.engine.addresses import Address
from pants.engine.fs import (
    AddPrefix,
    CreateDigest,
    Digest,
    DigestContents,
    FileContent,
    MergeDigests,
    PathGlobs,
    Snapshot,
)
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.unions import UnionMembership
from pants.source.source_root import SourceRoot, SourceRootRequest
from pants.util.logging import LogLevel

from lanekeeper.findings.convert import from_promotion
from lanekeeper.findings.report import machine_output, sarif_path
from lanekeeper.promote.gates.graph import lane_progression_gate
from lanekeeper.promote.gates.human import ethics_gate, signoff_gate
from lanekeeper.promote.gates.promote_md import promote_md_gate
from lanekeeper.promote.module import Promotion, dotted_name
from lanekeeper.promote.render import evidence_json, pr_body
from lanekeeper.promote.report import PromotionReport, ordered
from lanekeeper.promote.signoff import SignOff, from_promote_md
from lanekeeper_pants import lane_model as lane_model_rules
from lanekeeper_pants.lane_model import LaneModel
from lanekeeper_pants.promote.gates.request import PromoteGates, PromoteGatesRequest
from lanekeeper_pants.promote.subsystem import PromoteSubsystem


@dataclass(frozen=True)
class EvaluatePromotionRequest:
    promotion: Promotion
    addresses: tuple[Address, ...]  # the module's Python targets
    files: tuple[str, ...]  # their files
    signoff: Optional[SignOff]  # from `--owner`/`--reviewers`; None: read PROMOTE.md


@dataclass(frozen=True)
class PromotionEvaluation:
    report: PromotionReport
    signoff: SignOff
    evidence: bytes  # evidence.json, as written (the audit record holds its sha256)
    written: Digest  # evidence.json, PR_BODY.md and artifacts/, under `out`
    out: str  # the module's folder under `dist/promote/`
    source_root: str


@rule(desc="Evaluate the gates of a promotion", level=LogLevel.DEBUG)
async def evaluate_promotion(
    request: EvaluatePromotionRequest,
    subsystem: PromoteSubsystem,
    lane_model: LaneModel,
    dist_dir: DistDir,
    union_membership: UnionMembership,
) -> PromotionEvaluation:
    config = lane_model.config
    assert config is not None  # the goal checked it
    promotion = request.promotion
    module = promotion.module
    results = await MultiGet(
        Get(PromoteGates, PromoteGatesRequest, member(module, promotion.target, request.addresses))
        for member in union_membership.get(PromoteGatesRequest)
    )
    promote_md_path = f"{module}/PROMOTE.md"
    package = f"{module}/__init__.py"
    ethics_path = f"{module}/{subsystem.ethics_assessment}"
    promote_md, ethics, root = await MultiGet(
        Get(DigestContents, PathGlobs([promote_md_path])),
        Get(DigestContents, PathGlobs([ethics_path])),
        Get(SourceRoot, SourceRootRequest, SourceRootRequest.for_file(request.files[0])),
    )
    promote_text = promote_md[0].content.decode() if promote_md else None
    signoff = request.signoff or from_promote_md(promote_text, promote_md_path)
    gates = [
        lane_progression_gate(config, module, promotion.source, promotion.target),
        *(gate for result in results for gate in result.gates),
        promote_md_gate(
            promote_md_path, promote_text, package if package in request.files else None
        ),
        ethics_gate(module, subsystem.sensitive_paths, ethics_path, bool(ethics)),
        signoff_gate(signoff),
    ]

    out = dist_dir.relpath / "promote" / dotted_name(module, root.path)
    artifact_digest = await Get(Digest, MergeDigests(result.artifacts for result in results))
    artifact_snapshot = await Get(Snapshot, Digest, artifact_digest)
    report = PromotionReport(
        module,
        promotion.source,
        promotion.target,
        ordered(gates),
        tuple(str(out / path) for path in artifact_snapshot.files),
    )
    machine = machine_output(
        PurePath(), "promote", from_promotion(report), evidence_json(report), "evidence.json"
    )
    evidence = machine[PurePath("evidence.json")].encode()
    reports = await Get(
        Digest,
        CreateDigest(
            [
                FileContent("evidence.json", evidence),
                FileContent("promote.sarif", machine[sarif_path(PurePath(), "promote")].encode()),
                FileContent("PR_BODY.md", pr_body(report).encode()),
            ]
        ),
    )
    everything = await Get(Digest, MergeDigests([reports, artifact_digest]))
    written = await Get(Digest, AddPrefix(everything, str(out)))
    return PromotionEvaluation(report, signoff, evidence, written, str(out), root.path)


def rules():
    return [*collect_rules(), *lane_model_rules.rules()]
