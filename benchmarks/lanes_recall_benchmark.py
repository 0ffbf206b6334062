"""Recall and precision of the `lanes` linter on a messy monorepo, against an independent resolver.

    python3 benchmarks/lanes_recall_benchmark.py [--files 3000] [--groups 10] [--seed 0]
        [--workdir /tmp/lk-recall] [--pantsd-max-memory 12GiB]

1. generates `<workdir>/repo` with gen_monorepo.py, adds messy_monorepo.py's traits (a module
   shadowed by a package, statements over several lines, relative imports across lanes,
   imports of lane modules that do not exist, files that are not UTF-8 or do not parse,
   directories with one file), writes its `pants.toml` and commits it;
2. runs `./pants --no-pantsd lint --only=lanes ::` once, and reads its findings;
3. resolves every import statement of every file that Python's `ast` can read with an
   independent resolver, which shares no code with lanekeeper: `ast` for the statements, the
   file tree under `src` for the modules (a package before a module before a namespace
   directory, as Python's path finder looks), the longest existing prefix of a module that
   does not exist, and `lanes.json` for the lanes;
4. compares the violating statements (file, line, column) of both, and with what the
   generators planted, and prints a Markdown report (also `<workdir>/lanes_recall.md`, raw
   data in `<workdir>/lanes_recall.json`);
5. with `--compare-with DIR` (another lanekeeper checkout, e.g. `git worktree add DIR main`),
   runs that checkout's linter on the same repo too: once as is, then with the files that are
   not UTF-8 moved aside (they stop linters that hand them to Pants' parser), and reports its
   recall beside this checkout's.

Target: lanekeeper reports 100% of the resolver's violating statements and nothing else, on
the files `ast` can read. Statements lanekeeper also finds in files `ast` cannot read (they do
not parse) are reported apart: the resolver cannot check them.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bench_common import (
    PANTSD_CAP_NOTE,
    PantsCaches,
    commit_all,
    fmt_seconds,
    generate_monorepo,
    install_pants_script,
    log,
    machine_info,
    markdown_table,
    policy_sections,
    run_timed,
    stop_pantsd,
    write_bench_pants_toml,
)
from messy_monorepo import add_messy_traits

FINDING = re.compile(r"^(?P<file>\S+?):(?P<line>\d+):(?P<col>\d+) (?P<code>LK00[1-4]) ")
Statement = tuple[str, int, int]  # (file, line, column)


# --------------------------------------------------------------------------- the resolver


@dataclass(frozen=True)
class Policy:
    """`lanes.json`: each lane's path prefixes, and what each lane may import."""

    prefixes: dict[str, list[str]]
    allowed: dict[str, set[str]]

    @classmethod
    def load(cls, path: Path) -> Policy:
        lanes = json.loads(path.read_text(encoding="utf-8"))
        prefixes: dict[str, list[str]] = {}
        for lane, globs in lanes["paths"].items():
            for glob in globs:
                assert glob.endswith("/**") and "*" not in glob[:-3], glob
                prefixes.setdefault(lane, []).append(glob[:-3] + "/")
        allowed = {lane: set(lanes["allowed_imports"].get(lane, ())) | {lane} for lane in prefixes}
        return cls(prefixes, allowed)

    def lane(self, path: str) -> Optional[str]:
        for lane, prefixes in self.prefixes.items():
            if any(path.startswith(prefix) or path + "/" == prefix for prefix in prefixes):
                return lane
        return None


class Resolver:
    """Where a dotted module lives under the source root, looked up in the file tree."""

    def __init__(self, repo: Path, source_root: str = "src") -> None:
        self.repo = repo
        self.root = repo / source_root
        self.cache: dict[str, Optional[str]] = {}

    def find(self, module: str) -> Optional[str]:
        """The repo-relative path Python imports `module` from: a package's `__init__.py`, a
        module's file, or a namespace package's directory; None if there is none."""
        if module not in self.cache:
            base = self.root.joinpath(*module.split("."))
            found: Optional[Path] = None
            if (base / "__init__.py").is_file():
                found = base / "__init__.py"
            elif base.with_name(base.name + ".py").is_file():
                found = base.with_name(base.name + ".py")
            elif base.is_dir():
                found = base / "__init__.py"  # a namespace package, laned as its directory
            self.cache[module] = None if found is None else found.relative_to(self.repo).as_posix()
        return self.cache[module]

    def origin(self, name: str, module: str) -> Optional[str]:
        """The file a name comes from; for a module that does not exist, its longest existing
        prefix's; None when no part of it is first-party (stdlib, third party)."""
        found = self.find(name)
        if found is None and name != module:
            found = self.find(module)  # `from m import n`: n may be a name inside m
        parts = name.split(".")
        for length in range(len(parts) - 1, 0, -1):
            if found is not None:
                break
            found = self.find(".".join(parts[:length]))
        return found


def _package(path: str) -> list[str]:
    """The package parts of a file under `src` (relative imports resolve against it)."""
    return path.split("/")[1:-1]


def resolver_statements(
    repo: Path, policy: Policy, resolver: Resolver
) -> tuple[set[Statement], int, list[str]]:
    """The violating import statements of every file `ast` reads; the number of statements
    read; the files it could not read."""
    violating: set[Statement] = set()
    statements = 0
    unreadable: list[str] = []
    for file in sorted((repo / "src").rglob("*.py")):
        path = file.relative_to(repo).as_posix()
        try:
            tree = ast.parse(file.read_bytes())  # bytes: honours PEP 263 coding lines
        except (SyntaxError, ValueError):
            unreadable.append(path)
            continue
        importer = policy.lane(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [(alias.name, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                package = _package(path)
                if node.level:
                    if node.level - 1 >= len(package):
                        continue
                    base_parts = package[: len(package) - node.level + 1]
                    base = ".".join(base_parts + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                names = [
                    (base if alias.name == "*" else f"{base}.{alias.name}", base)
                    for alias in node.names
                ]
            else:
                continue
            statements += 1
            if importer is None:
                continue
            for name, module in names:
                origin = resolver.origin(name, module)
                lane = policy.lane(origin) if origin else None
                if lane is not None and lane not in policy.allowed[importer]:
                    violating.add((path, node.lineno, node.col_offset + 1))
                    break
    return violating, statements, unreadable


# --------------------------------------------------------------------------- the run


def lanekeeper_findings(output: str) -> dict[str, set[Statement]]:
    found: dict[str, set[Statement]] = {}
    for line in output.splitlines():
        match = FINDING.match(line)
        if match:
            statement = (match["file"], int(match["line"]), int(match["col"]))
            found.setdefault(match["code"], set()).add(statement)
    return found


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def compare(
    args: argparse.Namespace,
    repo: Path,
    expected: set[Statement],
    unreadable: set[str],
    run_lint: Any,
) -> list[list[Any]]:
    """Rows of another checkout's linter on the same repo, counted like this checkout's (on the
    files `ast` reads): as is, then without the files that are not UTF-8 (put back after)."""
    write_bench_pants_toml(
        repo,
        project_root=args.compare_with,
        pantsd_max_memory=args.pantsd_max_memory,
        extra_sections=policy_sections(repo),
    )
    rows: list[list[Any]] = []
    aside = args.workdir / "aside"
    moved: list[Path] = []
    for label in ("as is", "files that are not UTF-8 moved aside"):
        result, reported, _ = run_lint(f"compare-{len(rows)}")
        found = {s for s in reported if s[0] not in unreadable}
        crashed = "Failed to convert digest bytes to utf-8" in result.output
        present = {s for s in expected if (repo / s[0]).exists()}
        both = len(found & present)
        rows.append(
            [
                str(args.compare_with),
                label,
                fmt_seconds(result.seconds),
                f"{result.returncode}{' (IntrinsicError)' if crashed else ''}",
                len(found),
                _percent(both, len(present)),
                _percent(both, len(found)),
            ]
        )
        if moved:
            break
        for file in sorted((repo / "src").rglob("*.py")):
            try:
                file.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                target = aside / file.relative_to(repo)
                target.parent.mkdir(parents=True, exist_ok=True)
                file.rename(target)
                moved.append(target)
    for target in moved:
        target.rename(repo / target.relative_to(aside))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=3000, help="Files gen_monorepo.py writes.")
    parser.add_argument("--groups", type=int, default=10, help="Messy packages per lane.")
    parser.add_argument("--seed", type=int, default=0, help="Generator seed.")
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/lk-recall"), help="Scratch folder."
    )
    parser.add_argument("--pantsd-max-memory", default="12GiB", help=PANTSD_CAP_NOTE)
    parser.add_argument("--compare-with", type=Path, help="Another lanekeeper checkout to run.")
    args = parser.parse_args()
    work: Path = args.workdir
    repo = work / "repo"

    base = generate_monorepo(repo, args.files, args.seed)
    messy = add_messy_traits(repo, args.groups, args.seed)
    write_bench_pants_toml(
        repo, pantsd_max_memory=args.pantsd_max_memory, extra_sections=policy_sections(repo)
    )
    install_pants_script(repo)
    commit_all(repo, "recall benchmark repo", ignore=("/dist/", "/.pants.d/", "/.pids/"))
    caches = PantsCaches(repo, work / "pants-caches")

    log("resolving every import statement independently")
    policy = Policy.load(repo / "lanes.json")
    expected, read, unreadable = resolver_statements(repo, policy, Resolver(repo))

    def run_lint(label: str) -> tuple[Any, set[Statement], dict[str, set[Statement]]]:
        log(f"running ./pants lint --only=lanes :: ({label})")
        stop_pantsd(repo)
        result = run_timed(
            label,
            ["./pants", "--no-pantsd", "--no-dynamic-ui", "lint", "--only=lanes", "::"],
            cwd=repo,
            env=caches.env(),
            timeout=3600,
            log_dir=work / "logs",
        )
        by_code = lanekeeper_findings(result.output)
        imports = set().union(*(by_code.get(code, set()) for code in ("LK001", "LK002", "LK003")))
        return result, imports, by_code

    comparison: list[list[Any]] = []
    if args.compare_with:
        comparison = compare(args, repo, expected, set(unreadable), run_lint)
        write_bench_pants_toml(
            repo, pantsd_max_memory=args.pantsd_max_memory, extra_sections=policy_sections(repo)
        )
    lint, statements_found, found = run_lint("lint")
    unparsed = set(unreadable)
    on_readable = {s for s in statements_found if s[0] not in unparsed}
    only_lanekeeper = on_readable - expected
    missed = expected - on_readable
    in_unreadable = statements_found - on_readable

    planted = {(p["file"], p["line"], p["col"]) for p in messy["statements"]}
    planted |= {(v["file"], v["line"], v["col"]) for v in base["lane_violations"]}
    planted_readable = {s for s in planted if s[0] not in unparsed}
    by_trait = Counter(p["trait"] for p in messy["statements"])
    found_by_trait = Counter(
        p["trait"]
        for p in messy["statements"]
        if (p["file"], p["line"], p["col"]) in statements_found
    )
    recall_ok = not missed and not only_lanekeeper

    machine = machine_info()
    report = [
        f"`python3 benchmarks/lanes_recall_benchmark.py --files {args.files} --groups "
        f"{args.groups} --seed {args.seed}`: {messy['files']} messy files added to a "
        f"{base['files']}-file generated repo. Machine: {machine['cores']} cores, "
        f"{machine.get('memory_gib', '?')} GiB, load {machine.get('loadavg', '?')}.",
        "",
        markdown_table(
            ["measurement", "value"],
            [
                ["import statements the resolver read", read],
                ["files `ast` cannot read (not UTF-8 undeclared, or no parse)", len(unparsed)],
                ["violating statements, independent resolver", len(expected)],
                ["violating statements, lanekeeper (files `ast` reads)", len(on_readable)],
                ["both", len(expected & on_readable)],
                [
                    "**recall** (lanekeeper / resolver)",
                    _percent(len(expected & on_readable), len(expected)),
                ],
                ["**precision**", _percent(len(expected & on_readable), len(on_readable))],
                [
                    "lanekeeper findings in files `ast` cannot read (read from tokens)",
                    len(in_unreadable),
                ],
                ["planted by the generators (files `ast` reads)", len(planted_readable)],
                ["planted by the generators (all files)", len(planted)],
                ["planted and reported by lanekeeper", len(planted & statements_found)],
                [
                    "LK001 / LK002 / LK003 / LK004",
                    " / ".join(str(len(found.get(f"LK00{n}", ()))) for n in range(1, 5)),
                ],
                ["`lint --only=lanes ::` (no pantsd, caches warm)", fmt_seconds(lint.seconds)],
            ],
        ),
        "",
        markdown_table(
            ["messy trait", "planted statements", "reported"],
            [[trait, by_trait[trait], found_by_trait[trait]] for trait in sorted(by_trait)],
        ),
        "",
        *(
            [
                markdown_table(
                    [
                        "checkout",
                        "run",
                        "time",
                        "exit",
                        "violating statements (files `ast` reads)",
                        "recall",
                        "precision",
                    ],
                    comparison,
                ),
                "",
            ]
            if comparison
            else []
        ),
        f"**Result**: {'100% recall, no false positives' if recall_ok else 'MISS'}"
        f" ({len(missed)} missed, {len(only_lanekeeper)} reported only by lanekeeper).",
    ]
    for label, items in (("missed", missed), ("only lanekeeper", only_lanekeeper)):
        for statement in sorted(items)[:20]:
            report.append(f"- {label}: {statement[0]}:{statement[1]}:{statement[2]}")
    text = "\n".join(report) + "\n"
    print(text)
    (work / "lanes_recall.md").write_text(text)
    (work / "lanes_recall.json").write_text(
        json.dumps(
            {
                "expected": sorted(expected),
                "lanekeeper": {code: sorted(items) for code, items in found.items()},
                "unreadable": sorted(unparsed),
                "missed": sorted(missed),
                "only_lanekeeper": sorted(only_lanekeeper),
                "lint": lint.to_json(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
