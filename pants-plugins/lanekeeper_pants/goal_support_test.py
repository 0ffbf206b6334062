from __future__ import annotations

from pathlib import Path

import pytest

from lanekeeper_pants.goal_support import write_all_or_nothing
from lanekeeper_pants.transaction import StaleFiles

OLD = {"a.py": b"import matriz\r\n", "pkg/b.py": b"from matriz import x\n"}
NEW = {"a.py": b"import MATRIZ\r\n", "pkg/b.py": b"from MATRIZ import x\n"}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for path, data in OLD.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    (tmp_path / "a.py").chmod(0o755)
    return tmp_path


def contents(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_every_file_is_replaced_and_keeps_its_mode(root: Path) -> None:
    write_all_or_nothing(root, {p: (OLD[p], NEW[p]) for p in OLD}, root / ".lk/j", "test")
    assert contents(root) == NEW  # and no journal is left beside them
    assert (root / "a.py").stat().st_mode & 0o777 == 0o755


def test_a_file_changed_since_it_was_read_stops_every_write(root: Path) -> None:
    (root / "pkg/b.py").write_bytes(b"edited\n")
    with pytest.raises(StaleFiles, match="pkg/b.py changed on disk during the run"):
        write_all_or_nothing(root, {p: (OLD[p], NEW[p]) for p in OLD}, root / ".lk/j", "test")
    assert contents(root) == {"a.py": OLD["a.py"], "pkg/b.py": b"edited\n"}  # no journal
