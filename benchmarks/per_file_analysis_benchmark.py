"""Benchmark lanekeeper's per-file analyses (`pants import-health`, `pants todo-audit`) on
generated monorepos of both shapes, side by side with Pants' own `dependencies ::`, and check
their findings against the generator's manifest.

    python3 benchmarks/per_file_analysis_benchmark.py [--files 10000] [--seed 0] [--runs 3]
        [--shapes uniform,realistic] [--workdir /tmp/lk-bench-analysis] [--pantsd-max-memory 12GiB]
        [--cold-and-changed-only uniform] [--cold-only realistic]
    python3 benchmarks/per_file_analysis_benchmark.py --batch-sizes 32,128,512 [--shapes realistic]

Shapes (`gen_monorepo.py --shape`): `uniform`, 400 directories of 25 files; `realistic`, ~2,000
directories with a median of 2 files, ~550 single-file directories and one of 600 files.

Per shape, in one run:

1. without pantsd: `dependencies ::` cold (every Pants cache deleted first) and once more
   from the disk cache; then import-health cold and `--runs - 1` times from the disk cache (the
   CI case); then the same for todo-audit;
2. with pantsd: one first run of each, then `--runs` interleaved warm rounds of
   `dependencies ::`, import-health and todo-audit; then `--runs` rounds with one changed file
   (an E402 and a TODO appended to a production module, different each round; restored at
   the end);
3. pantsd is stopped (by pid) before the next shape.

A shape in `--cold-and-changed-only` skips every warm run but the first pantsd run of each
goal (which the changed-file rounds need): half the runs, for a shared machine. A shape in
`--cold-only` runs only the cold runs (step 1 without its disk-cache runs) and checks their
findings: the cold pair alone.

`--batch-sizes` measures instead what the batch size (`[lanekeeper-analyzer].batch_size`)
changes, in one pantsd: after one run of each goal at a batch size that is not measured (which
warms Pants' graph: targets, the import graph, the tool PEXes), per batch size each goal once
with every batch new to the cache (the processes a cold run starts, and their summed time),
then `--runs` times with one changed file: the figures behind the default batch size.

Writes the Markdown report to stdout and `<workdir>/per_file_analysis_benchmark.md`, the raw
data to `.json` beside it, and every command's output under `<workdir>/<shape>/logs/`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_common import (
    PANTSD_CAP_NOTE,
    PROJECT_ROOT,
    BenchRepo,
    CommandResult,
    RatioCheck,
    Summary,
    fmt_bytes,
    fmt_seconds,
    log,
    machine_info,
    markdown_table,
    pantsd_pid,
    policy_sections,
    prepare_bench_repo,
    process_rss_bytes,
    ratio_check,
    restore_from_head,
    run_timed,
    stats_counters,
    stop_pantsd,
    summarize,
    tools_resolve_sections,
)

sys.path.insert(0, str(PROJECT_ROOT / "src" / "python"))
from lanekeeper.kernel.batches import DEFAULT_BATCH_SIZE, stable_batches  # noqa: E402

SHAPES = ("uniform", "realistic")
DEPS = ["dependencies", "::"]
GOALS = {
    "import-health": ["import-health", "--import-health-today=2026-11-22", "::"],
    "todo-audit": ["todo-audit", "--todo-audit-today=2026-11-22", "::"],
}
# (numerator, denominator, target): the targets, per goal.
TARGETS = (
    ("{goal} cold", "dependencies cold", 1.5),
    ("{goal} warm (pantsd)", "dependencies warm (pantsd)", 1.5),
    ("{goal} one changed file (pantsd)", "{goal} cold", 0.15),
    ("{goal} warm (--no-pantsd)", "{goal} cold", 0.5),
)


def pants_sections(repo: Path) -> dict[str, Any]:
    return {**policy_sections(repo), **tools_resolve_sections(repo)}


# --------------------------------------------------------------------------- findings


def planted_import_health(manifest: dict[str, Any]) -> dict[str, int]:
    e402 = manifest["e402"]
    return {
        "e402": sum(1 for e in e402 if e["noqa"] == "none"),
        "noqa-justified": sum(1 for e in e402 if e["noqa"] == "justified"),
        "noqa-unjustified": sum(1 for e in e402 if e["noqa"] == "unjustified"),
        **{
            f"runtime-import: {pattern}": sum(
                1 for r in manifest["runtime_imports"] if r["pattern"] == pattern
            )
            for pattern in ("sys.path.insert", "importlib.import_module", "__import__")
        },
        # One per legacy module named (`import matriz.a, matriz.b`: two), as matriz-migrate counts.
        "legacy-import": sum(i["modules_rewritten"] for i in manifest["legacy_imports"]),
        "lane-violation": len(manifest["lane_violations"]),
        "cycle": len(manifest["cycles"]),
    }


def reported_import_health(repo: Path) -> dict[str, int]:
    report = json.loads((repo / "dist" / "import-health" / "report.json").read_text())
    counts: dict[str, int] = {}
    for finding in report["findings"]:
        category = finding["category"]
        if category == "runtime-import":
            category = f"runtime-import: {finding['detail']}"
        counts[category] = counts.get(category, 0) + 1
    return counts


def todo_findings_match(repo: Path, manifest: dict[str, Any]) -> str:
    """Whether todo-audit found every planted TODO at its file, line and status, and no other."""
    document = json.loads((repo / "dist" / "todo-audit" / "todo_audit.json").read_text())
    planted = {(t["file"], t["line"], t["status"]) for t in manifest["todos"]}
    try:
        reported = {(i["path"], i["line"], i["status"]) for i in document["items"]}
    except (KeyError, TypeError):
        return "not checked (todo_audit.json has no `items` with path, line and status)"
    missing, extra = len(planted - reported), len(reported - planted)
    verdict = "EQUAL" if not missing and not extra else "DIFFERENT"
    return (
        f"{len(reported)} TODOs reported at (file, line, status) vs {len(planted)} planted: "
        f"**{verdict}** (missing {missing}, extra {extra})"
    )


# --------------------------------------------------------------------------- one shape


@dataclass
class ShapeRun:
    shape: str
    bench: BenchRepo
    logs: Path
    samples: dict[str, list[float]] = field(default_factory=dict)
    exit_codes: dict[str, set[int | None]] = field(default_factory=dict)
    pantsd_rss: list[int] = field(default_factory=list)
    pantsd_restarts: list[str] = field(default_factory=list)
    # label -> (processes run, their summed run time in seconds), from `--stats-log`
    process_stats: dict[str, tuple[int, float]] = field(default_factory=dict)
    import_health_counts: dict[str, int] = field(default_factory=dict)
    todo_check: str = "not measured"
    edited: str = ""

    @property
    def repo(self) -> Path:
        return self.bench.root

    def pants(
        self, label: str, argv: list[str], pantsd: bool, record: bool = True
    ) -> CommandResult:
        before = pantsd_pid(self.repo)
        command = ["./pants", *([] if pantsd else ["--no-pantsd"]), *argv]
        env = self.bench.caches.env()
        result = run_timed(label, command, self.repo, env=env, log_dir=self.logs)
        log(f"  [{self.shape}] {label}: {result.seconds:.2f} s (exit {result.returncode})")
        # Exit 1 is a goal's verdict (policy failures), unless Pants itself failed (a pantsd
        # that did not start in time on a loaded machine, say): then the time means nothing.
        if result.returncode not in (0, 1) or "Traceback (most recent call last)" in result.output:
            raise RuntimeError(f"{label} failed (exit {result.returncode}):\n{result.tail()}")
        if record:
            self.samples.setdefault(label, []).append(result.seconds)
            self.exit_codes.setdefault(label, set()).add(result.returncode)
        if pantsd:
            after = pantsd_pid(self.repo)
            if before is not None and after != before:
                self.pantsd_restarts.append(f"{label}: pid {before} -> {after}")
            rss = process_rss_bytes(after) if after is not None else None
            if rss is not None:
                self.pantsd_rss.append(rss)
        return result

    def summary(self, label: str) -> Summary:
        return summarize(self.samples.get(label, []))


def edit_target(repo: Path) -> Path:
    """A production module in a directory of a few files: the common case of the realistic
    shape (and in the uniform shape, a module of a 25-file package)."""
    candidates = sorted((repo / "src" / "core").glob("pkg*/mod1.py"))
    for path in candidates:
        if 3 <= sum(1 for _ in path.parent.glob("*.py")) <= 7:
            return path
    return candidates[0]


def measure_shape(run: ShapeRun, runs: int, full: bool = True, cold_only: bool = False) -> None:
    """Every measurement of the targets; without `full`, only the cold runs and the runs with
    one changed file (with the first pantsd run of each goal before them); with `cold_only`,
    only the cold runs."""
    caches = run.bench.caches
    log(f"[{run.shape}] cold and disk-cache runs, no pantsd")
    caches.reset_cold()
    run.pants("dependencies cold", DEPS, pantsd=False)
    if full:
        run.pants("dependencies warm (--no-pantsd)", DEPS, pantsd=False)
    for goal, argv in GOALS.items():
        caches.reset_cold()
        run.pants(f"{goal} cold", argv, pantsd=False)
        for _ in range(max(1, runs - 1) if full else 0):
            run.pants(f"{goal} warm (--no-pantsd)", argv, pantsd=False)
    if cold_only:
        run.import_health_counts = reported_import_health(run.repo)
        run.todo_check = todo_findings_match(run.repo, run.bench.manifest)
        return

    log(f"[{run.shape}] pantsd runs")
    if full:
        run.pants("dependencies first pantsd run", DEPS, pantsd=True)
    for goal, argv in GOALS.items():
        run.pants(f"{goal} first pantsd run", argv, pantsd=True)
    for round_ in range(runs if full else 0):
        log(f"[{run.shape}] warm round {round_ + 1}/{runs}")
        run.pants("dependencies warm (pantsd)", DEPS, pantsd=True)
        for goal, argv in GOALS.items():
            run.pants(f"{goal} warm (pantsd)", argv, pantsd=True)
    run.import_health_counts = reported_import_health(run.repo)
    run.todo_check = todo_findings_match(run.repo, run.bench.manifest)

    target = edit_target(run.repo)
    run.edited = target.relative_to(run.repo).as_posix()
    original = target.read_bytes()
    try:
        for round_ in range(runs):
            log(f"[{run.shape}] changed-file round {round_ + 1}/{runs}: {run.edited}")
            edit = f"\nX_{round_} = {round_}\nimport textwrap  # TODO: benchmark edit {round_}\n"
            target.write_bytes(original + edit.encode())
            for goal, argv in GOALS.items():
                run.pants(f"{goal} one changed file (pantsd)", argv, pantsd=True)
    finally:
        target.write_bytes(original)
        restore_from_head(run.repo)
        stop_pantsd(run.repo)


def process_stats(stderr: str) -> tuple[int, float]:
    """(processes run, their summed run time in seconds) from Pants' `--stats-log` counters."""
    counters = stats_counters(stderr)
    return (
        counters.get("local_execution_requests", 0),
        counters.get("local_process_total_time_run_ms", 0) / 1000,
    )


WARM_UP_BATCH_SIZE = 1000  # a batch size that is not measured, for the run that warms the graph


def measure_batch_sizes(run: ShapeRun, sizes: list[int], runs: int) -> None:
    """In one pantsd: the batch size changes only the batches, so after a warm-up each size's
    first run starts exactly the processes of a cold run (new cache keys) on a warm graph."""
    caches = run.bench.caches
    target = edit_target(run.repo)
    run.edited = target.relative_to(run.repo).as_posix()
    original = target.read_bytes()
    caches.reset_cold()
    try:
        for goal, argv in GOALS.items():
            log(f"[{run.shape}] warm-up: {goal}")
            warm_up = [f"--lanekeeper-analyzer-batch-size={WARM_UP_BATCH_SIZE}", *argv]
            run.pants(f"{goal} warm-up", warm_up, pantsd=True, record=False)
        for size in sizes:
            flag = f"--lanekeeper-analyzer-batch-size={size}"
            for goal, argv in GOALS.items():
                log(f"[{run.shape}] batch size {size}: {goal}")
                target.write_bytes(original)
                label = f"{goal} new batches (pantsd), batch size {size}"
                result = run.pants(label, ["--stats-log", flag, *argv], pantsd=True)
                run.process_stats[label] = process_stats(result.stderr)
                for round_ in range(runs):
                    edit = f"\nX_{size}_{round_} = 0\nimport textwrap  # TODO: edit {round_}\n"
                    target.write_bytes(original + edit.encode())
                    label = f"{goal} one changed file (pantsd), batch size {size}"
                    result = run.pants(label, ["--stats-log", flag, *argv], pantsd=True)
                    run.process_stats[label] = process_stats(result.stderr)
    finally:
        target.write_bytes(original)
        restore_from_head(run.repo)
        stop_pantsd(run.repo)


# --------------------------------------------------------------------------- report


def batch_counts(repo: Path, size: int) -> tuple[int, int]:
    """(directories, batches of `size`) of the repo's Python files: the processes per goal
    before (one per directory) and now (one per batch; import-health starts two per unit)."""
    paths = [p.relative_to(repo).as_posix() for p in (repo / "src").rglob("*.py")]
    return len({str(Path(p).parent) for p in paths}), len(stable_batches(paths, size))


def cell(summary: Summary) -> str:
    if not summary.samples:
        return "-"
    if summary.runs == 1:
        return fmt_seconds(summary.median)
    return (
        f"{fmt_seconds(summary.median)} ({fmt_seconds(summary.min)} - "
        f"{fmt_seconds(summary.max)}, {summary.runs} runs)"
    )


def comparison_report(shape_runs: list[ShapeRun], args: argparse.Namespace) -> list[str]:
    labels: list[str] = []
    for run in shape_runs:
        labels += [label for label in run.samples if label not in labels]
    names = [run.shape for run in shape_runs]
    rows = [[label, *(cell(run.summary(label)) for run in shape_runs)] for label in labels]
    checks: list[tuple[str, float, list[RatioCheck]]] = []
    for goal in GOALS:
        for numerator, denominator, target in TARGETS:
            num, den = numerator.format(goal=goal), denominator.format(goal=goal)
            name = f"{num} / {den}"
            found = [
                ratio_check(name, run.summary(num), run.summary(den), target) for run in shape_runs
            ]
            checks.append((name, target, found))
    ratio_rows = [
        [
            name,
            f"<= {target:g}",
            *(c.verdict if c.value is None else f"{c.value:.3f} {c.verdict}" for c in found),
        ]
        for name, target, found in checks
    ]
    lines = [
        markdown_table(["measurement (median, min - max)", *names], rows),
        "",
        markdown_table(["ratio (medians)", "target", *names], ratio_rows),
        "",
    ]
    for run in shape_runs:
        directories, batches = batch_counts(run.repo, DEFAULT_BATCH_SIZE)
        planted = planted_import_health(run.bench.manifest)
        reported = run.import_health_counts
        mismatches = [
            f"{k}: planted {v}, reported {reported.get(k, 0)}"
            for k, v in planted.items()
            if reported.get(k, 0) != v
        ]
        peak = max(run.pantsd_rss) if run.pantsd_rss else None
        lines += [
            f"- **{run.shape}** ({run.bench.manifest['files']} files in {directories} directories):"
            f" {batches} batches of ~{DEFAULT_BATCH_SIZE} files, so import-health starts "
            f"{2 * batches} processes and todo-audit {batches} (one per directory before: "
            f"{2 * directories} and {directories}). import-health findings equal the planted ones"
            f" in every category: {'yes' if not mismatches else 'no: ' + '; '.join(mismatches)}"
            f" (plus {reported.get('runtime-import: import-under-try', 0)} imports under `try`,"
            f" the generator's ruff decoys). todo-audit: {run.todo_check}. "
            f"Changed file: `{run.edited}`. pantsd peak RSS {fmt_bytes(peak)}, "
            f"restarts during pantsd runs: {len(run.pantsd_restarts)}. Exit codes: "
            + ", ".join(
                f"{k} {sorted(c, key=str)}" for k, c in run.exit_codes.items() if "cold" in k
            )
            + ".",
        ]
    return lines


def batch_size_report(run: ShapeRun, sizes: list[int]) -> list[str]:
    rows = []
    for size in sizes:
        _, batches = batch_counts(run.repo, size)
        for goal in GOALS:
            new = f"{goal} new batches (pantsd), batch size {size}"
            changed = f"{goal} one changed file (pantsd), batch size {size}"
            processes, process_seconds = run.process_stats.get(new, (0, 0.0))
            changed_processes, changed_seconds = run.process_stats.get(changed, (0, 0.0))
            rows.append(
                [
                    size,
                    goal,
                    batches,
                    cell(run.summary(new)),
                    f"{processes} processes, {fmt_seconds(process_seconds)}",
                    cell(run.summary(changed)),
                    f"{changed_processes} processes, {fmt_seconds(changed_seconds)}",
                ]
            )
    headers = [
        "batch size",
        "goal",
        "batches",
        "every batch new (pantsd, graph warm)",
        "its processes, their summed run time",
        "one changed file (pantsd)",
        "its processes (last round), their summed run time",
    ]
    return [
        markdown_table(headers, rows),
        "",
        f"Changed file: `{run.edited}`, a line of code and a TODO appended, different each round.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="Files to generate.")
    parser.add_argument("--seed", type=int, default=0, help="Generator seed.")
    parser.add_argument("--runs", type=int, default=3, help="Warm and changed-file rounds.")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="Generator shapes to measure.")
    parser.add_argument("--batch-sizes", default="", help="Measure these batch sizes instead.")
    parser.add_argument(
        "--cold-and-changed-only",
        default="",
        help="Shapes (comma-separated) measured only cold and with one changed file.",
    )
    parser.add_argument(
        "--cold-only",
        default="",
        help="Shapes (comma-separated) measured only cold (the cold pair, without pantsd).",
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/lk-bench-analysis"), help="Scratch folder."
    )
    parser.add_argument("--pantsd-max-memory", default="12GiB", help=PANTSD_CAP_NOTE)
    args = parser.parse_args()
    shapes = [s for s in args.shapes.split(",") if s]
    if not shapes or any(s not in SHAPES for s in shapes):
        parser.error(f"--shapes takes a comma-separated list of {', '.join(SHAPES)}")
    sizes = [int(s) for s in args.batch_sizes.split(",") if s]
    partial = {s for s in args.cold_and_changed_only.split(",") if s}
    cold_only = {s for s in args.cold_only.split(",") if s}

    info = machine_info()
    started = f"load average {info.get('loadavg')}, {info.get('memory_available_gib')} GiB free"
    shape_runs: list[ShapeRun] = []
    for shape in shapes:
        shape_args = argparse.Namespace(
            **{**vars(args), "shape": shape, "workdir": args.workdir / shape}
        )
        bench = prepare_bench_repo(shape_args, pants_sections)
        run = ShapeRun(shape, bench, args.workdir / shape / "logs")
        shape_runs.append(run)
        if sizes:
            measure_batch_sizes(run, sizes, args.runs)
        else:
            full = shape not in partial | cold_only
            measure_shape(run, args.runs, full=full, cold_only=shape in cold_only)

    end = machine_info()
    lines = [
        "`python3 benchmarks/per_file_analysis_benchmark.py"
        f" --files {args.files} --runs {args.runs} --shapes {','.join(shapes)}"
        + (f" --batch-sizes {args.batch_sizes}" if sizes else "")
        + (f" --cold-and-changed-only {args.cold_and_changed_only}" if partial else "")
        + (f" --cold-only {args.cold_only}" if cold_only else "")
        + "`.",
        "",
        f"- Machine: {info.get('cores')} cores, {info.get('memory_gib')} GiB, SHARED with other "
        f"engineers' Pants runs (at start: {started}; at the end: load average "
        f"{end.get('loadavg')}): absolute times are noisy, the ratios measured side by side are "
        "what counts.",
        f"- pantsd memory cap `{args.pantsd_max_memory}`: {PANTSD_CAP_NOTE}.",
        "- Cold: no pantsd, `--no-pantsd`, and Pants' local store, named caches and `.pants.d` "
        "deleted; warm `--no-pantsd`: the same command again, served from the disk cache.",
        "",
    ]
    lines += (
        batch_size_report(shape_runs[0], sizes) if sizes else comparison_report(shape_runs, args)
    )
    text = "\n".join(lines) + "\n"
    print(text)
    args.workdir.mkdir(parents=True, exist_ok=True)
    stem = "per_file_analysis_batch_sizes" if sizes else "per_file_analysis_benchmark"
    (args.workdir / f"{stem}.md").write_text(text)
    (args.workdir / f"{stem}.json").write_text(
        json.dumps(
            {
                run.shape: {"samples": run.samples, "pantsd_rss": run.pantsd_rss}
                for run in shape_runs
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
