"""End to end: `./pants matriz-migrate`, its fixer and `--apply`, on a git copy of demo/."""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
from demo_readme import planted_findings
from pants_repo import PantsRepo

PLANTED = planted_findings(Path("demo/README.md"))
IMPORTS = {
    (f.file, f.line) for f in PLANTED["legacy-import"] if not f.detail.startswith("use-site")
}
USE_SITES = {(f.file, f.line) for f in PLANTED["legacy-import"] if f.detail.startswith("use-site")}
STRINGS = {(f.file, f.line) for f in PLANTED["legacy-string-reference"]}
LOOK_ALIKES = {(f.file, f.line) for f in PLANTED["look-alike"]}


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout


def tree_state(repo: Path) -> dict[str, str]:
    """Every file under demo/ with its hash, and `git status`: what a user would compare."""
    files = {
        str(p.relative_to(repo)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((repo / "demo").rglob("*"))
        if p.is_file()
    }
    return {**files, "git status": git(repo, "status", "--porcelain", "--", "demo")}


@pytest.fixture(scope="module")
def committed(demo_repo: PantsRepo) -> Iterator[PantsRepo]:
    """The demo modules' shared copy and pantsd (`demo_repo`), committed as `start`; put back as
    shipped at the end, for the modules that read it after this one."""
    root = demo_repo.root
    git(root, "add", "-A")
    git(root, "commit", "-qm", "demo")
    git(root, "tag", "-f", "start")
    yield demo_repo
    git(root, "reset", "-q", "--hard", "start")
    git(root, "clean", "-qfd", "demo")


@pytest.fixture
def repo(committed: PantsRepo) -> PantsRepo:
    """The committed demo, reset before each test."""
    git(committed.root, "reset", "-q", "--hard", "start")
    git(committed.root, "clean", "-qfd", "demo")
    return committed


def reported(repo: Path) -> list[dict]:
    out = repo / "dist" / "matriz-migrate"
    return [json.loads(p.read_text()) for p in sorted(out.glob("dryrun_*.json"))]


def test_dry_run_reports_every_planted_reference_and_writes_nothing(repo: PantsRepo) -> None:
    before = tree_state(repo.root)
    result = repo.run("matriz-migrate", "demo::")
    assert result.exit_code == 0, result.stderr
    assert tree_state(repo.root) == before
    groups = reported(repo.root)
    changes = [c for g in groups for c in g["changes"]]
    assert {(c["file"], c["line"]) for c in changes if c["kind"] != "use-site"} == IMPORTS
    assert {(c["file"], c["line"]) for c in changes if c["kind"] == "use-site"} == USE_SITES
    assert {(d["file"], d["line"]) for g in groups for d in g["dynamic_left"]} == STRINGS
    assert not LOOK_ALIKES & {(c["file"], c["line"]) for c in changes}
    assert all(c["after"] == "MATRIZ" + c["before"][len("matriz") :] for c in changes)

    html = (repo.root / "dist" / "matriz-migrate" / "dryrun_demo__core__legacy.html").read_text()
    assert '<span class="add">+import MATRIZ.graph.nodes</span>' in html
    summary = (repo.root / "dist" / "matriz-migrate" / "migration-summary.md").read_text()
    assert f"- Imports updated: {len(IMPORTS)}" in summary.splitlines()
    assert f"- String references left (dynamic): {len(STRINGS)}" in summary.splitlines()
    assert "## Risk: HIGH" in summary


def test_check_fails_listing_each_legacy_import_of_the_production_lanes(repo: PantsRepo) -> None:
    result = repo.run("matriz-migrate", "--check", "demo::")
    assert result.exit_code == 1
    listed = [line.split(": legacy import")[0] for line in result.stdout.splitlines()]
    listed = [line for line in listed if line.startswith("demo/") and ":" in line]
    # Every planted legacy import sits in a production lane (core, lukhas, products).
    assert sorted(listed) == sorted(f"{file}:{line}" for file, line in IMPORTS)


def test_apply_refuses_a_file_with_uncommitted_changes(repo: PantsRepo) -> None:
    adapter = repo.root / "demo/core/legacy/adapter.py"
    adapter.write_bytes(adapter.read_bytes() + b"# local edit\n")
    before = tree_state(repo.root)
    result = repo.run("matriz-migrate", "--apply", "demo::")
    assert result.exit_code == 1
    assert (
        "error: nothing written: 1 file to rewrite has uncommitted changes "
        "(demo/core/legacy/adapter.py). Commit or stash them first"
    ) in result.stderr
    assert tree_state(repo.root) == before


def test_apply_refuses_when_any_file_cannot_be_rewritten(repo: PantsRepo) -> None:
    (repo.root / "demo/core/legacy/draft.py").write_text("import matriz\n\nif ready return\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "draft")
    before = tree_state(repo.root)
    result = repo.run("matriz-migrate", "--apply", "demo::")
    assert result.exit_code == 1
    assert "nothing written: 1 file could not be rewritten (demo/core/legacy/draft.py: line 3:" in (
        result.stderr
    )
    assert tree_state(repo.root) == before


# A file that was never black-clean: black (with the repo's line length) and ruff's import
# sorting would rewrite most of it; the migration changes only its legacy names.
MESSY = """import os
import matriz.graph
from matriz import Node
x = { 'a':1, "b" : [1,2,3] }
def f( y ):
    return matriz.graph.order( y ), Node, os.sep
"""


def test_apply_rewrites_then_check_passes_and_the_demo_tests_pass(repo: PantsRepo) -> None:
    messy = repo.root / "demo/core/legacy/messy.py"
    messy.write_text(MESSY)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "a file that is not formatter-clean")
    result = repo.run("matriz-migrate", "--apply", "--rewrite-strings", "demo::")
    assert result.exit_code == 0, result.stderr
    assert messy.read_text() == MESSY.replace("matriz", "MATRIZ")
    changed = git(repo.root, "diff", "HEAD", "--name-only").split()
    expected = {file for file, _ in IMPORTS | USE_SITES | STRINGS}
    expected.add(str(messy.relative_to(repo.root)))
    assert sorted(changed) == sorted(expected)
    assert "Rewrote %d files." % len(expected) in result.stdout
    for path in changed:
        ast.parse((repo.root / path).read_bytes(), filename=path)
    diff = git(repo.root, "diff", "HEAD", "-U0")
    lines = diff.splitlines()
    removed = [line[1:] for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")]
    # Only the legacy names changed: each removed line comes back with `matriz` -> `MATRIZ`.
    assert [line.replace("matriz", "MATRIZ") for line in removed] == added
    summary = (repo.root / "dist/matriz-migrate/migration-summary.md").read_text().splitlines()
    assert f"- Lines changed: {len(added)} ({len(added)} by the rename, 0 by formatting)" in summary
    # The repo's real ruff and black decided which files were formatter-clean.
    assert (
        "- Formatting (ruff --fix, black): 5 files formatter-clean before, formatted; 1 file not "
        "formatter-clean, written with the rename alone (0 with their changed import blocks sorted)"
    ) in summary

    check = repo.run("matriz-migrate", "--check", "demo::")
    assert check.exit_code == 0, check.stdout
    assert check.stdout.splitlines()[1].split() == ["total", "0", "0", "0", "0", "0", "0", "0"]
    tests = repo.run("test", "demo::")
    assert tests.exit_code == 0, tests.stderr[-3000:]


def test_fixer_in_lint_and_fix(repo: PantsRepo) -> None:
    new_file = repo.root / "demo/candidate/experiments/fresh.py"
    new_file.write_text(
        '"""New code on the legacy name."""\n\nfrom matriz import Node\n\n__all__ = ["Node"]\n'
    )
    lint = repo.run("lint", "--only=matriz-migrate", "demo/candidate/experiments::")
    assert lint.exit_code == 1
    assert "matriz-migrate made changes.\n  demo/candidate/experiments/fresh.py" in lint.stderr
    fix = repo.run("fix", "--only=matriz-migrate", "demo/candidate/experiments::")
    assert fix.exit_code == 0, fix.stderr
    assert new_file.read_text() == (
        '"""New code on the legacy name."""\n\nfrom MATRIZ import Node\n\n__all__ = ["Node"]\n'
    )
    # The look-alikes beside it are untouched.
    assert (
        git(repo.root, "status", "--porcelain", "--", "demo")
        == "?? demo/candidate/experiments/fresh.py\n"
    )
