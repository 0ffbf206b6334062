"""The supply-chain gate's evidence: the third-party requirements in the module's closure per
resolve, their locked pins, and pip-audit's report on them from an OSV service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from pants.backend.python.subsystems.setup import PythonSetup
from pants.backend.python.target_types import (
    PythonRequirementResolveField,
    PythonRequirementsField,
)
from pants.backend.python.util_rules.pex import Pex, PexProcess, PexRequest
from pants.base.exceptions import EngineError
from pants.engine.addresses import Addresses
from pants.engine.fs import CreateDigest, Digest, DigestContents, FileContent
from pants.engine.process import Process
from pants.engine.rules import Get, MultiGet, _uncacheable_rule, collect_rules, rule
from pants.engine.target import Targets, TransitiveTargets, TransitiveTargetsRequest
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel
from pants.util.strutil import pluralize

from lanekeeper.promote.gate import GateResult, engine_failure
from lanekeeper.promote.gates.supply_chain import (
    audit_error,
    audit_requirements_txt,
    merged,
    no_requirements_gate,
    pins_from_lockfile,
    supply_chain_gate,
)
from lanekeeper.promote.parsers.lockfile import parse_lockfile
from lanekeeper_pants.goal_support import read_build_root_file
from lanekeeper_pants.lanes.edges import RepoImports, RepoImportsRequest
from lanekeeper_pants.promote.gates import answered
from lanekeeper_pants.promote.gates.answered import AnsweredProcess, ToolAnswer
from lanekeeper_pants.promote.gates.request import (
    PromoteGates,
    PromoteGatesRequest,
    artifact,
    pants_cannot_read,
    python_files,
)
from lanekeeper_pants.promote.gates.scanners import PipAuditTool
from lanekeeper_pants.promote.subsystem import PromoteSubsystem


class SupplyChainGatesRequest(PromoteGatesRequest):
    pass


@dataclass(frozen=True)
class AuditDayRequest:
    pass


@dataclass(frozen=True)
class AuditDay:
    """Today's UTC date. Advisories change daily: pip-audit's answer for a set of pins is reused
    for the rest of the day (it is in the process's environment, so in its cache key)."""

    iso: str


@_uncacheable_rule
async def audit_day(request: AuditDayRequest) -> AuditDay:
    # Uncacheable: a pantsd that lives past midnight asks the service again; within a day the
    # value is equal, so the rules that use it are not re-run.
    return AuditDay(datetime.now(timezone.utc).date().isoformat())


@rule(desc="Audit the module's locked requirements", level=LogLevel.DEBUG)
async def supply_chain_gates(
    request: SupplyChainGatesRequest,
    subsystem: PromoteSubsystem,
    python_setup: PythonSetup,
    tool: PipAuditTool,
) -> PromoteGates:
    targets, repo = await MultiGet(
        Get(Targets, Addresses(request.addresses)), Get(RepoImports, RepoImportsRequest())
    )
    cannot = pants_cannot_read("supply-chain", repo, python_files(targets))
    if cannot is not None:
        return PromoteGates((cannot,))
    try:
        transitive = await Get(TransitiveTargets, TransitiveTargetsRequest(request.addresses))
    except EngineError as e:
        return PromoteGates((engine_failure("supply-chain", str(e)),))
    by_resolve: dict[str, list[str]] = {}
    for target in transitive.closure:
        if target.has_field(PythonRequirementsField):
            resolve = target[PythonRequirementResolveField].normalized_value(python_setup)
            by_resolve.setdefault(resolve, []).extend(
                str(req) for req in target[PythonRequirementsField].value
            )
    if not by_resolve:
        return PromoteGates((no_requirements_gate(subsystem.osv_url),))
    gates: list[GateResult] = []
    artifacts = []
    for resolve, requirements in sorted(by_resolve.items()):
        lockfile = python_setup.resolves.get(resolve, "")
        text = await read_build_root_file(lockfile) if lockfile else None
        pins = pins_from_lockfile(requirements, parse_lockfile(text) if text is not None else None)
        audit_json: Optional[str] = None
        error: Optional[str] = None
        if pins.pins:
            pip_audit = await Get(Pex, PexRequest, tool.to_pex_request())
            digest = await artifact("requirements.txt", audit_requirements_txt(pins))
            day = await Get(AuditDay, AuditDayRequest())
            process = await Get(
                Process,
                PexProcess(
                    pip_audit,
                    argv=(
                        "-r",
                        "requirements.txt",
                        "--no-deps",
                        "--disable-pip",
                        "-s",
                        "osv",
                        "--osv-url",
                        subsystem.osv_url,
                        "-f",
                        "json",
                        "-o",
                        "audit.json",
                        "--progress-spinner",
                        "off",
                        "--cache-dir",
                        ".pip-audit-cache",
                    ),
                    input_digest=digest,
                    output_files=("audit.json",),
                    description=f"Run pip-audit on {pluralize(len(pins.pins), 'locked pin')}.",
                    level=LogLevel.DEBUG,
                    extra_env={"LANEKEEPER_AUDIT_DAY": day.iso},
                ),
            )
            # pip-audit exits 1 when it finds a vulnerability: its report is the answer (cached
            # for the day); no report (the service did not answer) is asked again next run.
            answer = await Get(ToolAnswer, AnsweredProcess(process, report="audit.json"))
            outputs = await Get(DigestContents, Digest, answer.output_digest)
            report = {f.path: f.content.decode() for f in outputs}.get("audit.json")
            if report:
                audit_json = report
                artifacts.append(
                    FileContent(f"artifacts/pip-audit-{resolve}.json", report.encode())
                )
            else:
                error = audit_error(answer.stderr, answer.exit_code)
        gates.append(
            supply_chain_gate(pins, lockfile or resolve, audit_json, error, subsystem.osv_url)
        )
    digest = await Get(Digest, CreateDigest(artifacts))
    return PromoteGates((merged(gates),), digest)


def rules():
    return [
        *collect_rules(),
        *answered.rules(),
        *PipAuditTool.rules(),
        UnionRule(PromoteGatesRequest, SupplyChainGatesRequest),
    ]
