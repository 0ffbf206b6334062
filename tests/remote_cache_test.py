"""Two CI machines share lanekeeper's work through a remote cache (BuildGrid on loopback).

Machine A runs the goals on the demo with an empty local store and writes every cacheable process
result to a real BuildGrid server (remote-cache/buildgrid.yml). Machine B, a fresh checkout at
the same path (as CI runners check out) with empty caches of its own (local store, named caches,
`.pants.d`), runs the same goals reading from it. B must print what A printed and run none of
lanekeeper's analyzers, ruff, black, detect-secrets, pytest or mypy itself: each is a remote
cache hit. What B still runs is Pants' discovery of the machine's binaries and interpreters,
which is machine-specific and so never remote-cached.

A's store is empty because Pants writes to the remote cache only what it ran: a hit in the local
store is not written. Its named caches (pex's downloaded wheels and built venvs) are the suite's
own, as every other nested run's: they change how fast a process runs, not whether it runs or its
cache key (a sandbox sees them at a relative path), and only B must show that nothing it needs
is missing from the remote cache.

Same path, because Pants keys mypy's runs by the build root's path (its cache directory
name). Caches by flag, not by `PANTS_LOCAL_STORE_DIR`: the project's `[test].extra_env_vars`
passes that variable into pytest's environment, so a value that differs between machines gives
pytest runs different cache keys.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Iterator

import pytest
from bench_common import local_only_processes, remote_cache_lookups, stats_counters
from buildgrid_server import buildgrid_server
from pants_repo import PantsResult, copy_repo, run_pants, sandbox_dir

# One run per machine. The module passes every promote gate: Pants caches only processes that
# succeed (a failing ruff or pytest is run again everywhere, every time).
GOALS = (
    "import-health",
    "--today=2026-11-22",
    "todo-audit",
    "--today=2026-11-22",
    "matriz-migrate",
    "promote",
    "--to=core",
    "demo/candidate/memory_index::",
)
READY = "READY for human review: demo/candidate/memory_index -> core"
_MACHINES = itertools.count()
# README's settings for a busy CI machine, which this test's machines are (the suite's other
# batches share the 2 cores): Pants 2.17 gives an action-cache call 1.5 s and a run's pending
# cache writes 3 s after its goals end; a write cut off by either never reaches the cache.
BUSY_MACHINE_FLAGS = ("--remote-cache-rpc-timeout-millis=30000", "--session-end-tasks-timeout=120")
# The tools whose runs a second machine must take from the cache (matched against Pants'
# process descriptions, e.g. "Run lanekeeper imports on 3 files.").
SHARED_TOOLS = re.compile(r"lanekeeper|ruff|black|detect-secrets|pytest|mypy", re.IGNORECASE)


@pytest.fixture(scope="module")
def remote_store() -> Iterator[str]:
    with buildgrid_server(sandbox_dir("buildgrid")) as address:
        yield address


def run_machine(
    checkout: Path, remote_store: str, *flags: str, empty_named_caches: bool
) -> PantsResult:
    """A fresh copy of the repo at `checkout` with an empty local store (and empty named caches
    if `empty_named_caches`): a new CI machine."""
    if any(checkout.iterdir()):
        checkout.rename(checkout.with_name(checkout.name + f"-{next(_MACHINES)}"))
    checkout.mkdir(exist_ok=True)
    repo = copy_repo(checkout)
    caches = sandbox_dir("caches")
    named = [f"--named-caches-dir={caches / 'named'}"] if empty_named_caches else []
    return run_pants(
        repo,
        f"--local-store-dir={caches / 'store'}",
        *named,
        f"--remote-store-address={remote_store}",
        *BUSY_MACHINE_FLAGS,
        "--stats-log",
        *flags,
        *GOALS,
    )


def counter(stderr: str, name: str) -> int:
    """A counter of Pants' `--stats-log` summary."""
    counters = stats_counters(stderr)
    assert name in counters, f"no counter {name} in the run's stats"
    return counters[name]


def test_a_second_machine_takes_every_tool_run_from_the_remote_cache(remote_store: str) -> None:
    checkout = sandbox_dir("checkout")
    a = run_machine(
        checkout,
        remote_store,
        "--remote-cache-write",
        "--no-remote-cache-read",
        empty_named_caches=False,
    )
    assert READY in a.stdout, a.stderr[-3000:]
    # A write that fails under load is no failure A's user sees; if B needs its result, B's
    # lookups below miss and say so.
    assert counter(a.stderr, "remote_cache_write_successes") > 0

    # -ldebug names every process: "Scheduling: <description>" for each one B needs,
    # "Remote cache lookup for: <description>" for each one the remote cache may serve.
    b = run_machine(
        checkout,
        remote_store,
        "--remote-cache-read",
        "--no-remote-cache-write",
        "-ldebug",
        empty_named_caches=True,
    )
    assert (b.exit_code, b.stdout) == (a.exit_code, a.stdout)

    looked_up = remote_cache_lookups(b.stderr)
    hits = set(re.findall(r'remote cache hit for: "(.+?)" digest=', b.stderr))
    writes = {k: v for k, v in stats_counters(a.stderr).items() if "remote_cache_write" in k}
    assert looked_up == hits, f"remote cache misses: {sorted(looked_up - hits)}; A's {writes}"
    assert counter(b.stderr, "remote_cache_requests_uncached") == 0
    # Pants 2.17 starts a process locally when its lookup is slow (lanekeeper's own batches wait
    # `REMOTE_CACHE_WAIT_MILLIS` first, Pants' tools not at all) and kills it on the hit: none may
    # finish first.
    assert counter(b.stderr, "remote_cache_speculation_local_completed_first") == 0
    for tool in ("lanekeeper imports", "lanekeeper todos", "ruff E402", "black", "mypy", "Pytest"):
        assert any(f"Run {tool} " in hit for hit in hits), (tool, sorted(hits))

    ran_locally = local_only_processes(b.stderr)
    assert not {d for d in ran_locally if SHARED_TOOLS.search(d)}, sorted(ran_locally)
