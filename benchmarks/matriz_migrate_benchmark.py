"""Benchmark `pants matriz-migrate` (dry run) on a generated monorepo, side by side with
libcst's own `RenameCommand` (`python -m libcst.tool codemod -j2`) and Pants' `dependencies ::`,
and check its rewrite counts against the generator's manifest.

    python3 benchmarks/matriz_migrate_benchmark.py [--files 10000] [--seed 0] [--runs 3]
        [--workdir /tmp/lk-bench-mm] [--pantsd-max-memory 12GiB]

In one run: libcst's RenameCommand on a fresh copy of the tree (it has no cache: every run is
cold); matriz-migrate cold (pantsd stopped, Pants' caches deleted, `--no-pantsd`); then
interleaved warm rounds of `dependencies ::` and matriz-migrate with pantsd; then rounds with
one changed file (a legacy import appended to a production module; restored at the end).
Writes the Markdown report to stdout and `<workdir>/matriz_migrate_benchmark.md`, raw data to
`.json` beside it.
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench_common import (
    PROJECT_ROOT,
    fmt_summary,
    goal_benchmark_args,
    log,
    machine_info,
    markdown_table,
    policy_sections,
    prepare_bench_repo,
    ratio_check,
    restore_from_head,
    run_timed,
    stop_pantsd,
    summarize,
)

ANALYZER_LOCK = PROJECT_ROOT / "pants-plugins/lanekeeper_pants/analyzer/analyzer.lock"


def locked_libcst_version() -> str:
    """The libcst version lanekeeper's analyzer runs, so both sides parse with the same one."""
    text = "".join(
        line for line in ANALYZER_LOCK.read_text().splitlines(True) if not line.startswith("//")
    )
    for resolve in json.loads(text)["locked_resolves"]:
        for requirement in resolve["locked_requirements"]:
            if requirement["project_name"] == "libcst":
                return str(requirement["version"])
    raise SystemExit(f"no libcst in {ANALYZER_LOCK}")


def libcst_venv(work: Path) -> Path:
    venv = work / f"libcst-{locked_libcst_version()}-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pin = f"libcst=={locked_libcst_version()}"
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", pin], check=True)
    return python


def changed_files(original: Path, copy: Path) -> list[str]:
    return sorted(
        str(p.relative_to(copy))
        for p in copy.rglob("*.py")
        if not filecmp.cmp(p, original / p.relative_to(copy), shallow=False)
    )


def reported_changes(repo: Path) -> list[dict[str, Any]]:
    out = repo / "dist" / "matriz-migrate"
    return [
        c for p in sorted(out.glob("dryrun_*.json")) for c in json.loads(p.read_text())["changes"]
    ]


def main() -> None:
    args = goal_benchmark_args(__doc__ or "", "/tmp/lk-bench-mm")
    work: Path = args.workdir
    bench = prepare_bench_repo(args, policy_sections)
    repo, manifest, caches = bench.root, bench.manifest, bench.caches
    env = caches.env()
    logs = work / "logs"
    samples: dict[str, list[float]] = {}

    def measure(label: str, argv: list[str], cwd: Path = repo, **kw: Any) -> Any:
        result = run_timed(label, argv, cwd, env=kw.get("env", env), log_dir=logs)
        log(f"  {label}: {result.seconds:.2f} s (exit {result.returncode})")
        samples.setdefault(label, []).append(result.seconds)
        return result

    python = libcst_venv(work)
    libcst_tree = work / "libcst-tree"
    shutil.rmtree(libcst_tree, ignore_errors=True)
    shutil.copytree(repo / "src", libcst_tree / "src")
    subprocess.run(
        [str(python), "-m", "libcst.tool", "initialize", "."], cwd=libcst_tree, check=True
    )
    log("libcst RenameCommand -j2 (no cache: always cold)")
    codemod = measure(
        "libcst RenameCommand -j2",
        [
            str(python),
            "-m",
            "libcst.tool",
            "codemod",
            "-j2",
            "--hide-progress",
            "--no-format",
            "rename.RenameCommand",
            "--old_name",
            "matriz",
            "--new_name",
            "MATRIZ",
            "src",
        ],
        cwd=libcst_tree,
    )
    libcst_failed = re.search(r"Failed to codemod (\d+) files", codemod.stderr + codemod.stdout)
    libcst_changed = changed_files(repo / "src", libcst_tree / "src")

    mm = ["./pants", "matriz-migrate", "::"]
    log("cold: pantsd stopped, Pants caches deleted")
    caches.reset_cold()
    measure("matriz-migrate cold", [mm[0], "--no-pantsd", *mm[1:]])
    changes = reported_changes(repo)
    log("starting pantsd")
    measure("dependencies first pantsd run", ["./pants", "dependencies", "::"])
    measure("matriz-migrate first pantsd run", mm)
    for round_ in range(args.runs):
        log(f"warm round {round_ + 1}/{args.runs}")
        measure("dependencies warm (pantsd)", ["./pants", "dependencies", "::"])
        measure("matriz-migrate warm (pantsd)", mm)
    target = repo / "src" / "core" / "pkg1" / "mod1.py"
    original = target.read_bytes()
    try:
        for round_ in range(args.runs):
            log(f"changed-file round {round_ + 1}/{args.runs}: {target.relative_to(repo)}")
            target.write_bytes(original + f"\nimport matriz  # {round_}\n".encode())
            measure("matriz-migrate one changed file (pantsd)", mm)
    finally:
        target.write_bytes(original)
        restore_from_head(repo)
        stop_pantsd(repo)

    planted = manifest["legacy_imports"]
    planted_imports = Counter(
        (p["file"], p["line"]) for p in planted for _ in range(p["modules_rewritten"])
    )
    ours_imports = Counter((c["file"], c["line"]) for c in changes if c["kind"] != "use-site")
    planted_uses = sum(p["usage_rewrites"] for p in planted)
    ours_uses = sum(1 for c in changes if c["kind"] == "use-site")
    ours_files = sorted({c["file"] for c in changes})

    summaries = {label: summarize(values) for label, values in samples.items()}
    checks = [
        ratio_check(
            "cold / libcst RenameCommand -j2",
            summaries["matriz-migrate cold"],
            summaries["libcst RenameCommand -j2"],
            0.1,
        ),
        ratio_check(
            "warm (pantsd) / `dependencies ::` warm (pantsd)",
            summaries["matriz-migrate warm (pantsd)"],
            summaries["dependencies warm (pantsd)"],
            1.5,
        ),
        ratio_check(
            "one changed file (pantsd) / cold",
            summaries["matriz-migrate one changed file (pantsd)"],
            summaries["matriz-migrate cold"],
            0.15,
        ),
    ]
    info = machine_info()
    rows = [[label, *fmt_summary(summary)] for label, summary in summaries.items()]
    lines = [
        f"## `matriz-migrate` on a {manifest['files']}-file monorepo (seed {args.seed})",
        "",
        f"`python3 benchmarks/matriz_migrate_benchmark.py --files {args.files} --runs {args.runs}`."
        f" Machine: {info.get('cores')} cores; pantsd memory cap {args.pantsd_max_memory}; libcst "
        f"{locked_libcst_version()} on both sides.",
        "",
        markdown_table(["measurement", "median", "min - max", "runs"], rows),
        "",
        markdown_table(["ratio (medians)", "value", "target", "result"], [c.row() for c in checks]),
        "",
        markdown_table(
            ["count", "planted", "matriz-migrate", "libcst RenameCommand"],
            [
                [
                    "legacy module references in import statements",
                    sum(planted_imports.values()),
                    sum(ours_imports.values()),
                    "-",
                ],
                ["use sites (`matriz.x.f()` under a plain import)", planted_uses, ours_uses, "-"],
                [
                    "files changed",
                    len({p["file"] for p in planted}),
                    len(ours_files),
                    len(libcst_changed),
                ],
                ["files it failed on", 0, 0, libcst_failed.group(1) if libcst_failed else "?"],
            ],
        ),
        "",
        "Import references at the exact file and line equal the planted ones: "
        f"{'yes' if ours_imports == planted_imports else 'NO'}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (work / "matriz_migrate_benchmark.md").write_text(text)
    (work / "matriz_migrate_benchmark.json").write_text(
        json.dumps(
            {
                "samples": samples,
                "ratios": [c.to_json() for c in checks],
                "libcst_changed_files": libcst_changed,
                "matriz_migrate_changed_files": ours_files,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
