"""Path globs in the style of Pants and gitignore, matched against POSIX relative paths.

`**` is a whole segment matching zero or more directories, `*` matches within one segment,
`?` matches one character, and everything else is literal.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_RECURSIVE = "**"
_WILDCARD_CHARS = ("*", "?")


def _invalid(pattern: str, reason: str) -> ValueError:
    return ValueError(f"{pattern!r} is not a valid path glob: {reason}.")


def _split(pattern: str) -> tuple[str, ...]:
    """Validate `pattern` and split it into segments, with runs of `**` collapsed to one."""
    if not pattern:
        raise _invalid(
            pattern, "it is empty; give a path relative to the build root, like 'src/**'"
        )
    if pattern.startswith("/"):
        raise _invalid(
            pattern, "it is absolute; write it relative to the build root, without the leading '/'"
        )
    segments: list[str] = []
    for segment in pattern.split("/"):
        if not segment:
            raise _invalid(pattern, "it has an empty segment; remove the extra '/'")
        if segment in (".", ".."):
            raise _invalid(
                pattern, f"it has a {segment!r} segment; write the normalized path without it"
            )
        if _RECURSIVE in segment and segment != _RECURSIVE:
            raise _invalid(
                pattern,
                f"'**' must be a whole segment, not part of {segment!r}; use '*' to match within "
                "one segment, or put '**' alone between slashes, like 'demo/**/x.py'",
            )
        # `**/**` means the same as `**`; collapsing keeps the regex and overlap logic simple.
        if segment == _RECURSIVE and segments and segments[-1] == _RECURSIVE:
            continue
        segments.append(segment)
    return tuple(segments)


def _segment_regex(segment: str) -> str:
    """Translate one non-`**` segment; wildcards never cross a `/`."""
    parts = []
    for char in segment:
        if char == "*":
            parts.append("[^/]*")
        elif char == "?":
            parts.append("[^/]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _compile(segments: tuple[str, ...]) -> re.Pattern[str]:
    # Each `**` form carries its own slashes so that it can also match zero directories.
    parts: list[str] = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment == _RECURSIVE:
            if index == last:
                parts.append(".*" if index == 0 else "(?:/.*)?")
            else:
                parts.append("(?:.*/)?" if index == 0 else "/(?:.*/)?")
            continue
        if index > 0 and segments[index - 1] != _RECURSIVE:
            parts.append("/")
        parts.append(_segment_regex(segment))
    return re.compile("".join(parts), re.DOTALL)


@functools.lru_cache(maxsize=None)
def _segments_overlap(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Whether some path matches both segment lists (exact, memoized on the suffixes)."""
    if left and left[0] == _RECURSIVE:
        # `**` either matches no more segments, or swallows one of the other side's.
        return _segments_overlap(left[1:], right) or (
            bool(right) and _segments_overlap(left, right[1:])
        )
    if right and right[0] == _RECURSIVE:
        return _segments_overlap(right, left)
    if not left or not right:
        return not left and not right
    return _chars_overlap(left[0], right[0]) and _segments_overlap(left[1:], right[1:])


@functools.lru_cache(maxsize=None)
def _chars_overlap(left: str, right: str) -> bool:
    """Whether some single segment matches both segment patterns (made of `*`, `?`, literals)."""
    if left[:1] == "*":
        return _chars_overlap(left[1:], right) or (bool(right) and _chars_overlap(left, right[1:]))
    if right[:1] == "*":
        return _chars_overlap(right, left)
    if not left or not right:
        return not left and not right
    heads_agree = left[0] == right[0] or "?" in (left[0], right[0])
    return heads_agree and _chars_overlap(left[1:], right[1:])


@dataclass(frozen=True)
class PathGlob:
    """A validated path glob; equal and hashable by its pattern text."""

    pattern: str
    # Derived once in __post_init__; excluded from eq/hash so the glob is its pattern.
    segments: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        segments = _split(self.pattern)
        # The dataclass is frozen, so derived fields are set the way dataclasses do it.
        object.__setattr__(self, "segments", segments)
        object.__setattr__(self, "_regex", _compile(segments))

    @classmethod
    def parse(cls, pattern: str) -> PathGlob:
        """Parse `pattern`, raising ValueError (with the fix) if it is not a valid glob."""
        return cls(pattern)

    def matches(self, path: str) -> bool:
        """Whether the normalized POSIX path relative to the build root matches this glob.

        A trailing `/**` also matches the directory itself: `demo/**` matches `demo`.
        """
        return self._regex.fullmatch(path) is not None

    @property
    def literal_prefix(self) -> str:
        """The leading segments before the first wildcard, joined by `/` (may be empty).

        Every matching path is this prefix or lies below it, so it can narrow a search;
        for a glob without wildcards it is the whole pattern.
        """
        literal: list[str] = []
        for segment in self.segments:
            if any(char in segment for char in _WILDCARD_CHARS):
                break
            literal.append(segment)
        return "/".join(literal)

    def sample_path(self) -> str:
        """A concrete path this glob matches: `**` dropped, `*` and `?` replaced by `x`."""
        concrete = [
            segment.replace("*", "x").replace("?", "x")
            for segment in self.segments
            if segment != _RECURSIVE
        ]
        # A bare `**` leaves no segment, but it matches any path, so name one.
        return "/".join(concrete) or "x"

    def overlaps(self, other: PathGlob) -> bool:
        """Whether some path matches both globs.

        Exact, unlike testing each glob's sample_path() against the other: it also catches
        `**/*.py` against `demo/core/**`, which share `demo/core/a.py` but no sample.
        """
        return _segments_overlap(self.segments, other.segments)
