"""Helpers for the plugins' tests.

`lane_args` turns a part of the demo's lane model (`lanekeeper.testing`, its one definition)
into `--lanes-*` options; `THREE_LANES_ARGS` is one such small model.

`pex_global_args` gives the options that let a RuleRunner test build PEXes on these offline
machines: RuleRunner starts from Pants' defaults, not from pants.toml, so a rule that builds a
PEX would try to download pex. `./pants` exports where it built pex (`LANEKEEPER_PEX`), and
`[test].extra_env_vars` passes that to the tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Union

if TYPE_CHECKING:
    from pants.testutil.rule_runner import RuleRunner

from lanekeeper.testing import lane_options

ENV_INHERIT = {"PATH", "PYENV_ROOT", "HOME"}


def lane_args(*names: str) -> list[str]:
    """The demo's lanes and libraries `names` under `src/`, as `--lanes-*` options (the paths
    are the fourth: `--lanes-paths={'candidate': ['src/candidate/**'], ...}`)."""
    options = lane_options(*names, root="src")
    return [f"--lanes-{key.replace('_', '-')}={value!r}" for key, value in options.items()]


# Three lanes and a library under `src/`, for the lane rules' RuleRunner tests.
THREE_LANES_ARGS = [
    "--python-infer-use-rust-parser",
    "--source-root-patterns=['src']",
    *lane_args("candidate", "core", "lukhas", "matriz"),
]


def pex_global_args() -> list[str]:
    pex = os.environ["LANEKEEPER_PEX"]
    with open(pex, "rb") as f:
        data = f.read()
    entry = f"{hashlib.sha256(data).hexdigest()}|{len(data)}"
    platforms = ("linux_x86_64", "linux_arm64", "macos_x86_64", "macos_arm64")
    return [
        "--pex-cli-version=v2.1.137",
        f"--pex-cli-known-versions={[f'v2.1.137|{p}|{entry}' for p in platforms]}",
        f"--pex-cli-url-template=file://{pex}",
        "--python-infer-use-rust-parser",
        "--subprocess-environment-env-vars=['PIP_CONFIG_FILE=/dev/null']",
        "--python-bootstrap-search-path=['<PATH>', '<PYENV>']",
        "--python-interpreter-constraints=['CPython==3.11.*']",
    ]


def reset_build_root(rule_runner: RuleRunner, files: Mapping[str, Union[str, bytes]]) -> RuleRunner:
    """Give a shared RuleRunner its starting tree back: `files` and nothing else.

    A fresh RuleRunner per test would find the interpreters and build the analyzer PEX again
    (most of a test's time); a shared one keeps its engine, so each test leaves its own files
    (sources, `dist/`, journals, baselines) to be removed here, and the engine is told.

    It also points Pants' process-wide build root (`BuildRoot`, which each RuleRunner sets when
    created) back at this runner: in a pytest batch another module's RuleRunner may have moved it.
    """
    from pants.base.build_root import BuildRoot

    BuildRoot().path = rule_runner.build_root
    root = Path(rule_runner.build_root)
    removed = {""}  # the build root's own listing changes too
    for entry in root.iterdir():
        if entry.name == ".pants.d":
            continue
        paths = [entry, *entry.rglob("*")] if entry.is_dir() else [entry]
        removed.update(str(path.relative_to(root)) for path in paths)
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    rule_runner.scheduler.invalidate_files(removed)
    rule_runner.write_files(files)
    return rule_runner


def next_run(rule_runner: RuleRunner, product: type, request: object) -> tuple[Any, list[str]]:
    """`request` in a next run of the same engine (a new run id, as pantsd's next run): the
    result, and the description of every process the engine had to run or take from the disk
    cache for it (a process it remembered from an earlier run is not one)."""
    from pants.util.logging import LogLevel

    rule_runner.scheduler.new_run_id()
    rule_runner.scheduler.poll_workunits(LogLevel.DEBUG)  # drop the earlier runs' workunits
    result: Any = rule_runner.request(product, [request])
    completed = rule_runner.scheduler.poll_workunits(LogLevel.DEBUG)["completed"]
    return result, sorted(
        str(w.get("description", "")).removeprefix("Scheduling: ")
        for w in completed
        if w["name"] == "process"
    )


def tree_state(root: Path) -> dict[str, str]:
    """Every file with its hash and mode, and `git status`: what must come back exactly."""
    files = {
        str(path.relative_to(root)): f"{hashlib.sha256(path.read_bytes()).hexdigest()} "
        f"{path.stat().st_mode:o}"
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    return {**files, "git status": status}
