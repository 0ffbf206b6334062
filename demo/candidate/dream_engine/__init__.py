"""dream_engine: recombines stored memories into new "dream" sequences (experimental)."""
