"""An in-memory inverted index over short text memories."""

from __future__ import annotations

from collections import defaultdict

from MATRIZ.graph.nodes import Node, f
from universal_language.tokenizer import tokenize


class MemoryIndex:
    """Inverted index from normalized content words to memory keys."""

    def __init__(self) -> None:
        """Create an empty index."""
        self._texts: dict[str, str] = {}
        self._postings: defaultdict[str, set[str]] = defaultdict(set)

    def __len__(self) -> int:
        """Return the number of stored memories."""
        return len(self._texts)

    def __contains__(self, key: object) -> bool:
        """Return whether a memory is stored under ``key``."""
        return key in self._texts

    def add(self, key: str, text: str) -> None:
        """Store ``text`` under ``key``, replacing any earlier text for that key."""
        if not key:
            raise ValueError("key must not be empty")
        if key in self._texts:
            self.remove(key)
        self._texts[key] = text
        for token in set(tokenize(text, drop_stopwords=True)):
            self._postings[token].add(key)

    def remove(self, key: str) -> None:
        """Forget the memory stored under ``key``; an unknown key raises ``KeyError``."""
        text = self._texts.pop(key)
        for token in set(tokenize(text, drop_stopwords=True)):
            keys = self._postings[token]
            keys.discard(key)
            if not keys:
                del self._postings[token]

    def get(self, key: str) -> str | None:
        """Return the text stored under ``key``, or ``None``."""
        return self._texts.get(key)

    def search(self, query: str, limit: int = 5) -> list[str]:
        """Keys of the memories that share the most words with ``query``, best first."""
        if limit < 1:
            return []
        counts: dict[str, int] = {}
        for token in set(tokenize(query, drop_stopwords=True)):
            for key in self._postings.get(token, set()):
                counts[key] = counts.get(key, 0) + 1
        ranked = sorted(counts, key=lambda key: (-counts[key], key))
        return ranked[:limit]

    def as_nodes(self) -> list[Node]:
        """One graph node per memory, weighted by its number of distinct words."""
        return [
            f(key, weight=float(len(set(tokenize(text)))))
            for key, text in sorted(self._texts.items())
        ]
