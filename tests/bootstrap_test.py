"""The ./pants script's own behaviour: where it cannot set up Pants, and the flags it passes on."""

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


@pytest.fixture
def fake_pants(tmp_path: Path) -> dict[str, str]:
    """A set-up cache whose "Pants" prints the arguments it is given, one per line."""
    cache = tmp_path / "cache"
    venv = cache / "pants-2.17.1-py39"
    (venv / "bin").mkdir(parents=True)
    (venv / ".complete").touch()
    (cache / "pex-2.1.137").touch()
    (venv / "bin" / "pants").write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    (venv / "bin" / "pants").chmod(0o755)
    return {**os.environ, "LANEKEEPER_CACHE_DIR": str(cache)}


@pytest.mark.parametrize(
    "typed, received",
    [
        ("promote --rollback 27c4d77", "promote --promote-rollback=27c4d77"),
        ("promote --rollback=27c4d77", "promote --promote-rollback=27c4d77"),
        ("promote --promote-rollback 27c4d77", "promote --promote-rollback=27c4d77"),
        (
            "promote --owner @alice --reviewers bob,carol --to core demo/candidate/memory_index::",
            "promote --promote-owner=@alice --promote-reviewers=bob,carol --promote-to=core "
            "demo/candidate/memory_index::",
        ),
        (
            "promote --to=core demo/candidate/memory_index:: --owner=@alice --apply --branch",
            "promote --promote-to=core demo/candidate/memory_index:: --promote-owner=@alice "
            "--promote-apply --promote-branch",
        ),
        ("-ldebug promote --recover", "-ldebug promote --promote-recover"),
        ("promote demo:: --fail-on-blocked", "promote demo:: --promote-fail-on-blocked"),
        # Not a promote command, or after `--`: as typed.
        ("lint --only=ruff demo::", "lint --only=ruff demo::"),
        ("test tests:: -- --to core", "test tests:: -- --to core"),
        ("promote --apply -- --to core", "promote --promote-apply -- --to core"),
        ("promote --rollback", "promote --promote-rollback"),
    ],
)
def test_promote_flags_reach_pants_in_the_form_it_reads(
    fake_pants: dict[str, str], typed: str, received: str
) -> None:
    """Pants takes a value only after `=` and reads a flag after the targets as a global one;
    ./pants hands it promote's flags in their scoped form, which it reads anywhere."""
    completed = subprocess.run(
        ["./pants", *typed.split(" ")], env=fake_pants, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == received.split(" ")
