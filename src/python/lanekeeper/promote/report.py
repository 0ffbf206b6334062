"""A promotion's report: every gate's result, in the order the table prints them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from lanekeeper.promote.gate import GATE_TITLES, GateResult, Status


@dataclass(frozen=True)
class PromotionReport:
    module: str
    source: str
    target: str
    gates: tuple[GateResult, ...]
    artifacts: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> bool:
        return any(g.status is Status.FAIL for g in self.gates)

    def status_of(self, gate: str) -> Status:
        return next(g.status for g in self.gates if g.gate == gate)


def ordered(gates: Iterable[GateResult]) -> tuple[GateResult, ...]:
    rank = {name: number for number, name in enumerate(GATE_TITLES)}
    return tuple(sorted(gates, key=lambda g: rank.get(g.gate, len(rank))))
