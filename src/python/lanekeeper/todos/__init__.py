"""The TODO feature: the guide's grammar, declared formats, the audit and its ratchet, the
rewrite into the guide's format."""
