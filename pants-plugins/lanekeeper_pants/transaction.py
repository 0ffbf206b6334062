"""File changes that all happen or, after a rollback or a later recovery, none did.

Groundwork for `pants promote --apply` (move the module, rewrite its importers, re-validate):
before the first change, the bytes and mode of every path the transaction may touch (`.git/index`
too, so staged moves roll back as well) are written to a journal. A failure rolls back from
memory; a killed process leaves the journal, and `recover` restores the tree from it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

JOURNAL_VERSION = 1


class TransactionError(Exception):
    """A transaction that must not start or continue; the message says why and what to do."""


class StaleFiles(TransactionError):
    """Files changed on disk after they were read: writing would lose those changes."""


def ensure_unchanged(root: Path, expected: Mapping[str, bytes]) -> None:
    """StaleFiles unless every path (relative to `root`) still holds the bytes it was read with."""
    stale = sorted(p for p, data in expected.items() if read_if_file(root / p) != data)
    if stale:
        raise StaleFiles(f"{', '.join(stale[:10])} changed on disk during the run; run it again.")


def read_if_file(path: Path) -> Optional[bytes]:
    """The bytes of `path`, or None when it is not a file."""
    return path.read_bytes() if path.is_file() else None


class Transaction:
    def __init__(self, root: Path, journal: Path, record: dict[str, Any]) -> None:
        self.root = root
        self.journal = journal
        self.record = record

    @classmethod
    def begin(
        cls, root: Path, journal: Path, paths: Iterable[str], meta: Mapping[str, Any]
    ) -> Transaction:
        """Journal the current state of `paths` (relative to `root`) before anything changes."""
        if journal.exists():
            raise TransactionError(
                f"{journal} exists: an earlier run was interrupted. Recover it first (it "
                "restores the files it was changing), then run again."
            )
        files: dict[str, Any] = {}
        for path in sorted(set(paths)):
            target = root / path
            if target.is_file():
                files[path] = {
                    "content": base64.b64encode(target.read_bytes()).decode(),
                    "mode": target.stat().st_mode & 0o7777,
                }
            else:
                files[path] = {"content": None, "mode": None}
        record = {"version": JOURNAL_VERSION, "meta": dict(meta), "files": files}
        _write_atomically(journal, json.dumps(record, indent=1).encode())
        return cls(root, journal, record)

    def _declared(self, path: str) -> Path:
        if path not in self.record["files"]:
            raise TransactionError(f"{path} was not declared when the transaction began.")
        return self.root / path

    def write(self, path: str, data: bytes) -> None:
        target = self._declared(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, data)

    def append(self, path: str, data: bytes) -> None:
        """Write `data` at the end of `path` (created if absent)."""
        self.write(path, (read_if_file(self._declared(path)) or b"") + data)

    def move(self, old: str, new: str) -> None:
        source, target = self._declared(old), self._declared(new)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)

    def remove(self, path: str) -> None:
        self._declared(path).unlink(missing_ok=True)

    def commit(self) -> None:
        self.journal.unlink()

    def rollback(self) -> None:
        restore(self.root, self.record)
        self.journal.unlink(missing_ok=True)


def restore(root: Path, record: Mapping[str, Any]) -> None:
    """Put every journaled path back as it was: its bytes and mode, or absent."""
    for path, entry in record["files"].items():
        target = root / path
        if entry["content"] is None:
            if target.is_file():
                target.unlink()
            remove_empty_parents(root, target.parent)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, base64.b64decode(entry["content"]))
        os.chmod(target, entry["mode"])


def recover(root: Path, journal: Path) -> Optional[dict[str, Any]]:
    """Finish an interrupted transaction's rollback; its `meta`, or None if there was none."""
    if not journal.exists():
        return None
    record = json.loads(journal.read_text())
    if record.get("version") != JOURNAL_VERSION:
        raise TransactionError(f"{journal} is not a version-{JOURNAL_VERSION} lanekeeper journal.")
    restore(root, record)
    journal.unlink()
    meta: dict[str, Any] = record["meta"]
    return meta


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.lanekeeper-tmp")
    with open(temporary, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    if target.exists():
        shutil.copymode(target, temporary)
    os.replace(temporary, target)


def remove_empty_parents(root: Path, directory: Path) -> None:
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
