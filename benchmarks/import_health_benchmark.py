"""Benchmark `pants import-health` on a generated monorepo, side by side with its baselines
(Pants' own `dependencies ::`, and plain `ruff check --select E402` over the same tree), and
check its counts against the generator's manifest.

    python3 benchmarks/import_health_benchmark.py [--files 10000] [--seed 0] [--runs 3]
        [--workdir /tmp/lk-bench-ih] [--pantsd-max-memory 12GiB]

In one run: cold (pantsd stopped, Pants' caches deleted, `--no-pantsd`); then interleaved warm
rounds of `dependencies ::` with pantsd, import-health with pantsd, import-health with
`--no-pantsd`, and plain ruff; then rounds with one changed file (an E402 appended to a
production module, different each time; restored at the end). Writes the Markdown report to
stdout and `<workdir>/import_health_benchmark.md`, raw data to `.json` beside it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench_common import (
    fmt_summary,
    goal_benchmark_args,
    lanes_section,
    log,
    machine_info,
    markdown_table,
    prepare_bench_repo,
    ratio_check,
    restore_from_head,
    run_timed,
    stop_pantsd,
    summarize,
    tools_resolve_sections,
)

TODAY = "--import-health-today=2026-11-22"


def pants_sections(repo: Path) -> dict[str, Any]:
    return {**lanes_section(repo), **tools_resolve_sections(repo)}


def planted_counts(manifest: dict[str, Any]) -> dict[str, int]:
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
        "legacy-import": len(manifest["legacy_imports"]),
        "lane-violation": len(manifest["lane_violations"]),
    }


def main() -> None:
    args = goal_benchmark_args(__doc__ or "", "/tmp/lk-bench-ih")
    work: Path = args.workdir
    bench = prepare_bench_repo(args, pants_sections)
    repo, manifest, caches = bench.root, bench.manifest, bench.caches
    env = caches.env()
    logs = work / "logs"

    ruff_venv = work / "ruff-venv"
    if not (ruff_venv / "bin" / "ruff").exists():
        subprocess.run([sys.executable, "-m", "venv", str(ruff_venv)], check=True)
        subprocess.run(
            [str(ruff_venv / "bin" / "pip"), "install", "-q", "ruff==0.4.10"], check=True
        )
    ruff = [str(ruff_venv / "bin" / "ruff"), "check", "--isolated", "--no-cache", "--select=E402"]

    ih = ["./pants", "import-health", TODAY, "::"]
    samples: dict[str, list[float]] = {}

    def measure(label: str, argv: list[str], **kw: Any) -> Any:
        result = run_timed(label, argv, repo, env=kw.get("env", env), log_dir=logs)
        log(f"  {label}: {result.seconds:.2f} s (exit {result.returncode})")
        samples.setdefault(label, []).append(result.seconds)
        return result

    log("cold: pantsd stopped, Pants caches deleted")
    caches.reset_cold()
    measure("import-health cold", [*ih[:1], "--no-pantsd", *ih[1:]])
    caches.reset_cold()
    measure("dependencies cold", ["./pants", "--no-pantsd", "dependencies", "::"])
    log("starting pantsd")
    measure("dependencies first pantsd run", ["./pants", "dependencies", "::"])
    measure("import-health first pantsd run", ih)
    for round_ in range(args.runs):
        log(f"warm round {round_ + 1}/{args.runs}")
        measure("dependencies warm (pantsd)", ["./pants", "dependencies", "::"])
        last = measure("import-health warm (pantsd)", ih)
        measure("import-health warm (--no-pantsd)", [*ih[:1], "--no-pantsd", *ih[1:]])
        measure("ruff --select E402 (plain)", [*ruff, "src"])
    # The counts to check are those of the unchanged tree.
    report = json.loads((repo / "dist" / "import-health" / "report.json").read_text())
    target = repo / "src" / "core" / "pkg1" / "mod1.py"
    original = target.read_bytes()
    try:
        for round_ in range(args.runs):
            log(f"changed-file round {round_ + 1}/{args.runs}: {target.relative_to(repo)}")
            target.write_bytes(original + f"\nX_{round_} = {round_}\nimport textwrap\n".encode())
            measure("import-health one changed file (pantsd)", ih)
    finally:
        target.write_bytes(original)
        restore_from_head(repo)
        stop_pantsd(repo)

    reported: dict[str, int] = {}
    for finding in report["findings"]:
        category = finding["category"]
        if category == "runtime-import":
            category = f"runtime-import: {finding['detail']}"
        reported[category] = reported.get(category, 0) + 1
    planted = planted_counts(manifest)

    summaries = {label: summarize(values) for label, values in samples.items()}
    ruff_e402 = run_timed("ruff E402 count", [*ruff, "--output-format=json", "src"], repo)
    ruff_count = len(json.loads(ruff_e402.stdout or "[]"))
    rows = [[label, *fmt_summary(summary)] for label, summary in summaries.items()]
    checks = [
        ratio_check(
            "warm (pantsd) / `dependencies ::` warm (pantsd)",
            summaries["import-health warm (pantsd)"],
            summaries["dependencies warm (pantsd)"],
            1.5,
        ),
        ratio_check(
            "warm (pantsd) / cold",
            summaries["import-health warm (pantsd)"],
            summaries["import-health cold"],
            0.1,
        ),
        ratio_check(
            "one changed file (pantsd) / cold",
            summaries["import-health one changed file (pantsd)"],
            summaries["import-health cold"],
            0.15,
        ),
    ]
    info = machine_info()
    lines = [
        f"## `import-health` on a {manifest['files']}-file monorepo (seed {args.seed})",
        "",
        f"`python3 benchmarks/import_health_benchmark.py --files {args.files} --runs {args.runs}`."
        f" Machine: {info.get('cores')} cores; pantsd memory cap {args.pantsd_max_memory}"
        " (raised: at 10,000 files pantsd outgrows the default 4 GiB and restarts every run).",
        "",
        markdown_table(["measurement", "median", "min - max", "runs"], rows),
        "",
        markdown_table(["ratio (medians)", "value", "target", "result"], [c.row() for c in checks]),
        "",
        markdown_table(
            ["category", "planted", "import-health"],
            [[k, v, reported.get(k, 0)] for k, v in planted.items()]
            + [[k, "(not planted)", v] for k, v in sorted(reported.items()) if k not in planted],
        ),
        "",
        f"Plain ruff reports {ruff_count} E402 with noqa honoured; import-health counts "
        f"{reported.get('e402', 0)} E402 without a noqa (the same lines: it runs the same ruff).",
        "",
        f"Last warm run exit code {last.returncode} (the generated repo has unjustified "
        "exceptions in production lanes, which fail the run by policy).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (work / "import_health_benchmark.md").write_text(text)
    (work / "import_health_benchmark.json").write_text(
        json.dumps(
            {
                "samples": samples,
                "planted": planted,
                "reported": reported,
                "ratios": [c.to_json() for c in checks],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
