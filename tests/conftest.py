"""Fixtures that end-to-end modules share when Pants runs them in one pytest process."""

from __future__ import annotations

from typing import Iterator

import pytest
from pants_repo import PantsRepo, pants_repo


@pytest.fixture(scope="session")
def demo_repo() -> Iterator[PantsRepo]:
    """One copy of this repo, with one pantsd, for the tests that read the demo as shipped
    (tests/BUILD batches their modules): they pay Pants' start-up and the demo's dependency
    inference once. A test that changes a file puts it back."""
    with pants_repo("demo") as repo:
        yield repo
