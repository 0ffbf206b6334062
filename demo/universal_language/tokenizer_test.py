"""Tests for the shared tokenizer."""

import unittest

from universal_language.tokenizer import ngrams, normalize, overlap, tokenize


class TokenizerTest(unittest.TestCase):
    def test_normalize_strips_accents_and_case(self) -> None:
        self.assertEqual(normalize("Café ÉTÉ"), "cafe ete")

    def test_tokenize_keeps_contractions(self) -> None:
        self.assertEqual(tokenize("Don't PANIC, it's 42!"), ["don't", "panic", "it's", "42"])

    def test_tokenize_can_drop_stopwords(self) -> None:
        self.assertEqual(tokenize("The art of the deal", drop_stopwords=True), ["art", "deal"])

    def test_ngrams(self) -> None:
        self.assertEqual(ngrams(["a", "b", "c"]), [("a", "b"), ("b", "c")])
        self.assertEqual(ngrams(["a"], n=2), [])
        with self.assertRaises(ValueError):
            ngrams(["a"], n=0)

    def test_overlap(self) -> None:
        self.assertEqual(overlap("the quick fox", "A quick brown fox"), 1.0)
        self.assertEqual(overlap("quick fox", "slow fox"), 0.5)
        self.assertEqual(overlap("the", "anything"), 0.0)
