"""memory_index: an in-memory inverted index over short text memories."""
