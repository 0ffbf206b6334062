"""Import health's finding categories: which ones a baseline ratchets, which fail a run
whatever the baseline says, and the exceptions' time limits."""

from __future__ import annotations

E402 = "e402"
NOQA_JUSTIFIED = "noqa-justified"
NOQA_UNJUSTIFIED = "noqa-unjustified"
NOQA_EXPIRED = "noqa-expired"
NOQA_EXPIRING_SOON = "noqa-expiring-soon"
NOQA_UNUSED = "noqa-unused"
RUNTIME_IMPORT = "runtime-import"
LEGACY_IMPORT = "legacy-import"
LANE_VIOLATION = "lane-violation"
CYCLE = "cycle"
UNPARSEABLE = "unparseable"

# Every category, in report order.
CATEGORIES = (
    E402,
    NOQA_UNUSED,
    NOQA_EXPIRED,
    NOQA_UNJUSTIFIED,
    NOQA_EXPIRING_SOON,
    NOQA_JUSTIFIED,
    RUNTIME_IMPORT,
    LEGACY_IMPORT,
    LANE_VIOLATION,
    CYCLE,
    UNPARSEABLE,
)
NOQA_CATEGORIES = (
    NOQA_UNUSED,
    NOQA_EXPIRED,
    NOQA_UNJUSTIFIED,
    NOQA_EXPIRING_SOON,
    NOQA_JUSTIFIED,
)
# Categories whose rise in a production lane fails the run. A justified exception is the
# guide's sanctioned way out of an E402, and an expiring one is still valid.
RATCHETED = tuple(c for c in CATEGORIES if c not in (NOQA_JUSTIFIED, NOQA_EXPIRING_SOON))
# Categories that fail the run in a production lane, whatever the baseline says.
POLICY_CATEGORIES = (NOQA_EXPIRED, NOQA_UNJUSTIFIED)

DEFAULT_TTL_DAYS = 90
EXPIRING_WITHIN_DAYS = 14
NOT_CHECKED = "not checked"
