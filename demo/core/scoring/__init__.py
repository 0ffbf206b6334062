"""Scoring and ranking helpers."""
