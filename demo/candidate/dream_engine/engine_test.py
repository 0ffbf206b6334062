"""Smoke test for the dream engine (only the seed helper is covered so far)."""

from candidate.dream_engine.engine import dream_seed


def test_dream_seed_is_deterministic() -> None:
    assert dream_seed("ocean") == dream_seed("ocean")
