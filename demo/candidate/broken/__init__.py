"""Drafts that are not finished yet; nothing imports this package."""
