"""The `[lanes]` policy: which lane owns a path, what each lane may import, how code is promoted.

Lanes in `order` are promoted one at a time (`candidate` -> `core` -> ...). Libraries sit beside
them: importable where allowed, never promoted. A lane may always import itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from lanekeeper.kernel.globs import PathGlob


class LaneConfigError(ValueError):
    """A `[lanes]` option is invalid, or a query named a lane that does not exist.

    The message is one line: the option, what is wrong with which lane or path, and the fix.
    """


def _quoted(names: Sequence[str]) -> str:
    """`'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`."""
    quoted = [repr(name) for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _kind(name: str, libraries: Sequence[str]) -> str:
    """How messages call `name`: a "library" or a "lane"."""
    return "library" if name in libraries else "lane"


def _not_a_lane(known: Sequence[str]) -> str:
    return (
        f"not a lane or library (known: {', '.join(known)}); "
        "fix the name or add it to `[lanes].order` or `[lanes].libraries`."
    )


def _unknown(name: str, known: Sequence[str]) -> str:
    return f"{name!r} is {_not_a_lane(known)}"


def _names(option: str, value: Sequence[str], noun: str) -> tuple[str, ...]:
    # A bare string is a Sequence[str] too; iterating it would yield single letters.
    if isinstance(value, str):
        raise LaneConfigError(
            f"`[lanes].{option}`: expected a list of {noun}s, got the string {value!r}; "
            f"write [{value!r}]."
        )
    return tuple(value)


@dataclass(frozen=True)
class LaneConfig:
    """A validated `[lanes]` section. Build it with `LaneConfig.parse`.

    `paths` and `allowed_imports` have one entry per lane and library, in declared order
    (lanes of `order`, then libraries). `allowed_imports` never lists the lane itself: that
    is always allowed. `warnings` holds non-fatal problems, one line each.
    """

    order: tuple[str, ...]
    libraries: tuple[str, ...]
    paths: tuple[tuple[str, tuple[PathGlob, ...]], ...]
    allowed_imports: tuple[tuple[str, tuple[str, ...]], ...]
    production: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls,
        *,
        order: Sequence[str],
        libraries: Sequence[str],
        paths: Mapping[str, Sequence[str]],
        allowed_imports: Mapping[str, Sequence[str]],
        production: Sequence[str],
    ) -> LaneConfig:
        """Validate the raw option values, raising LaneConfigError on the first fatal problem."""
        warnings: list[str] = []
        lane_order = _names("order", order, "lane name")
        library_names = _names("libraries", libraries, "library name")
        _check_names(lane_order, library_names)
        known = lane_order + library_names
        for option, mapping in (("paths", paths), ("allowed_imports", allowed_imports)):
            for name in mapping:
                if name not in known:
                    raise LaneConfigError(f"`[lanes].{option}`: {_unknown(name, known)}")
        return cls(
            order=lane_order,
            libraries=library_names,
            paths=_parse_paths(paths, lane_order, library_names, warnings),
            allowed_imports=_parse_allowed(allowed_imports, known, library_names, warnings),
            production=_parse_production(production, lane_order, library_names, warnings),
            warnings=tuple(warnings),
        )

    @property
    def lanes(self) -> tuple[str, ...]:
        """Every lane name: the lanes of `order`, then the libraries."""
        return self.order + self.libraries

    def lane_of(self, path: str) -> Optional[str]:
        """The lane owning the POSIX path relative to the build root, or None if unlaned.

        Raises LaneConfigError if two lanes match, which `parse` rules out for its own output.
        """
        owner: Optional[tuple[str, PathGlob]] = None
        for lane, globs in self.paths:
            for glob in globs:
                if not glob.matches(path):
                    continue
                if owner is not None and owner[0] != lane:
                    raise LaneConfigError(
                        f"`[lanes].paths`: {path!r} matches {owner[1].pattern!r} "
                        f"({self._kind(owner[0])} {owner[0]!r}) and {glob.pattern!r} "
                        f"({self._kind(lane)} {lane!r}): a path must belong to one lane; "
                        f"make the globs disjoint."
                    )
                owner = (lane, glob)
        return None if owner is None else owner[0]

    def is_library(self, lane: str) -> bool:
        """Whether `lane` is a library. Raises LaneConfigError for an unknown name."""
        self._require(lane)
        return lane in self.libraries

    def is_production(self, lane: str) -> bool:
        """Whether `lane` is a production lane. Raises LaneConfigError for an unknown name."""
        self._require(lane)
        return lane in self.production

    def allowed_for(self, importer: str) -> tuple[str, ...]:
        """The lanes `importer` may import, itself first. Raises LaneConfigError if unknown."""
        self._require(importer)
        for lane, allowed in self.allowed_imports:
            if lane == importer:
                return (importer,) + tuple(name for name in allowed if name != importer)
        return (importer,)

    def may_import(self, importer: str, imported: str) -> bool:
        """Whether code in lane `importer` may import code in lane `imported`.

        Only lanes are asked about: imports of unlaned code are not lane decisions.
        Raises LaneConfigError if either name is not a lane or library.
        """
        allowed = self.allowed_for(importer)
        self._require(imported)
        return imported in allowed

    def next_lane(self, lane: str) -> Optional[str]:
        """The lane after `lane` in `order`, or None for the last lane.

        Also None for a library: libraries are never promoted, and callers decide what that
        means for them. Raises LaneConfigError only for an unknown name.
        """
        self._require(lane)
        if lane in self.libraries:
            return None
        index = self.order.index(lane)
        return self.order[index + 1] if index + 1 < len(self.order) else None

    def check_promotion(self, source: str, target: str) -> Optional[str]:
        """None if `source` may be promoted to `target`, else a one-line reason why not.

        Only `target == next_lane(source)` is allowed. Never raises: unknown names are reasons.
        """
        for name in (source, target):
            if name not in self.lanes:
                return _unknown(name, self.lanes)
        if source in self.libraries:
            return f"{source!r} is a library: libraries are never promoted."
        if target in self.libraries:
            return f"{target!r} is a library: code is never promoted into a library."
        if source == target:
            return f"{source!r} -> {target!r} is the same lane: there is nothing to promote."
        source_index, target_index = self.order.index(source), self.order.index(target)
        if source_index == len(self.order) - 1:
            return f"{source!r} is the last lane in `[lanes].order`: it is never promoted."
        if target_index < source_index:
            return (
                f"{source!r} -> {target!r} goes backwards: promotion follows `[lanes].order` "
                f"({' -> '.join(self.order)})."
            )
        skipped = self.order[source_index + 1 : target_index]
        if skipped:
            return f"{source!r} -> {target!r} skips {_quoted(skipped)}: promote one lane at a time."
        return None

    def to_json_dict(self) -> dict[str, Any]:
        """The policy as plain JSON-ready values (lists and dicts), keys in declared order."""
        return {
            "order": list(self.order),
            "libraries": list(self.libraries),
            "paths": {lane: [glob.pattern for glob in globs] for lane, globs in self.paths},
            "allowed_imports": {lane: list(allowed) for lane, allowed in self.allowed_imports},
            "production": list(self.production),
            "warnings": list(self.warnings),
        }

    def _kind(self, name: str) -> str:
        return _kind(name, self.libraries)

    def _require(self, name: str) -> None:
        if name not in self.lanes:
            raise LaneConfigError(f"`[lanes]`: {_unknown(name, self.lanes)}")


def _check_names(order: tuple[str, ...], libraries: tuple[str, ...]) -> None:
    """Reject an empty `order`, empty names, and any name declared twice."""
    if not order:
        raise LaneConfigError(
            "`[lanes].order`: no lanes are declared; list the lanes in promotion order, "
            'like ["candidate", "core"].'
        )
    for option, names, noun in (("order", order, "lane"), ("libraries", libraries, "library")):
        seen: set[str] = set()
        for name in names:
            if not name:
                raise LaneConfigError(
                    f"`[lanes].{option}`: a {noun} name is empty; remove the empty entry."
                )
            if name in seen:
                raise LaneConfigError(
                    f"`[lanes].{option}`: {noun} {name!r} is listed twice; list each {noun} once."
                )
            seen.add(name)
    for name in libraries:
        if name in order:
            raise LaneConfigError(
                f"`[lanes].libraries`: {name!r} is both a lane in `[lanes].order` and a library; "
                f"keep it in only one of them."
            )


def _parse_paths(
    paths: Mapping[str, Sequence[str]],
    order: tuple[str, ...],
    libraries: tuple[str, ...],
    warnings: list[str],
) -> tuple[tuple[str, tuple[PathGlob, ...]], ...]:
    """Parse every lane's globs, in declared order, and check that no two lanes overlap."""
    parsed: list[tuple[str, tuple[PathGlob, ...]]] = []
    for lane in order + libraries:
        kind = _kind(lane, libraries)
        globs = tuple(
            _parse_glob(kind, lane, pattern)
            for pattern in _names(f"paths.{lane}", paths.get(lane, ()), "glob")
        )
        if not globs:
            warnings.append(
                f"`[lanes].paths`: {kind} {lane!r} has no globs, so no file can belong to it; "
                "add its globs to `[lanes].paths`."
            )
        # Reporting against the earlier-declared lane names both sides in a stable order.
        for glob in globs:
            for other_lane, other_globs in parsed:
                for other in other_globs:
                    if glob.overlaps(other):
                        raise LaneConfigError(
                            f"`[lanes].paths`: {glob.pattern!r} ({kind} {lane!r}) overlaps "
                            f"{other.pattern!r} ({_kind(other_lane, libraries)} {other_lane!r}): "
                            "a path must belong to one lane; make the globs disjoint."
                        )
        parsed.append((lane, globs))
    return tuple(parsed)


def _parse_glob(kind: str, lane: str, pattern: str) -> PathGlob:
    try:
        return PathGlob.parse(pattern)
    except ValueError as error:
        raise LaneConfigError(f"`[lanes].paths`: {kind} {lane!r}: {error}") from error


def _parse_allowed(
    allowed_imports: Mapping[str, Sequence[str]],
    known: tuple[str, ...],
    libraries: tuple[str, ...],
    warnings: list[str],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every lane's imports, in declared order, without itself or repeats (those are warned)."""
    parsed: list[tuple[str, tuple[str, ...]]] = []
    for importer in known:
        kind = _kind(importer, libraries)
        kept: list[str] = []
        for name in _names(
            f"allowed_imports.{importer}", allowed_imports.get(importer, ()), "lane name"
        ):
            if name not in known:
                raise LaneConfigError(
                    f"`[lanes].allowed_imports`: {kind} {importer!r} may import {name!r}, "
                    f"which is {_not_a_lane(known)}"
                )
            if name == importer:
                warnings.append(
                    f"`[lanes].allowed_imports`: {kind} {importer!r} lists itself, but a {kind} "
                    f"may always import itself; remove {name!r} from its list."
                )
            elif name in kept:
                warnings.append(
                    f"`[lanes].allowed_imports`: {kind} {importer!r} lists {name!r} twice; "
                    "list it once."
                )
            else:
                kept.append(name)
        parsed.append((importer, tuple(kept)))
    return tuple(parsed)


def _parse_production(
    production: Sequence[str],
    order: tuple[str, ...],
    libraries: tuple[str, ...],
    warnings: list[str],
) -> tuple[str, ...]:
    """The production lanes, which must be lanes of `order`; repeats are warned and dropped."""
    kept: list[str] = []
    for name in _names("production", production, "lane name"):
        if name in libraries:
            raise LaneConfigError(
                f"`[lanes].production`: {name!r} is a library, and libraries are never "
                "production lanes; remove it, or move it from `[lanes].libraries` to "
                "`[lanes].order`."
            )
        if name not in order:
            raise LaneConfigError(
                f"`[lanes].production`: {name!r} is not a lane (lanes: {', '.join(order)}); "
                "fix the name or add it to `[lanes].order`."
            )
        if name in kept:
            warnings.append(f"`[lanes].production`: {name!r} is listed twice; list it once.")
        else:
            kept.append(name)
    return tuple(kept)
