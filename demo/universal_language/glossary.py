"""Glossary of ranking terms, annotated with the weights the ranker gives them."""

from __future__ import annotations

from core.scoring.weights import DEFAULT_WEIGHTS

TERMS: dict[str, str] = {
    "relevance": "how many of the query's words a document contains",
    "freshness": "how recently a document changed",
    "popularity": "how often a document was opened",
}


def describe(term: str) -> str:
    """One-line description of ``term`` with its default ranking weight."""
    key = term.strip().casefold()
    if key not in TERMS:
        raise KeyError(f"unknown term: {term!r}")
    return f"{key}: {TERMS[key]} (weight {DEFAULT_WEIGHTS.get(key, 0.0):.2f})"
