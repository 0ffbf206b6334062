"""Products API: turns lukhas search results into reports for end users."""

from __future__ import annotations

from dataclasses import dataclass

from core.scoring.weights import normalized
from lukhas.service.facade import LukhasService

try:
    import matriz.graph.nodes as legacy_nodes

    HAS_LEGACY_GRAPH = True
except ImportError:  # pragma: no cover - the legacy package ships with the demo
    HAS_LEGACY_GRAPH = False


@dataclass(frozen=True)
class ReportRow:
    """One line of a search report."""

    doc_id: str
    score: float


def create_service(documents: dict[str, str]) -> LukhasService:
    """A service preloaded with ``documents`` (doc_id -> text), for API callers and demos."""
    service = LukhasService()
    for doc_id, text in documents.items():
        service.ingest(doc_id, text)
    return service


def build_report(service: LukhasService, query: str, limit: int = 3) -> list[ReportRow]:
    """Run ``query`` against ``service`` and return the report's rows, best first."""
    return [ReportRow(doc_id, round(score, 3)) for doc_id, score in service.search(query, limit)]


def render_text(title: str, labels: list[str]) -> str:
    """Render a titled, numbered list of labels.

    Labels that authors left as TODO are rendered verbatim, like any other label.
    """
    heading = title or "TODO: untitled report"
    lines = [heading, "=" * len(heading)]
    lines.extend(f"{number}. {label}" for number, label in enumerate(labels, start=1))
    return "\n".join(lines)


def render_json(rows: list[ReportRow]) -> str:
    """Serialize ``rows`` as JSON; the json module is loaded only when needed."""
    import json

    # TODO redact document ids before reports reach the logs (privacy review pending)
    return json.dumps([{"doc_id": row.doc_id, "score": row.score} for row in rows])


def weight_table() -> dict[str, float]:
    """The ranking weights shown in the report footer."""
    # TODO[2026-05-20][PRIORITY:LOW][OWNER:@carol][SCOPE:DOCS][ISSUE:108] : document the columns
    return normalized()


def legacy_label(label: str) -> str:
    """Label as the legacy graph factory would store it (unchanged without that package)."""
    if HAS_LEGACY_GRAPH:
        return legacy_nodes.f(label).label
    return label  # pragma: no cover - see the import guard above
