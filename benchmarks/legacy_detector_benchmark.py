#!/usr/bin/env python3
"""The legacy-import detector's cost per file, against the stdlib-only analysis it replaced.

    python3 benchmarks/legacy_detector_benchmark.py [--files 1500] [--rounds 3]
        [--python PYTHON_WITH_LIBCST] [--baseline-src OTHER_CHECKOUT/src/python]

import-health analyses every file with the standard library (`ast`, 1.3 ms a file); since
issue 19 its legacy imports come from matriz-migrate's libcst rewrite (`rename.legacy_references`),
which runs only on files whose bytes may mention a legacy name. This measures, on a generated
monorepo and in worker processes that alternate round by round (the machines are noisy):

- `analyze_imports` per file over every file (what an import-health batch costs);
- on the files that may mention `matriz`: `legacy_references`, `rewrite_source` (matriz-migrate),
  and libcst's and `ast`'s bare parse, for scale.

With `--baseline-src` (e.g. a `git worktree` of an older commit), the same is measured for that
core, side by side. `--python` must have libcst (the analyzer's lockfile pins 1.9.0).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench_common import PROJECT_ROOT, generate_monorepo, log, machine_info, markdown_table

WORKER = r"""
import ast, json, sys, time
from datetime import date
from pathlib import Path
import libcst
from lanekeeper import import_health, rename
from lanekeeper.rename.migration import may_mention

root, renames = Path(sys.argv[1]), {"matriz": "MATRIZ"}
files = [(str(p.relative_to(root)), p.read_bytes()) for p in sorted(root.rglob("*.py"))]
mentioning = [(path, data) for path, data in files if may_mention(data, renames)]
try:  # the option's name before issue 19
    import_health.analyze_imports("x.py", b"", today=date(2026, 1, 1), renames=renames)
    legacy = {"renames": renames}
except TypeError:
    legacy = {"legacy_modules": tuple(renames)}


def per_file(work, over):
    start = time.perf_counter()
    for path, data in over:
        work(path, data)
    return (time.perf_counter() - start) * 1000 / len(over)


today = date(2026, 11, 22)
result = {
    "files": len(files),
    "mentioning": len(mentioning),
    "analyze_imports": per_file(
        lambda p, d: import_health.analyze_imports(p, d, today=today, **legacy), files
    ),
    "ast.parse": per_file(lambda p, d: ast.parse(d), mentioning),
    "libcst.parse": per_file(lambda p, d: libcst.parse_module(d), mentioning),
    "rewrite_source": per_file(lambda p, d: rename.rewrite_source(p, d, renames), mentioning),
}
if hasattr(rename, "legacy_references"):
    result["legacy_references"] = per_file(
        lambda p, d: rename.legacy_references(p, d, renames), mentioning
    )
print(json.dumps(result))
"""


def measure(python: str, src: Path, repo: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    output = subprocess.run(
        [python, "-c", WORKER, str(repo)], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=1500, help="Files to generate.")
    parser.add_argument("--seed", type=int, default=0, help="Generator seed.")
    parser.add_argument("--rounds", type=int, default=3, help="Alternating rounds (best kept).")
    parser.add_argument("--python", default=sys.executable, help="An interpreter with libcst.")
    parser.add_argument("--baseline-src", type=Path, help="Another core to compare with.")
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/lk-bench-detector"), help="Scratch folder."
    )
    args = parser.parse_args()

    repo = args.workdir / "repo"
    generate_monorepo(repo, args.files, args.seed)
    sources = {"this checkout": PROJECT_ROOT / "src" / "python"}
    if args.baseline_src:
        sources["baseline"] = args.baseline_src.resolve()
    best: dict[str, dict[str, float]] = {name: {} for name in sources}
    started = time.strftime("%Y-%m-%d %H:%M:%S %z")
    for round_ in range(args.rounds):
        for name, src in sources.items():
            log(f"round {round_ + 1}/{args.rounds}: {name}")
            for key, value in measure(args.python, src, repo).items():
                kept = best[name].get(key)
                best[name][key] = value if kept is None else min(kept, value)

    ours = best["this checkout"]
    keys = ["analyze_imports", "legacy_references", "rewrite_source", "libcst.parse", "ast.parse"]
    rows = [
        [key, *(f"{best[name][key]:.2f} ms" if key in best[name] else "-" for name in sources)]
        for key in keys
    ]
    ratios = [
        [
            "legacy_references / libcst.parse",
            f"{ours['legacy_references'] / ours['libcst.parse']:.2f}",
        ],
        ["legacy_references / ast.parse", f"{ours['legacy_references'] / ours['ast.parse']:.1f}"],
    ]
    if "baseline" in best:
        base = best["baseline"]
        ratios += [
            [
                "analyze_imports: this / baseline",
                f"{ours['analyze_imports'] / base['analyze_imports']:.2f}",
            ],
            [
                "rewrite_source: this / baseline",
                f"{ours['rewrite_source'] / base['rewrite_source']:.2f}",
            ],
        ]
    info = machine_info()
    text = "\n".join(
        [
            f"`python3 benchmarks/legacy_detector_benchmark.py --files {args.files} "
            f"--rounds {args.rounds}{' --baseline-src ...' if args.baseline_src else ''}`, "
            f"started {started}; best of {args.rounds} alternating rounds.",
            "",
            f"- Machine: {info.get('cores')} cores, "
            f"load average {os.getloadavg()[0]:.2f} at the end.",
            f"- {ours['files']} files; {ours['mentioning']} may mention `matriz` (the pre-filter): "
            "`analyze_imports` is per file over all files, the rest per file over those.",
            "",
            markdown_table(["per file", *sources], rows),
            "",
            markdown_table(["ratio", "value"], ratios),
        ]
    )
    print(text)
    (args.workdir / "legacy_detector_benchmark.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
