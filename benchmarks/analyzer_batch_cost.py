"""What the batch size costs, from the analyzer's own CPU time: a cold run against the batch one
edited file re-runs, on a generated monorepo.

    python3 benchmarks/analyzer_batch_cost.py --repo <generated repo> --python <analyzer venv's
        python, with libcst> [--sizes 32,64,128,256,512]

Runs `python -m lanekeeper.analyze` (import-health's `imports`, todo-audit's `todos`) directly,
without Pants, on 1, 32, 128 and 512 files, and takes the CPU time (user + sys: a shared
machine's load moves it far less than wall time). From those it derives, per batch size and
for the batches `stable_batches` really makes on the repo, the analyzer CPU of a cold run and
of the batch an edit re-runs, and import-health's cold CPU on its own batches, which put the
files that may mention a legacy name apart (`import_health_batches`). Pants' own per-process
costs (sandbox, PEX start-up) and ruff are not in these figures; they add to every process, so
they favour larger batches a little more.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from statistics import median

from bench_common import PROJECT_ROOT, markdown_table

sys.path.insert(0, str(PROJECT_ROOT / "src" / "python"))
from lanekeeper.import_health.analysis import import_health_batches  # noqa: E402
from lanekeeper.kernel.batches import stable_batches  # noqa: E402
from lanekeeper.rename.migration import may_mention  # noqa: E402

RENAMES = {"matriz": "MATRIZ"}
OPTIONS = {
    "imports": json.dumps({"today": "2026-11-22", "ttl_days": 90, "renames": RENAMES, "e402": {}}),
    "todos": "{}",
}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(python: str, repo: Path, kind: str, files: list[str], runs: int) -> float:
    """Mean CPU seconds of one analyzer process over `files`."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "src" / "python")}
    start = children_cpu()
    for _ in range(runs):
        subprocess.run(
            [python, "-m", "lanekeeper.analyze", kind, OPTIONS[kind], *files],
            cwd=repo,
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
    return (children_cpu() - start) / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True, help="A repo gen_monorepo.py wrote.")
    parser.add_argument("--python", required=True, help="An interpreter with libcst.")
    parser.add_argument("--sizes", default="32,64,128,256,512", help="Batch sizes to time.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per size (best kept).")
    args = parser.parse_args()
    paths = sorted(p.relative_to(args.repo).as_posix() for p in (args.repo / "src").rglob("*.py"))
    mentioning = {p for p in paths if may_mention((args.repo / p).read_bytes(), RENAMES)}
    quiet = [p for p in paths if p not in mentioning]
    largest = max(stable_batches(paths, 512), key=lambda batch: len(batch))
    sample = (list(largest) * 2)[:512]  # one batch's files, as a run of 512 would read them

    def cost(kind: str, files: list[str]) -> float:
        return process_cpu(args.python, args.repo, kind, files, args.runs)

    # (fixed cost of a process, cost per file): from 128 and 512 files of the same batch.
    fits = {}
    for kind in OPTIONS:
        at_128, at_512 = cost(kind, sample[:128]), cost(kind, sample[:512])
        per_file = (at_512 - at_128) / 384
        fits[kind] = (at_128 - 128 * per_file, per_file)
    quiet_start = cost("imports", quiet[:1])
    libcst_start = cost("imports", sorted(mentioning)[:1])
    print(
        f"{len(paths)} files, {len(mentioning)} may mention a legacy name; imports: "
        f"{fits['imports'][1] * 1000:.1f} ms a file, a process {quiet_start:.2f} s "
        f"({libcst_start:.2f} s when it loads libcst); todos: {fits['todos'][1] * 1000:.1f} ms "
        f"a file, a process {fits['todos'][0]:.2f} s"
    )

    def batch_cpu(batch: tuple[str, ...]) -> float:
        start = libcst_start if mentioning.intersection(batch) else quiet_start
        return (
            start
            + len(batch) * fits["imports"][1]
            + fits["todos"][0]
            + len(batch) * fits["todos"][1]
        )

    def imports_cold(batches: tuple[tuple[str, ...], ...]) -> tuple[int, float]:
        """(batches that load libcst, the CPU of import-health's analysis over `batches`)."""
        with_libcst = sum(1 for b in batches if mentioning.intersection(b))
        return with_libcst, (
            with_libcst * libcst_start
            + (len(batches) - with_libcst) * quiet_start
            + len(paths) * fits["imports"][1]
        )

    contents = {p: (args.repo / p).read_bytes() for p in paths}
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        batches = stable_batches(paths, size)
        with_libcst, imports_mixed = imports_cold(batches)
        # import-health's own batches: the files that may mention a legacy name apart.
        apart = import_health_batches(contents, RENAMES, size)
        apart_libcst, imports_apart = imports_cold(apart)
        todos_cold = len(batches) * fits["todos"][0] + len(paths) * fits["todos"][1]
        edits = [batch_cpu(b) for b in batches]
        rows.append(
            [
                size,
                len(batches),
                f"{median(len(b) for b in batches):.0f} / {max(len(b) for b in batches)}",
                with_libcst,
                f"{imports_mixed:.0f} s",
                f"{len(apart)}, {apart_libcst} load libcst: {imports_apart:.0f} s",
                f"{todos_cold:.0f} s",
                f"{median(edits):.1f} s / {max(edits):.1f} s",
            ]
        )
    headers = [
        "batch size",
        "batches",
        "median / largest batch",
        "batches that load libcst",
        "import-health analysis, cold (CPU)",
        "the same, legacy candidates batched apart (import-health's batches)",
        "todo-audit scan, cold (CPU)",
        "re-run after an edit, both goals (CPU, median / worst batch)",
    ]
    print(markdown_table(headers, rows))


if __name__ == "__main__":
    main()
