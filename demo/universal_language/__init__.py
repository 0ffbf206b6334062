"""universal_language: text utilities shared by every lane."""
