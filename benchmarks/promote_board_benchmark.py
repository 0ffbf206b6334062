"""Benchmark the promotion board (`pants promote <specs>`, no `--to`) on the demo and on a generated
monorepo, side by side with Pants' own `dependencies <specs>` in one run (the demo: `demo::`, its
modules; the generated repo: `::`).

    python3 benchmarks/promote_board_benchmark.py [--files 500] [--shape uniform] [--runs 3]
        [--workdir /tmp/lk-bench-board] [--repos demo,generated]

Per repo (the demo: a copy of this checkout; generated: `gen_monorepo.py --files N`):

1. cold: every Pants cache deleted, `--no-pantsd` (every module's tools, tests and scans run);
2. `--runs - 1` more `--no-pantsd` runs (disk cache warm: the CI case);
3. with pantsd: one first run of `dependencies ::` and of the board, then `--runs` interleaved
   warm rounds of both;
4. `--runs` rounds with one changed file (a line appended to a candidate module, different
   each round; restored at the end), board with pantsd;
5. pantsd is stopped (by pid) before the next repo.

Every board run must exit 0 and print the same rows as the cold run (the changed-file runs:
the same modules). The supply-chain gate's OSV URL is a closed local port, so the board
never waits on the network (that gate then FAILs fast, as in the e2e test).

Writes the Markdown report to stdout and `<workdir>/promote_board_benchmark.md`, raw data to
`.json` beside it, every command's output under `<workdir>/<repo>/logs/`.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_common import (
    PANTSD_CAP_NOTE,
    PANTSD_NOT_STARTED,
    CommandResult,
    PantsCaches,
    Summary,
    log,
    machine_info,
    markdown_table,
    policy_sections,
    prepare_bench_repo,
    ratio_check,
    restore_from_head,
    run_timed,
    stats_counters,
    stop_pantsd,
    summarize,
    tools_resolve_sections,
)
from promote_benchmark import copy_checkout

OSV = "--promote-osv-url=http://127.0.0.1:9/v1/query"
ROW = re.compile(r"^(\S+)\s+\S+ -> \S+\s+\d+\s+\d+\s+\d+\s+\d+\s+(READY|BLOCKED)$", re.M)


@dataclass
class RepoRun:
    name: str
    root: Path
    caches: PantsCaches
    logs: Path
    edit_in: str  # a glob of candidate-lane files: the first one is the changed file
    spec: str  # what the board and `dependencies` run on
    samples: dict[str, list[float]] = field(default_factory=dict)
    processes: dict[str, list[int]] = field(default_factory=dict)
    rows: list[tuple[str, str]] = field(default_factory=list)
    edited: str = ""

    def board(self) -> list[str]:
        return ["promote", OSV, self.spec]

    def deps(self) -> list[str]:
        return ["dependencies", self.spec]

    def lint_check(self) -> list[str]:
        return ["lint", "check", self.spec]

    def pants(
        self, label: str, argv: list[str], pantsd: bool, exits: tuple[int, ...] = (0,)
    ) -> CommandResult:
        # `--stats-log` counts the processes a run started (`local_execution_requests`).
        command = ["./pants", "--pantsd" if pantsd else "--no-pantsd", "--stats-log", *argv]
        for _ in range(3):
            result = run_timed(label, command, self.root, self.caches.env(), 3600, self.logs)
            log(f"  [{self.name}] {label}: {result.seconds:.2f} s (exit {result.returncode})")
            # The run measured nothing: ask again, the daemon may be up by now.
            if not (pantsd and PANTSD_NOT_STARTED in result.output):
                break
        if result.returncode not in exits or "Traceback (most recent call last)" in result.output:
            raise RuntimeError(f"{label} failed (exit {result.returncode}):\n{result.tail(30)}")
        if argv[0] == "promote":
            rows = ROW.findall(result.stdout)
            self.rows = self.rows or rows
            modules = {module for module, _ in rows}
            same = modules == {m for m, _ in self.rows} if "changed" in label else rows == self.rows
            if not rows or not same:
                raise RuntimeError(f"{label} printed other rows than the cold run")
        self.samples.setdefault(label, []).append(result.seconds)
        started = stats_counters(result.stderr).get("local_execution_requests", 0)
        self.processes.setdefault(label, []).append(started)
        return result

    def summary(self, label: str) -> Summary:
        return summarize(self.samples.get(label, []))


def measure(run: RepoRun, runs: int) -> None:
    run.caches.reset_cold()
    run.pants("board cold (--no-pantsd)", run.board(), pantsd=False)
    for _ in range(max(1, runs - 1)):
        run.pants("board warm (--no-pantsd)", run.board(), pantsd=False)
    run.pants("dependencies first pantsd run", run.deps(), pantsd=True)
    run.pants("board first pantsd run", run.board(), pantsd=True)
    for _ in range(runs):
        run.pants("dependencies warm (pantsd)", run.deps(), pantsd=True)
        run.pants("board warm (pantsd)", run.board(), pantsd=True)
        # Pants' own goals over the same specs: the tools the board's lint, format and
        # type-check gates run (they exit 1 where a tool reports findings).
        run.pants("lint check warm (pantsd)", run.lint_check(), pantsd=True, exits=(0, 1))
    target = sorted(run.root.glob(run.edit_in))[0]
    run.edited = target.relative_to(run.root).as_posix()
    original = target.read_bytes()
    try:
        for round_ in range(runs):
            target.write_bytes(original + f"\nBENCH_EDIT_{round_} = {round_}\n".encode())
            run.pants("board one changed file (pantsd)", run.board(), pantsd=True)
    finally:
        target.write_bytes(original)
        stop_pantsd(run.root)


LABELS = (
    "dependencies warm (pantsd)",
    "board cold (--no-pantsd)",
    "board warm (pantsd)",
    "lint check warm (pantsd)",
    "board warm (--no-pantsd)",
    "board one changed file (pantsd)",
)


def cell(summary: Summary) -> str:
    if not summary.samples:
        return "not measured"
    low, high = min(summary.samples), max(summary.samples)
    spread = f" ({low:.1f}-{high:.1f})" if len(summary.samples) > 1 else ""
    return f"{summary.median:.1f} s{spread}"


def report(repo_runs: list[RepoRun], args: argparse.Namespace, info: dict[str, Any]) -> str:
    header = ["measurement", *(r.name for r in repo_runs)]
    table = [[label, *(cell(r.summary(label)) for r in repo_runs)] for label in LABELS]
    started = [
        [label, *(", ".join(map(str, r.processes.get(label, []))) or "-" for r in repo_runs)]
        for label in LABELS
    ]
    checks = [
        ratio_check(
            f"{r.name}: board warm (pantsd) / dependencies {r.spec} warm (pantsd)",
            r.summary("board warm (pantsd)"),
            r.summary("dependencies warm (pantsd)"),
            1.5,
        )
        for r in repo_runs
    ] + [
        ratio_check(
            f"{r.name}: board warm (pantsd) / lint check {r.spec} warm (pantsd)",
            r.summary("board warm (pantsd)"),
            r.summary("lint check warm (pantsd)"),
            1.5,
        )
        for r in repo_runs
    ]
    loads = ", ".join(str(x) for x in info.get("loadavg", []))
    lines = [
        f"`python3 benchmarks/promote_board_benchmark.py --files {args.files} --shape "
        f"{args.shape} --runs {args.runs}`, started {info['started']}; {info.get('cores')} "
        f"cores, load average {loads} at start (a machine shared with other engineers' Pants).",
        "",
        *(
            f"- {r.name}: {len(r.rows)} candidate modules on the board "
            f"({sum(v == 'READY' for _, v in r.rows)} READY); changed file `{r.edited}`."
            for r in repo_runs
        ),
        "",
        "Median seconds (min-max):",
        "",
        markdown_table(header, table),
        "",
        "Processes each run started (Pants' `local_execution_requests`, one figure per run):",
        "",
        markdown_table(header, started),
        "",
        markdown_table(["target", "ratio", "target", "verdict"], [c.row() for c in checks]),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=500, help="Files to generate.")
    parser.add_argument("--seed", type=int, default=0, help="Generator seed.")
    parser.add_argument(
        "--shape", choices=("uniform", "realistic"), default="uniform", help="Generator shape."
    )
    parser.add_argument("--runs", type=int, default=3, help="Warm and changed-file rounds.")
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/lk-bench-board"), help="Scratch folder."
    )
    parser.add_argument("--pantsd-max-memory", default="12GiB", help=PANTSD_CAP_NOTE)
    parser.add_argument(
        "--repos", default="demo,generated", help="Comma-separated: demo, generated."
    )
    args = parser.parse_args()
    args.workdir = args.workdir.resolve()
    info = {**machine_info(), "started": time.strftime("%Y-%m-%d %H:%M:%S %z")}
    stamp = time.strftime("%Y%m%d-%H%M%S")

    repo_runs = []
    for name in args.repos.split(","):
        if name == "demo":
            root = copy_checkout(args.workdir / "demo" / "repo")
            caches = PantsCaches(root, args.workdir / "demo" / "caches")
            edit_in = "demo/candidate/memory_index/*.py"
            # The demo's modules; `::` would be this tool's own code too.
            spec = "demo::"
        else:
            gen_args = argparse.Namespace(**{**vars(args), "workdir": args.workdir / "generated"})
            bench = prepare_bench_repo(
                gen_args, lambda repo: {**policy_sections(repo), **tools_resolve_sections(repo)}
            )
            root, caches = bench.root, bench.caches
            restore_from_head(root)
            edit_in = "src/candidate/*/mod1.py"
            spec = "::"
            name = f"generated ({args.files} files, {args.shape})"
        logs = args.workdir / "logs" / stamp / root.parent.name
        run = RepoRun(name, root, caches, logs, edit_in, spec)
        log(f"[{run.name}] measuring")
        measure(run, args.runs)
        repo_runs.append(run)

    text = report(repo_runs, args, info)
    print(text)
    (args.workdir / "promote_board_benchmark.md").write_text(text + "\n")
    raw = {
        r.name: {"samples": r.samples, "processes": r.processes, "rows": r.rows, "edited": r.edited}
        for r in repo_runs
    }
    (args.workdir / "promote_board_benchmark.json").write_text(json.dumps(raw, indent=2) + "\n")


if __name__ == "__main__":
    main()
