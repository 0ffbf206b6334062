"""Support tickets waiting for a product report export, oldest first.

Most TODOs here are in the T4 format this team wrote before the TODO guide's grammar: a tag in
brackets, then a JSON object (`[todo-audit].formats.t4` in pants.toml declares it). Two were
rewritten already (`pants todo-audit --rewrite`): after a `# noqa` or `# type: ignore`, as the
rewrite leaves them, and ruff and mypy still honour those pragmas.
"""

from __future__ import annotations

import json  # noqa: F401  # TODO[T4-UNUSED-IMPORT]: {"code":"F401","ticket":"GH-1031","owner":"matriz-team","status":"accepted","reason":"keep json: the export plugin imports it from here","estimate":"0h","priority":"medium","id":"t4-0001"}
import os  # noqa: F401  # TODO[2026-10-01][PRIORITY:LOW][OWNER:@carol][SCOPE:PROD][ISSUE:1029] : drop os once paths use pathlib (tag: T4-UNUSED-IMPORT; code: F401)
from collections import deque
from typing import Deque, Iterable

# TODO[T4-ISSUE]: {"code":"B008","ticket":"GH-1040","owner":"carol","status":"open","reason":"don't share one \"deque()\" between callers; the 'maxlen' leaks","estimate":"1h","priority":"high","id":"t4-0002"}
MAX_TICKETS: int = "500"  # type: ignore[assignment]  # TODO[T4-TYPE]: {"code":"assignment","ticket":"GH-1052","owner":"@dave","status":"accepted","reason":"read the limit from settings as an int","estimate":"2h","priority":"low","id":"t4-0003"}
RETRIES: int = "3"  # type: ignore[assignment]  # TODO[2026-10-01][PRIORITY:LOW][OWNER:@dave][SCOPE:PROD][ISSUE:1053] : parse the retries as an int (tag: T4-TYPE; code: assignment)


def ticket_queue(tickets: Iterable[str]) -> Deque[str]:
    """A queue of `tickets`, oldest first; at most `MAX_TICKETS` are kept."""
    # TODO[T4-ISSUE]: {"code":"E501","ticket":"GH-1077","owner":"erin","priority":"low","reason":"wrap the "long" ticket ids"}
    return deque(tickets, maxlen=int(MAX_TICKETS))


def next_ticket(queue: Deque[str]) -> str:
    """The oldest ticket, removed from `queue`."""
    # FIXME[T4-ISSUE]: {"code":"B006","ticket":"GH-1081","priority":"urgent","status":"open","reason":"retry when the queue is empty"}
    return queue.popleft()
