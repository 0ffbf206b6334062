"""A small, dependency-free tokenizer shared by every lane."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOPWORDS: frozenset[str] = frozenset({"a", "an", "and", "in", "is", "of", "the", "to"})


def normalize(text: str) -> str:
    """Case-fold ``text`` and strip accents, so that "Café" and "cafe" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def tokenize(text: str, *, drop_stopwords: bool = False) -> list[str]:
    """Split ``text`` into normalized word tokens, optionally without stopwords."""
    tokens: list[str] = _TOKEN_RE.findall(normalize(text))
    if drop_stopwords:
        return [token for token in tokens if token not in STOPWORDS]
    return tokens


def ngrams(tokens: Sequence[str], n: int = 2) -> list[tuple[str, ...]]:
    """Return the contiguous ``n``-grams of ``tokens`` (empty if there are too few)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def overlap(query: str, text: str) -> float:
    """Share of the query's content words that occur in ``text`` (0.0 to 1.0)."""
    wanted = set(tokenize(query, drop_stopwords=True))
    if not wanted:
        return 0.0
    return len(wanted & set(tokenize(text))) / len(wanted)
