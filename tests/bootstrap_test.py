"""The ./pants bootstrap script's behaviour where it cannot set up Pants."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SYSTEM_PYTHON39 = ("/usr/bin/python3.9", "/usr/local/bin/python3.9", "/opt/homebrew/bin/python3.9")


@pytest.mark.skipif(
    any(os.path.exists(p) for p in SYSTEM_PYTHON39),
    reason="this machine has a system python3.9, so the script would find one",
)
def test_without_python39_it_says_what_to_install(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy2("pants", repo / "pants")
    shutil.copy2("pants.toml", repo / "pants.toml")
    bare_bin = tmp_path / "bin"
    bare_bin.mkdir()
    # Only the commands the script needs before it looks for Python; no python3.9 among them.
    for tool in ("bash", "dirname", "sed", "head", "mkdir", "env"):
        found = shutil.which(tool)
        assert found, tool
        (bare_bin / tool).symlink_to(found)
    env = {
        "PATH": str(bare_bin),
        "HOME": str(tmp_path / "home"),
        "PYENV_ROOT": str(tmp_path / "no-pyenv"),
    }

    completed = subprocess.run(
        ["./pants", "--version"], cwd=repo, env=env, capture_output=True, text=True, timeout=60
    )

    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        "./pants: no CPython 3.9 found. Pants 2.17.1's engine needs Python 3.9: install it "
        "(e.g. `pyenv install 3.9` or your OS package python3.9), or point PANTS_PYTHON at a "
        "python3.9 binary."
    ]
    assert not (tmp_path / "home" / ".cache").exists(), "nothing is set up half-way"
