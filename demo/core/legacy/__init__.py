"""Adapters for code that still uses the legacy graph library name."""
