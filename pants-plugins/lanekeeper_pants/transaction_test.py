from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from lanekeeper_pants.testutil import tree_state
from lanekeeper_pants.transaction import Transaction, TransactionError, recover

MOVES = [("pkg/old/a.py", "pkg/new/a.py"), ("pkg/old/b.sh", "pkg/new/b.sh")]


def git(root: Path, *args: str) -> None:
    command = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args]
    subprocess.run(command, cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "pkg/old").mkdir(parents=True)
    (tmp_path / "pkg/old/a.py").write_bytes(b"import x\r\n")
    (tmp_path / "pkg/old/b.sh").write_text("#!/bin/sh\n")
    (tmp_path / "pkg/old/b.sh").chmod(0o755)
    (tmp_path / "user.py").write_text("from pkg.old import a\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    return tmp_path


def apply_some_changes(tx: Transaction, root: Path) -> None:
    git(root, "mv", "pkg/old", "pkg/new")  # the index changes too
    tx.write("user.py", b"from pkg.new import a\n")


def paths() -> list[str]:
    return [".git/index", "user.py", *(p for move in MOVES for p in move)]


def test_journal_comes_first_and_rollback_restores_everything(repo: Path) -> None:
    before = tree_state(repo)
    journal = repo.parent / "journal.json"  # outside the tree, as under an ignored .pants.d
    tx = Transaction.begin(repo, journal, paths(), {"module": "pkg.old"})
    assert journal.exists() and tree_state(repo) == before  # the journal is all that was written
    apply_some_changes(tx, repo)
    assert tree_state(repo) != before
    tx.rollback()
    assert tree_state(repo) == before
    assert not journal.exists() and not (repo / "pkg/new").exists()


def test_recover_after_a_killed_run(repo: Path) -> None:
    before = tree_state(repo)
    journal = repo.parent / "journal.json"  # outside the tree, as under an ignored .pants.d
    tx = Transaction.begin(repo, journal, paths(), {"module": "pkg.old"})
    apply_some_changes(tx, repo)
    del tx  # the process dies here: no rollback, the journal stays
    with pytest.raises(TransactionError) as error:
        Transaction.begin(repo, journal, paths(), {})
    assert "an earlier run was interrupted" in str(error.value)
    assert recover(repo, journal) == {"module": "pkg.old"}
    assert tree_state(repo) == before
    assert recover(repo, journal) is None


def test_commit_keeps_the_changes_and_drops_the_journal(repo: Path) -> None:
    journal = repo.parent / "journal.json"  # outside the tree, as under an ignored .pants.d
    tx = Transaction.begin(repo, journal, paths(), {})
    for old, new in MOVES:
        tx.move(old, new)
    tx.commit()
    assert not journal.exists()
    assert (repo / "pkg/new/b.sh").stat().st_mode & 0o777 == 0o755
    with pytest.raises(TransactionError):
        Transaction.begin(repo, journal, [], {}).write("undeclared.py", b"")
