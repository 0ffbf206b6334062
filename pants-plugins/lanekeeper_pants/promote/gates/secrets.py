"""The secrets gate's evidence: detect-secrets' scan of the module folder, and the repo's
detect-secrets baseline."""

from __future__ import annotations

from pants.backend.python.util_rules.pex import Pex, PexProcess, PexRequest
from pants.engine.fs import PathGlobs, Snapshot
from pants.engine.process import FallibleProcessResult
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

from lanekeeper.promote.gates.secrets import scan_failed, secrets_gate
from lanekeeper_pants.goal_support import read_build_root_file
from lanekeeper_pants.promote.gates.request import PromoteGates, PromoteGatesRequest, artifact
from lanekeeper_pants.promote.gates.scanners import DetectSecretsTool
from lanekeeper_pants.promote.subsystem import PromoteSubsystem


class SecretGatesRequest(PromoteGatesRequest):
    pass


@rule(desc="Scan the module for secrets", level=LogLevel.DEBUG)
async def secret_gates(
    request: SecretGatesRequest, subsystem: PromoteSubsystem, tool: DetectSecretsTool
) -> PromoteGates:
    snapshot = await Get(Snapshot, PathGlobs([f"{request.module}/**"]))
    detect_secrets = await Get(Pex, PexRequest, tool.to_pex_request())
    result = await Get(
        FallibleProcessResult,
        PexProcess(
            detect_secrets,
            argv=("scan", *snapshot.files),
            input_digest=snapshot.digest,
            description=f"Run detect-secrets on {pluralize(len(snapshot.files), 'file')}.",
            level=LogLevel.DEBUG,
        ),
    )
    baseline = await read_build_root_file(subsystem.secrets_baseline)
    if result.exit_code != 0:
        return PromoteGates(
            (scan_failed(result.stderr.decode(errors="replace"), result.exit_code),)
        )
    scan = result.stdout.decode()
    artifacts = await artifact("artifacts/detect-secrets.json", scan)
    return PromoteGates((secrets_gate(scan, baseline, subsystem.secrets_baseline),), artifacts)


def rules():
    return [
        *collect_rules(),
        *DetectSecretsTool.rules(),
        UnionRule(PromoteGatesRequest, SecretGatesRequest),
    ]
