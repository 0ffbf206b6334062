"""Benchmark a second CI machine served by a remote cache: `pants import-health` and
`pants todo-audit` on a generated monorepo, machine A cold (writing to BuildGrid) against
machine B (empty local caches, reading from it).

    python3 benchmarks/remote_cache_benchmark.py [--files 10000] [--seed 0]
        [--workdir /tmp/lk-bench-remote] [--pantsd-max-memory 12GiB]

In one run: a BuildGrid server on 127.0.0.1 (benchmarks/buildgrid_server.py); per goal,
machine A (the generated repo, Pants' caches deleted, `--no-pantsd`, `--remote-cache-write`),
then machine B (a copy of the repo at another path, its own empty local store, named caches
and `.pants.d`, `--no-pantsd`, `--remote-cache-read`). B runs with `-ldebug`, whose timestamps
split its time into Pants' start-up, the goal's work before its first process (target and
dependency graph), and the rest; its process counters come from `--stats-log`. Writes the
Markdown report to stdout and `<workdir>/remote_cache_benchmark.md`, raw data beside it.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from bench_common import (
    PantsCaches,
    fmt_seconds,
    goal_benchmark_args,
    local_only_processes,
    log,
    machine_info,
    markdown_table,
    policy_sections,
    prepare_bench_repo,
    ratio_check,
    run_timed,
    stats_counters,
    summarize,
    tools_resolve_sections,
)
from buildgrid_server import buildgrid_server

GOALS = {
    "import-health": ["import-health", "--today=2026-11-22", "::"],
    "todo-audit": ["todo-audit", "--today=2026-11-22", "::"],
}
COUNTERS = (
    "local_execution_requests",
    "remote_cache_requests_cached",
    "remote_cache_requests_uncached",
    "remote_cache_speculation_local_completed_first",
    "remote_cache_write_successes",
)
TIMESTAMP = re.compile(r"^(\d\d:\d\d:\d\d\.\d\d) \[", re.MULTILINE)


def pants_sections(repo: Path) -> dict[str, Any]:
    return {**policy_sections(repo), **tools_resolve_sections(repo)}


def counters(stderr: str) -> dict[str, int]:
    found = stats_counters(stderr)
    return {name: found.get(name, -1) for name in COUNTERS}


def _seconds(stamp: str) -> float:
    t = datetime.strptime(stamp, "%H:%M:%S.%f")
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


def _span(stderr: str, start: str, end: str) -> float | None:
    """Seconds from the first log line matching `start` to the last matching `end`."""
    starts = re.findall(rf"^(\S+) \[DEBUG\] {start}", stderr, re.MULTILINE)
    ends = re.findall(rf"^(\S+) \[DEBUG\] {end}", stderr, re.MULTILINE)
    return _seconds(ends[-1]) - _seconds(starts[0]) if starts and ends else None


def phases(stderr: str, goal: str) -> dict[str, float | None]:
    """Spans of B's run by its -ldebug timestamps (they overlap: the engine works in parallel).
    Start-up is Pants' own (options, plugins, rule graph); interpreter discovery runs locally
    on every machine (machine-specific, never remote-cached); dependency inference and the lane
    checks built on it (import-health's lane violations and cycles) are in-engine work that no
    cache shares across machines; the cache hits are the rest."""
    first = TIMESTAMP.search(stderr)
    goal_start = re.search(rf"^(\S+) \[DEBUG\] Starting: `{goal}` goal", stderr, re.MULTILINE)
    return {
        "Pants start-up, to the goal rule": (
            _seconds(goal_start.group(1)) - _seconds(first.group(1))
            if first and goal_start
            else None
        ),
        "the goal rule": _span(stderr, f"Starting: `{goal}` goal", f"Completed: `{goal}` goal"),
        "of which: interpreter discovery (local only)": _span(
            stderr, "Starting: Find interpreter", "Completed: Find interpreter"
        ),
        "of which: dependency inference (in-engine)": _span(
            stderr, "Starting: Read a file's first-party imports", "Completed: Resolve a file's"
        ),
        "of which: lane violations and cycles (in-engine, with their inference)": _span(
            stderr,
            "Starting: Find lane violations and import cycles",
            "Completed: Find lane violations and import cycles",
        ),
        "of which: remote cache lookups, first to last": _span(
            stderr, "Starting: Remote cache lookup", "Completed: Remote cache lookup"
        ),
    }


def main() -> None:
    args = goal_benchmark_args(__doc__ or "", "/tmp/lk-bench-remote")
    work: Path = args.workdir
    bench = prepare_bench_repo(args, pants_sections)
    machine_a = bench.root
    machine_b = work / "machine-b"
    logs = work / "logs"
    shutil.rmtree(machine_b, ignore_errors=True)
    shutil.copytree(
        machine_a, machine_b, ignore=shutil.ignore_patterns(".pants.d", ".pids", "dist")
    )
    caches = {"A": bench.caches, "B": PantsCaches(machine_b, work / "pants-caches-b")}
    samples: dict[str, list[float]] = {}
    data: dict[str, Any] = {}
    info = machine_info()
    with buildgrid_server(work / "buildgrid") as remote_store:
        for goal, goal_args in GOALS.items():
            runs = {}
            for name, flags in (
                ("A", ["--remote-cache-write", "--no-remote-cache-read"]),
                ("B", ["--remote-cache-read", "--no-remote-cache-write", "-ldebug"]),
            ):
                caches[name].reset_cold()
                label = f"{goal} machine {name}"
                log(label)
                result = run_timed(
                    label,
                    [
                        "./pants",
                        "--no-pantsd",
                        f"--remote-store-address={remote_store}",
                        "--stats-log",
                        *flags,
                        *goal_args,
                    ],
                    caches[name].buildroot,
                    env=caches[name].env(),
                    log_dir=logs,
                )
                log(f"  {result.seconds:.1f} s (exit {result.returncode})")
                samples[label] = [result.seconds]
                runs[name] = result
            a, b = runs["A"], runs["B"]
            data[goal] = {
                "same_output": (a.returncode, a.stdout) == (b.returncode, b.stdout),
                "counters_a": counters(a.stderr),
                "counters_b": counters(b.stderr),
                "phases_b": phases(b.stderr, goal),
                # Processes B ran without asking the remote cache (Pants' non-shareable ones).
                "local_only_b": sorted(local_only_processes(b.stderr)),
            }
    summaries = {label: summarize(values) for label, values in samples.items()}
    checks = [
        ratio_check(
            f"{goal}: B / A cold",
            summaries[f"{goal} machine B"],
            summaries[f"{goal} machine A"],
            0.3,
        )
        for goal in GOALS
    ]
    lines = [
        f"## A second CI machine served by a remote cache, {bench.manifest['files']} files",
        "",
        f"`python3 benchmarks/remote_cache_benchmark.py --files {args.files}`, "
        f"{datetime.now():%Y-%m-%d %H:%M}. Machine: {info.get('cores')} cores, load average "
        f"{info.get('loadavg')} at the start. BuildGrid 0.9.1 on 127.0.0.1 "
        "(remote-cache/buildgrid.yml); both machines `--no-pantsd` with empty local caches.",
        "",
        markdown_table(
            ["goal", "A cold (writes)", "B (reads)", "B / A", "same output", "B's processes"],
            [
                [
                    goal,
                    fmt_seconds(summaries[f"{goal} machine A"].median),
                    fmt_seconds(summaries[f"{goal} machine B"].median),
                    check.row()[1],
                    "yes" if data[goal]["same_output"] else "NO",
                    "{remote_cache_requests_cached} remote hits, "
                    "{remote_cache_requests_uncached} misses".format(**data[goal]["counters_b"])
                    + f", {len(data[goal]['local_only_b'])} local-only",
                ]
                for goal, check in zip(GOALS, checks)
            ],
        ),
        "",
        markdown_table(["ratio", "value", "target", "result"], [c.row() for c in checks]),
        "",
    ]
    for goal in GOALS:
        rows = [[phase, fmt_seconds(s)] for phase, s in data[goal]["phases_b"].items()]
        lines += [f"Where B's {goal} time goes (-ldebug timestamps):", ""]
        lines += [markdown_table(["phase", "time"], rows), ""]
        lines += [f"B's local-only processes: {', '.join(data[goal]['local_only_b'])}.", ""]
    text = "\n".join(lines) + "\n"
    print(text)
    (work / "remote_cache_benchmark.md").write_text(text)
    (work / "remote_cache_benchmark.json").write_text(
        json.dumps({"samples": samples, "goals": data, "machine": info}, indent=2)
    )


if __name__ == "__main__":
    main()
