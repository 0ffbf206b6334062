"""One finding, as every machine format sees it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from lanekeeper.version import VERSION

TOOL_NAME = "lanekeeper"
TOOL_VERSION = VERSION

ERROR = "error"
WARNING = "warning"
NOTE = "note"
SEVERITIES = (ERROR, WARNING, NOTE)

# SARIF's suppression kinds: a comment in the file (`# noqa`), or a file beside it (an exception
# in `[lanes].exceptions`, a baseline).
IN_SOURCE = "inSource"
EXTERNAL = "external"


@dataclass(frozen=True)
class Suppression:
    """Why a finding does not fail the run: `justification` is one line a reviewer can check."""

    kind: str
    justification: str


@dataclass(frozen=True)
class Finding:
    """One finding of one goal.

    `line` and `col` are 1-based, 0 when the finding is about the whole file (or, for `path`
    "", about no file). `identity` is what stays the same when lines move (the imported module,
    the comment's text); it defaults to the message. `extra` holds the goal's own fields, kept in
    its JSON report beside the common ones.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: str
    lane: Optional[str] = None
    identity: str = ""
    suppression: Optional[Suppression] = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """A fingerprint per finding that survives line moves: a hash of the code, file and
    identity (never the line), then `:n` to tell apart the n-th finding of that hash in the
    file, in the given order (as GitHub's own `primaryLocationLineHash` does)."""
    seen: dict[str, int] = {}
    prints = []
    for finding in findings:
        key = "\0".join((finding.code, finding.path, finding.identity or finding.message))
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        prints.append(f"{digest}:{seen[digest]}")
    return prints
