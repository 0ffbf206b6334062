"""Who signs off a promotion, from `--owner`/`--reviewers` or PROMOTE.md, as people write it.

People are GitHub handles, the form the TODO format uses (`@user`). `alice`, `@alice` and
`@Alice` are one person (GitHub handles ignore case), written `@alice`; a role follows in
parentheses, `@carol (security)`. Several reviewers go in one value separated by commas
(`--reviewers=bob,carol`) or in repeated flags; naming someone twice names them once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from lanekeeper.kernel.report_text import counted

# A GitHub handle: letters, digits and single inner hyphens, at most 39 characters; any
# number of leading `@` (Pants' own escape for a literal `@` is `@@`), then an optional role.
_PERSON = re.compile(
    r"^@*(?P<handle>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})"
    r"\s*(?:\(\s*(?P<role>[^()]*?)\s*\))?$"
)
_OWNER = re.compile(r"^\s*owner\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_REVIEWERS = re.compile(r"^\s*reviewers?\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)

OWNER_EXAMPLE = "--owner=@alice"
REVIEWERS_EXAMPLE = '--reviewers="@bob,@carol (security)"'


class SignOffError(ValueError):
    """An `--owner`/`--reviewers` value that names nobody; the message shows a form that works."""


@dataclass(frozen=True)
class SignOff:
    owner: Optional[str]
    reviewers: tuple[str, ...]
    source: str
    # Entries of PROMOTE.md that name nobody, e.g. "m/PROMOTE.md:3: 'Bob Smith' is not a ...".
    unreadable: tuple[str, ...] = ()


def person(text: str) -> Optional[str]:
    """`alice`, `@alice`, `@@Alice` -> `@alice`; `carol(Security)` -> `@carol (Security)`;
    None when `text` is not a GitHub handle."""
    match = _PERSON.match(text.strip())
    if match is None:
        return None
    handle = "@" + match.group("handle").lower()
    role = match.group("role")
    return f"{handle} ({role})" if role else handle


def handle_of(entry: str) -> str:
    """The person an entry names, without its role: `@carol (security)` -> `@carol`."""
    return entry.split(" ", 1)[0]


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _unique(entries: Iterable[str]) -> tuple[str, ...]:
    """The first entry for each person."""
    seen: dict[str, str] = {}
    for entry in entries:
        seen.setdefault(handle_of(entry), entry)
    return tuple(seen.values())


def from_options(owner: Optional[str], reviewers: Sequence[str]) -> Optional[SignOff]:
    """The sign-off `--owner` and `--reviewers` record, or None when neither is given.

    Raises SignOffError, naming the option and a form that works, for a value that names
    nobody.
    """
    if not owner and not reviewers:
        return None
    owner_entry = None
    if owner:
        owner_entry = person(owner)
        if owner_entry is None:
            what = "one owner" if "," in owner else "a GitHub handle"
            raise SignOffError(f"--owner={owner!r} is not {what}; write e.g. {OWNER_EXAMPLE}.")
    entries = []
    for value in _split(reviewers):
        entry = person(value)
        if entry is None:
            raise SignOffError(
                f"--reviewers: {value!r} is not a GitHub handle; separate reviewers with "
                f"commas, e.g. {REVIEWERS_EXAMPLE}."
            )
        entries.append(entry)
    return SignOff(owner_entry, _unique(entries), "command line")


def from_promote_md(text: Optional[str], path: str) -> SignOff:
    """The `Owner:` and `Reviewers:` lines of PROMOTE.md; what names nobody is `unreadable`."""
    text = text or ""
    unreadable = []
    owner = None
    owner_match = _OWNER.search(text)
    if owner_match:
        owner = person(owner_match.group(1))
        if owner is None:
            unreadable.append(_unreadable(path, text, owner_match.start(1), owner_match.group(1)))
    entries = []
    reviewers_match = _REVIEWERS.search(text)
    if reviewers_match:
        line_start = reviewers_match.start(1)
        for value in _split([reviewers_match.group(1)]):
            entry = person(value)
            if entry is None:
                unreadable.append(_unreadable(path, text, line_start, value))
            else:
                entries.append(entry)
    return SignOff(owner, _unique(entries), path, tuple(unreadable))


def _unreadable(path: str, text: str, offset: int, value: str) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{path}:{line}: {value.strip()!r} is not a GitHub handle (write e.g. @alice)"


def parse_signoff(
    owner: Optional[str], reviewers: Sequence[str], promote_md: Optional[str], path: str
) -> SignOff:
    """`--owner`/`--reviewers` win; otherwise the `Owner:` and `Reviewers:` lines of PROMOTE.md."""
    return from_options(owner, reviewers) or from_promote_md(promote_md, path)


def signoff_problems(signoff: SignOff) -> list[str]:
    """What the sign-off record lacks: an owner and two other people as reviewers, one of them
    security."""
    problems = list(signoff.unreadable)
    if not signoff.owner:
        problems.append("no owner named")
    owner = handle_of(signoff.owner) if signoff.owner else None
    others = [r for r in signoff.reviewers if handle_of(r) != owner]
    if len(others) < len(signoff.reviewers):
        problems.append(f"the owner {owner} cannot also be a reviewer")
    if len(others) < 2:
        problems.append(f"{counted(len(others), 'reviewer')} named, 2 needed")
    if not any("security" in r.lower() for r in others):
        problems.append("no security reviewer named")
    return problems
