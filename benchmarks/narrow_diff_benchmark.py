"""Measure how narrow `pants matriz-migrate --apply`'s diff is on a repo that is not
formatter-clean: lines changed per reference renamed, side by side with formatting every
rewritten file (what the format step did before issue 18).

    python3 benchmarks/narrow_diff_benchmark.py [--files 2000] [--seed 0]
        [--workdir /tmp/lk-bench-nd]

A generated monorepo gets black (line length 100) and ruff's import sorting, as `pants fix`
runs them, and every file one line that black would reformat, so no file is formatter-clean.
Then, from the same commit: (1) `matriz-migrate --apply` (narrow); (2) the old behaviour,
`matriz-migrate --apply --no-matriz-migrate-fmt` followed by `pants fix` on the rewritten
files. A changed line counts once (replaced, added or removed), as
`lanekeeper.rename.narrow_rewrite` counts it; git's insertions and deletions are shown too.
Writes Markdown to stdout and `<workdir>/narrow_diff_benchmark.md`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench_common import (
    PANTSD_CAP_NOTE,
    PROJECT_ROOT,
    commit_all,
    generate_monorepo,
    install_pants_script,
    log,
    markdown_table,
    policy_sections,
    run_checked,
    stop_pantsd,
    tools_resolve_sections,
    write_bench_pants_toml,
)

sys.path.insert(0, str(PROJECT_ROOT / "src" / "python"))
from lanekeeper.rename.narrow_rewrite import (
    changed_lines,  # noqa: E402 (the core, from the project)
)

PYPROJECT = """[tool.black]
line-length = 100

[tool.ruff]
line-length = 100

[tool.ruff.lint]
select = ["I"]
"""
# Black rewrites this line (quotes, spacing): every file stops being formatter-clean.
MESSY_LINE = "\n_not_black_clean = { 'spacing':[1,2 ,3] }\n"
TARGET = 1.5


def prepare(args: argparse.Namespace) -> Path:
    repo = args.workdir / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    generate_monorepo(repo, args.files, args.seed)
    sections = {**policy_sections(repo), **tools_resolve_sections(repo)}
    # Pants' own ruff (the import sorting `pants fix` runs), not the one import-health brings.
    sections["ruff"] = {"install_from_resolve": "tools", "requirements": ["ruff"]}
    sections["black"] = {
        "install_from_resolve": "tools",
        "requirements": ["black"],
        "interpreter_constraints": ["CPython==3.11.*"],
    }
    write_bench_pants_toml(
        repo,
        backend_packages=(
            "pants.backend.python",
            "pants.backend.python.lint.black",
            "pants.backend.experimental.python.lint.ruff",
            "lanekeeper_pants",
        ),
        pantsd_max_memory=args.pantsd_max_memory,
        extra_sections=sections,
    )
    (repo / "pyproject.toml").write_text(PYPROJECT)
    for path in sorted((repo / "src").rglob("*.py")):
        path.write_text(path.read_text() + MESSY_LINE)
    install_pants_script(repo)
    commit_all(
        repo, "benchmark repo, not formatter-clean", ignore=("/dist/", "/.pants.d/", "/.pids/")
    )
    return repo


def pants(repo: Path, *argv: str) -> str:
    log(f"./pants {' '.join(argv)}")
    # One run each: no pantsd (on a loaded machine it can take over a minute to start).
    command = ["./pants", "--no-pantsd", *argv]
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"./pants {' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def measure(repo: Path) -> dict[str, int]:
    """Changed lines and git's numstat of the working tree against HEAD; then reset it."""
    files = run_checked(["git", "diff", "--name-only", "HEAD"], cwd=repo).split()
    lines = 0
    for name in files:
        old = subprocess.run(["git", "show", f"HEAD:{name}"], cwd=repo, capture_output=True)
        lines += changed_lines(old.stdout, (repo / name).read_bytes())
    numstat = run_checked(["git", "diff", "--numstat", "HEAD"], cwd=repo).splitlines()
    insertions = sum(int(line.split()[0]) for line in numstat)
    deletions = sum(int(line.split()[1]) for line in numstat)
    run_checked(["git", "checkout", "-q", "HEAD", "--", "src"], cwd=repo)
    return {"files": len(files), "lines": lines, "insertions": insertions, "deletions": deletions}


def references(repo: Path) -> int:
    out = repo / "dist" / "matriz-migrate"
    return sum(len(json.loads(p.read_text())["changes"]) for p in sorted(out.glob("dryrun_*.json")))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=2000, help="Files to generate.")
    parser.add_argument("--seed", type=int, default=0, help="Generator seed.")
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/lk-bench-nd"), help="Scratch folder."
    )
    parser.add_argument("--pantsd-max-memory", default="12GiB", help=PANTSD_CAP_NOTE)
    args = parser.parse_args()
    repo = prepare(args)
    try:
        pants(repo, "matriz-migrate", "--apply", "::")
        renamed = references(repo)
        narrow = measure(repo)
        pants(repo, "matriz-migrate", "--apply", "--no-matriz-migrate-fmt", "::")
        rewritten = run_checked(["git", "diff", "--name-only", "HEAD"], cwd=repo).split()
        pants(repo, "fix", *rewritten)
        everything = measure(repo)
    finally:
        stop_pantsd(repo)  # none should run; by its pid if one does
    rows = []
    for label, counts in (
        ("formatted only if formatter-clean (issue 18)", narrow),
        ("every rewritten file formatted (before)", everything),
    ):
        ratio = counts["lines"] / renamed if renamed else 0.0
        rows.append(
            (
                label,
                counts["files"],
                renamed,
                counts["lines"],
                f"+{counts['insertions']} -{counts['deletions']}",
                f"{ratio:.2f}",
            )
        )
    ok = renamed and narrow["lines"] / renamed <= TARGET
    report = "\n".join(
        [
            f"`python3 benchmarks/narrow_diff_benchmark.py --files {args.files} --seed "
            f"{args.seed}`: no file formatter-clean (black line length 100, ruff isort).",
            "",
            markdown_table(
                (
                    "format step",
                    "files",
                    "references renamed",
                    "lines changed",
                    "git",
                    "lines / reference",
                ),
                rows,
            ),
            "",
            f"Target: lines changed / references renamed <= {TARGET}: "
            f"{'PASS' if ok else 'MISS'}.",
        ]
    )
    print(report)
    (args.workdir / "narrow_diff_benchmark.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
