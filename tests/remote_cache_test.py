"""Two CI machines share lanekeeper's work through a remote cache (BuildGrid on loopback).

Machine A runs the goals on the demo with an empty local store and writes every cacheable
process result to a real BuildGrid server (remote-cache/buildgrid.yml); machine B, another
copy of the repo at another path with an empty local store, named caches and `.pants.d`, runs
the same goals reading from it. B must print what A printed and run none of lanekeeper's
analyzers, ruff, pytest or mypy itself: each is a remote cache hit. What B still runs locally
is Pants' discovery of the machine's binaries and interpreters, which is machine-specific and
so never remote-cached (`ProcessCacheScope.PER_RESTART_SUCCESSFUL`).
"""

from __future__ import annotations

import re
from typing import Iterator

import pytest
from buildgrid_server import buildgrid_server
from pants_repo import PantsResult, copy_repo, run_pants, sandbox_dir

GOALS = (
    "import-health",
    "--today=2026-11-22",
    "todo-audit",
    "--today=2026-11-22",
    "matriz-migrate",
    "demo::",
)
# The tools whose runs a second machine must take from the cache (matched against Pants'
# process descriptions, e.g. "Run lanekeeper imports on 26 files.").
SHARED_TOOLS = re.compile(r"lanekeeper|ruff|pytest|mypy", re.IGNORECASE)


@pytest.fixture(scope="module")
def remote_store() -> Iterator[str]:
    with buildgrid_server(sandbox_dir("buildgrid")) as address:
        yield address


def run_machine(name: str, remote_store: str, *flags: str) -> PantsResult:
    """A fresh copy of the repo (so an empty `.pants.d`) with empty Pants caches of its own: a
    new CI machine."""
    repo = copy_repo(sandbox_dir(f"machine-{name}"))
    caches = sandbox_dir(f"caches-{name}")
    return run_pants(
        repo,
        f"--remote-store-address={remote_store}",
        "--stats-log",
        *flags,
        *GOALS,
        env={
            "PANTS_LOCAL_STORE_DIR": str(caches / "store"),
            "PANTS_NAMED_CACHES_DIR": str(caches / "named"),
        },
    )


def counter(stderr: str, name: str) -> int:
    """A counter of Pants' `--stats-log` summary."""
    match = re.search(rf"^\s+{name}: (\d+)$", stderr, re.MULTILINE)
    assert match, f"no counter {name} in the run's stats"
    return int(match.group(1))


def test_a_second_machine_takes_every_tool_run_from_the_remote_cache(remote_store: str) -> None:
    a = run_machine("a", remote_store, "--remote-cache-write", "--no-remote-cache-read")
    assert "Reports: dist/import-health/report.json" in a.stdout, a.stderr[-3000:]
    written = counter(a.stderr, "remote_cache_write_successes")
    assert written > 0 and counter(a.stderr, "remote_cache_write_errors") == 0

    # -ldebug names every process: "Scheduling: <description>" for each one B needs,
    # "Remote cache lookup for: <description>" for each one the remote cache may serve.
    b = run_machine("b", remote_store, "--remote-cache-read", "--no-remote-cache-write", "-ldebug")
    assert (b.exit_code, b.stdout) == (a.exit_code, a.stdout)

    looked_up = set(re.findall(r"Starting: Remote cache lookup for: (.+)", b.stderr))
    hits = set(re.findall(r'remote cache hit for: "(.+?)" digest=', b.stderr))
    assert looked_up == hits, f"remote cache misses: {sorted(looked_up - hits)}"
    assert counter(b.stderr, "remote_cache_requests_uncached") == 0
    # Pants 2.17 starts the local process beside each lookup and kills it when the hit arrives
    # (`Process.remote_cache_speculation_delay_millis` is 0): none may finish first.
    assert counter(b.stderr, "remote_cache_speculation_local_completed_first") == 0
    assert {"Run lanekeeper imports", "Run ruff E402", "Run lanekeeper todos"} <= {
        re.sub(r" on \d+ files?\.$", "", hit) for hit in hits
    }, sorted(hits)

    ran_locally = set(re.findall(r"Starting: Scheduling: (.+)", b.stderr)) - looked_up
    assert not {d for d in ran_locally if SHARED_TOOLS.search(d)}, sorted(ran_locally)

