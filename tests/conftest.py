"""Fixtures that end-to-end modules share when Pants runs them in one pytest process."""

from __future__ import annotations

from typing import Iterator

import pytest
from pants_repo import PantsRepo, commit_tagged, git, pants_repo


@pytest.fixture(scope="session")
def demo_repo() -> Iterator[PantsRepo]:
    """One copy of this repo, with one pantsd, for the tests that run on the demo as shipped
    (tests/BUILD batches their modules): they pay Pants' start-up and the demo's dependency
    inference once. A test that changes a file puts it back; matriz-migrate's module commits
    the copy and resets it to that commit at its end."""
    with pants_repo("demo") as repo:
        yield repo


@pytest.fixture(scope="session")
def promote_repo() -> Iterator[PantsRepo]:
    """One git copy of this repo, committed as `base` with a git identity of its own (`--commit`
    needs one; CI machines have none), with one pantsd, for promote's end-to-end modules
    (tests/BUILD batches them): they evaluate the same module's gates (Pants keys mypy's runs by
    the build root's path) and pay Pants' start-up once. Each module adds a commit of its own
    on `base` and puts the repo back to it (`reset_to`) before its tests."""
    with pants_repo("promote") as repo:
        git(repo.root, "config", "user.name", "Lane Keeper")
        git(repo.root, "config", "user.email", "lanekeeper@example.com")
        commit_tagged(repo.root, "base", "base")
        yield repo
