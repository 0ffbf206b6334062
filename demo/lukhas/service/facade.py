"""Service facade that the products lane talks to."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.scoring import rank
from MATRIZ.graph.nodes import Node, f
from universal_language.tokenizer import overlap, tokenize


@dataclass
class LukhasService:
    """In-memory document service over core ranking and the MATRIZ graph."""

    documents: dict[str, str] = field(default_factory=dict)

    def ingest(self, doc_id: str, text: str) -> Node:
        """Store ``text`` under ``doc_id`` and return its graph node (weight = word count)."""
        if not doc_id:
            raise ValueError("doc_id must not be empty")
        self.documents[doc_id] = text
        return f(doc_id, weight=float(len(tokenize(text))))

    def search(self, query: str, limit: int = 3) -> list[tuple[str, float]]:
        """Up to ``limit`` pairs of (doc_id, relevance), best first; ties keep ingest order."""
        # TODO[2026-04-15][PRIORITY:MED][OWNER:@bob][SCOPE:PROD] : cache tokenized documents
        doc_ids = list(self.documents)
        features = [{"relevance": overlap(query, self.documents[doc_id])} for doc_id in doc_ids]
        hits = [
            (doc_ids[index], features[index]["relevance"])
            for index in rank.rank_items(features)
            if features[index]["relevance"] > 0
        ]
        return hits[:limit]

    def health(self) -> dict[str, object]:
        """Liveness summary for monitoring."""
        return {"status": "ok", "documents": len(self.documents)}
