"""Export lukhas search results through the products report renderer."""

from __future__ import annotations

from matriz import *
from products.report import render_text

from lukhas.service.facade import LukhasService


def export_search(service: LukhasService, query: str) -> str:
    """Render the hits of ``query`` as a text report, heaviest node first."""
    # TODO[2026-02-20][PRIORITY:LOW][OWNER:bob][SCOPE:PROD][ISSUE:44] : paginate the export
    nodes = [f(doc_id, weight=score) for doc_id, score in service.search(query)]
    return render_text(f"results for {query!r}", y(nodes))
