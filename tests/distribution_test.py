"""lanekeeper installed the way README.md's "Adopt lanekeeper in your repo" says, into a repo
that is not this one.

Pants builds the `lanekeeper-pants` wheel for this test (`runtime_package_dependencies` in
tests/BUILD: the repo's own `python_distribution`, in a tar). The scratch repo has its own
layout and source roots and no access to this repo's pants-plugins/ or src/: its pants.toml is
README's snippet as written, plus a find-links directory holding the wheel and the settings that
make Pants 2.17 run on these machines (pex, CA bundle, interpreters), copied from this repo's
pants.toml. Every goal runs there once, with one pantsd.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import tomllib
from bench_common import project_sections, toml_dumps
from pants_repo import PantsResult, pantsd_in, sandbox_dir

# What makes Pants run on these machines, not lanekeeper: copied from this repo's pants.toml.
MACHINE_SECTIONS = (
    "python-bootstrap",
    "python-infer",
    "subprocess-environment",
    "pex-cli",
    "anonymous-telemetry",
)

SOURCES = {
    "src/core/BUILD": "python_sources()\n",
    "src/core/pricing.py": (
        "def price(amount):\n    # TODO: handle currencies\n    return amount * 2\n"
    ),
    # A lane violation: core may not import labs.
    "src/core/report.py": "import labs.checkout\n\n\ndef report():\n    return labs.checkout\n",
    "src/labs/BUILD": "python_sources()\n",
    "src/labs/checkout.py": (
        "from core.pricing import price\n\n\ndef total(amount):\n    return price(amount) + 1\n"
    ),
}


def readme_snippet() -> dict[str, Any]:
    """The pants.toml lines of README.md's "Adopt lanekeeper in your repo", parsed."""
    readme = Path("README.md").read_text(encoding="utf-8")
    section = readme.split("## Adopt lanekeeper in your repo", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert block is not None, "README's adoption section has no ```toml block"
    return tomllib.loads(block.group(1))


def scratch_repo(wheel: Path) -> Path:
    root = sandbox_dir("adopter")
    wheels = root / "wheels"
    wheels.mkdir()
    shutil.copy2(wheel, wheels / wheel.name)
    sections = readme_snippet()
    project = project_sections(Path.cwd())
    sections["GLOBAL"]["ignore_warnings"] = project["GLOBAL"]["ignore_warnings"]
    sections["python-repos"] = {"find_links": [f"file://{wheels}"]}
    sections["source"] = {"root_patterns": ["/src"]}
    sections["python"] = {"interpreter_constraints": ["CPython==3.11.*"]}
    for name in MACHINE_SECTIONS:
        sections[name] = project[name]
    (root / "pants.toml").write_text(toml_dumps(sections), encoding="utf-8")
    # The launcher that builds Pants and pex from the package index (no scie binary here).
    shutil.copy2("pants", root / "pants")
    for path, text in SOURCES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    return root


def requirements(wheel: Path) -> list[str]:
    """The wheel's `Requires-Dist` lines, without spaces."""
    with zipfile.ZipFile(wheel) as archive:
        [metadata] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode()
    return sorted(
        line.split(":", 1)[1].replace(" ", "").replace("(", "").replace(")", "")
        for line in text.splitlines()
        if line.startswith("Requires-Dist:")
    )


def lines(result: PantsResult) -> list[str]:
    return [line.rstrip() for line in result.stdout.splitlines() if line.strip()]


def test_the_wheel_installed_through_plugins_runs_every_goal() -> None:
    with tarfile.open("tests/lanekeeper-pants-wheel.tar") as tar:
        tar.extractall("wheel")
    [wheel] = Path("wheel").absolute().glob("lanekeeper_pants-*.whl")
    # What Pants installs next to itself for the plugin: nothing that only tests need (the
    # plugins' RuleRunner helpers would bring pantsbuild.pants.testutil and pytest).
    assert requirements(wheel) == ["libcst<2,>=1.5", "pantsbuild.pants<2.18,>=2.17.0a0"]
    root = scratch_repo(wheel)
    with pantsd_in(root) as repo:
        listing = repo.run("lanes", "::")
        assert listing.exit_code == 0, listing.stderr[-3000:]
        assert lines(listing)[:3] == [
            "core  src/core/pricing.py",
            "core  src/core/report.py",
            "labs  src/labs/checkout.py",
        ], listing.stdout

        lint = repo.run("lint", "::")
        assert lint.exit_code == 1, lint.stderr[-3000:]
        assert (
            "src/core/report.py:1:1 LK001 labs.checkout (lane labs) may not be imported from "
            "lane core" in lint.stdout + lint.stderr
        )

        health = repo.run("import-health", "::")
        assert health.exit_code == 0, health.stderr[-3000:]
        assert lines(health)[0].split() == ["category", "labs", "core", "production", "total"]

        # No renames in README's snippet: the goal says what to add, in one line.
        migrate = repo.run("matriz-migrate", "::")
        assert migrate.exit_code == 1
        assert migrate.stderr.strip().splitlines()[-1] == (
            "error: `[matriz-migrate].renames` is empty; set at least one legacy -> canonical "
            "module name."
        )
        renamed = repo.run(
            "--matriz-migrate-renames={'labs.checkout': 'core.checkout'}", "matriz-migrate", "::"
        )
        assert renamed.exit_code == 0, renamed.stderr[-3000:]
        # One group (src/core): one file, one import to rewrite.
        assert lines(renamed)[1].split()[:3] == ["src/core", "1", "1"], renamed.stdout

        todos = repo.run("todo-audit", "--today=2026-11-22", "::")
        assert todos.exit_code == 0, todos.stderr[-3000:]
        inventory = (root / "dist/todo-audit/todo_inventory.csv").read_text(encoding="utf-8")
        assert "src/core/pricing.py" in inventory

        # A dry run: the module has no tests, so the promotion fails; detect-secrets, which the
        # secrets gate runs, comes from the lockfile in the wheel, not from a resolve here.
        promote = repo.run("promote", "--to=core", "src/labs::")
        assert promote.exit_code == 1, promote.stderr[-3000:]
        report = promote.stdout
        assert re.search(r"^secrets +PASS\b", report, re.MULTILINE), report
        for gate in ("lanes", "supply-chain", "tests"):
            assert re.search(rf"^{gate} +(PASS|FAIL|SKIP|NEEDS-HUMAN)\b", report, re.M), report
