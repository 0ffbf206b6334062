"""Benchmark `pants promote` on the demo: cold against warm, side by side in one run.

    python3 benchmarks/promote_benchmark.py [--runs 3] [--workdir /tmp/lk-bench-promote]
        [--module demo/candidate/memory_index] [--to core]

What it does:

1. copies this checkout (what `./pants` needs plus `demo/`) to `<workdir>/repo`, a fresh git
   repo whose Pants caches live under `<workdir>/caches` (never `~/.cache/pants`);
2. cold: pantsd stopped, Pants' local store, named caches and `.pants.d` deleted, then
   `./pants --no-pantsd promote --to=<lane> <module>::` (every tool PEX built, every lint,
   check, test and scan process run);
3. one pantsd run to load the graph into pantsd (disk cache warm; for reference);
4. --runs interleaved rounds of the same promotion with pantsd (warm) and with
   `--no-pantsd` (disk cache only), checking every run prints the same gate table, and, for
   scale, Pants' own `lint check test <module>::` with `--no-pantsd` (disk cache warm);
5. prints a Markdown report (also `<workdir>/promote_benchmark.md`, raw data in `.json`).

The pantsd it starts is stopped (by pid) before it exits.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

# `python3 benchmarks/promote_benchmark.py` puts this directory first on sys.path.
from bench_common import (
    CommandResult,
    PantsCaches,
    copy_repo_snapshot,
    fmt_summary,
    log,
    machine_info,
    markdown_table,
    ratio_check,
    run_timed,
    stop_pantsd,
    summarize,
)

GATE_ROW = re.compile(r"^(\S+)\s+(PASS|FAIL|SKIP|NEEDS-HUMAN)\s", re.MULTILINE)


def copy_checkout(dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    return copy_repo_snapshot(dest)


def gate_table(result: CommandResult) -> list[tuple[str, str]]:
    return GATE_ROW.findall(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Warm runs of each.")
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/lk-bench-promote"), help="Scratch folder."
    )
    parser.add_argument(
        "--module", default="demo/candidate/memory_index", help="The module to promote."
    )
    parser.add_argument("--to", default="core", help="The lane to promote it to.")
    args = parser.parse_args()

    workdir: Path = args.workdir.resolve()
    repo = copy_checkout(workdir / "repo")
    caches = PantsCaches(repo, workdir / "caches")
    logs = workdir / "logs" / time.strftime("%Y%m%d-%H%M%S")
    env = caches.env()
    goal = ["promote", f"--to={args.to}", f"{args.module}::"]
    started = time.strftime("%Y-%m-%d %H:%M:%S %z")
    info = machine_info()

    def pants(label: str, *flags: str, argv: list[str] = goal) -> CommandResult:
        result = run_timed(label, ["./pants", *flags, *argv], repo, env, 1800, logs)
        if argv is not goal:
            log(f"{label}: {result.seconds:.2f} s (exit {result.returncode})")
            return result
        log(f"{label}: {result.seconds:.2f} s (exit {result.returncode})")
        if result.returncode not in (0, 1) or not gate_table(result):
            raise SystemExit(f"{label} failed:\n{result.tail(30)}")
        return result

    try:
        caches.reset_cold()
        cold = pants("cold", "--no-pantsd")
        expected = gate_table(cold)
        first_pantsd = pants("first-pantsd", "--pantsd")
        warm, warm_no_pantsd, own_goals = [], [], []
        own = ["lint", "check", "test", f"{args.module}::"]
        pants("own-goals-first", "--no-pantsd", argv=own)
        for round_number in range(args.runs):
            warm.append(pants(f"warm-pantsd-{round_number}", "--pantsd"))
            warm_no_pantsd.append(pants(f"warm-no-pantsd-{round_number}", "--no-pantsd"))
            own_goals.append(pants(f"own-goals-no-pantsd-{round_number}", "--no-pantsd", argv=own))
        for result in [first_pantsd, *warm, *warm_no_pantsd]:
            if gate_table(result) != expected:
                raise SystemExit(f"{result.label} printed a different gate table")
    finally:
        stop_pantsd(repo)

    cold_s = summarize([cold.seconds])
    warm_s = summarize(r.seconds for r in warm)
    no_pantsd_s = summarize(r.seconds for r in warm_no_pantsd)
    own_s = summarize(r.seconds for r in own_goals)
    checks = [
        ratio_check("warm (pantsd) / cold", warm_s, cold_s, 0.1),
        ratio_check("warm (`--no-pantsd`, disk cache) / cold", no_pantsd_s, cold_s, 1.0),
        ratio_check(
            "warm `--no-pantsd` / Pants' own `lint check test` warm `--no-pantsd`",
            no_pantsd_s,
            own_s,
            1.5,
        ),
    ]
    statuses = ", ".join(f"{gate} {status}" for gate, status in expected)
    command = f"`./pants promote --to={args.to} {args.module}::`"
    report = "\n".join(
        [
            f"`python3 benchmarks/promote_benchmark.py --runs {args.runs}`, started {started}.",
            "",
            f"- Machine: {info.get('cores')} cores, {info.get('memory_gib')} GiB memory, load"
            f" average {', '.join(str(x) for x in info.get('loadavg', []))} at start.",
            f"- Command: {command} on a fresh copy of this checkout (exit {cold.returncode}).",
            "- Cold: no pantsd, `--no-pantsd`, and Pants' local store, named caches and"
            " `.pants.d` deleted (the benchmark keeps them under its workdir): every tool PEX is"
            " built and every lint, check, test and scan process runs.",
            f"- Every run printed the same gates: {statuses}.",
            "",
            markdown_table(
                ["measurement", "median", "min - max", "runs"],
                [
                    [f"{command} cold", *fmt_summary(cold_s)],
                    [
                        "first pantsd run (disk cache warm)",
                        *fmt_summary(summarize([first_pantsd.seconds])),
                    ],
                    ["warm, pantsd", *fmt_summary(warm_s)],
                    ["warm, `--no-pantsd` (disk cache)", *fmt_summary(no_pantsd_s)],
                    [
                        f"for scale: `./pants lint check test {args.module}::` warm, `--no-pantsd`",
                        *fmt_summary(own_s),
                    ],
                ],
            ),
            "",
            markdown_table(
                ["ratio (medians)", "value", "target", "result"], [c.row() for c in checks]
            ),
            "",
        ]
    )
    (workdir / "promote_benchmark.md").write_text(report)
    (workdir / "promote_benchmark.json").write_text(
        json.dumps(
            {
                "started": started,
                "machine": info,
                "runs": [
                    r.to_json() for r in [cold, first_pantsd, *warm, *warm_no_pantsd, *own_goals]
                ],
                "checks": [c.to_json() for c in checks],
            },
            indent=2,
        )
    )
    print(report)
    return 0 if all(c.verdict == "PASS" for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
