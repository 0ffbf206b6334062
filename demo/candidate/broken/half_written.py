"""Draft of a replay buffer for the dream engine (half written: it does not parse yet)."""


def replay(buffer: list[str], steps: int) -> list[str]:
    if steps <= 0 return []
    return buffer[-steps:]
