"""The supply-chain gate: the third-party requirements in the module's closure, at their exact
locked versions (and what they depend on), checked by pip-audit against an OSV service."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence

from lanekeeper.promote.gate import Finding, GateResult, Status, details, judged
from lanekeeper.promote.parsers.lockfile import requirement_name


@dataclass(frozen=True)
class LockedPins:
    pins: tuple[tuple[str, str], ...]  # (name, version), the closure to audit
    unlocked: tuple[str, ...]  # requirements with no locked version


def pins_from_lockfile(
    requirements: Iterable[str], locked: Optional[Mapping[str, tuple[str, tuple[str, ...]]]]
) -> LockedPins:
    """The exact locked versions of `requirements` and everything they depend on."""
    names = sorted({requirement_name(r) for r in requirements})
    if locked is None:
        return LockedPins((), tuple(names))
    unlocked = [name for name in names if name not in locked]
    todo = [name for name in names if name in locked]
    seen = set(todo)
    while todo:
        name = todo.pop()
        for dep in locked[name][1]:
            if dep in locked and dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return LockedPins(tuple((name, locked[name][0]) for name in sorted(seen)), tuple(unlocked))


def audit_requirements_txt(pins: LockedPins) -> str:
    return "".join(f"{name}=={version}\n" for name, version in pins.pins)


def no_requirements_gate(osv_url: str) -> GateResult:
    """The gate of a module whose closure holds no third-party requirement."""
    return supply_chain_gate(LockedPins((), ()), "-", None, None, osv_url)


def audit_error(stderr: str, exit_code: int) -> str:
    """Why pip-audit wrote no report: its last line on stderr, or its exit code."""
    lines = stderr.strip().splitlines()
    return lines[-1] if lines else f"pip-audit exited {exit_code}"


def supply_chain_gate(
    pins: LockedPins,
    lockfile: str,
    audit_json: Optional[str],
    audit_error: Optional[str],
    osv_url: str,
) -> GateResult:
    """`audit_json` is pip-audit's `-f json` output; `audit_error` says why there is none."""
    data = {
        "lockfile": lockfile,
        "pins": [f"{n}=={v}" for n, v in pins.pins],
        "osv_url": osv_url,
    }
    findings = [
        Finding(lockfile, 0, f"{name} is not locked: pin it in the resolve's lockfile")
        for name in pins.unlocked
    ]
    if not pins.pins and not pins.unlocked:
        return GateResult(
            "supply-chain",
            Status.PASS,
            "no third-party requirements in the module's transitive closure",
            (),
            details(data),
        )
    if audit_json is None and pins.pins:
        if findings:
            return judged("supply-chain", findings, "", "{n} unpinned requirements", data)
        reason = audit_error or "pip-audit produced no report"
        return GateResult(
            "supply-chain",
            Status.FAIL,
            f"could not check {len(pins.pins)} pins against {osv_url}: {reason}",
            (Finding(lockfile, 0, f"could not check: {reason}"),),
            details(data),
        )
    vulnerable = []
    if audit_json is not None:
        for dep in json.loads(audit_json).get("dependencies", ()):
            for vuln in dep.get("vulns", ()):
                fixes = ", ".join(vuln.get("fix_versions", ())) or "no fixed version"
                vulnerable.append(
                    Finding(
                        lockfile,
                        0,
                        f"{dep['name']}=={dep.get('version')} has {vuln['id']} (fixed in {fixes})",
                    )
                )
    return judged(
        "supply-chain",
        [*findings, *vulnerable],
        f"{len(pins.pins)} locked pins, no known vulnerability at {osv_url}",
        "{n} supply-chain findings",
        data,
    )


def merged(gates: Sequence[GateResult]) -> GateResult:
    """One gate for the module's requirements of several resolves (one gate each): FAIL if any
    fails, with every summary and finding."""
    if len(gates) == 1:
        return gates[0]
    status = Status.FAIL if any(g.status is Status.FAIL for g in gates) else Status.PASS
    return GateResult(
        "supply-chain",
        status,
        "; ".join(g.summary for g in gates),
        tuple(f for g in gates for f in g.findings),
    )
