"""Benchmark the lanekeeper `lanes` linter on a generated monorepo, side by side with its
baselines (Pants' own `dependencies ::`, and import-linter with the same rules), and check
its findings against the generator's manifest of planted lane violations.

    python3 benchmarks/lanes_benchmark.py [--files 10000] [--seed 0] [--workdir /tmp/lk-bench]
        [--runs 3] [--cold-runs 1] [--pantsd-max-memory 12GiB] [--skip-import-linter]

What it does, in one run:

1. generates `<workdir>/repo` with gen_monorepo.py (reused when it holds the same
   --files/--seed), writes its `pants.toml` (this checkout's plugins, the project's
   bootstrap settings, `[lanes]` from the generated `lanes.json`, a raised pantsd memory
   cap), copies `./pants` into it, and commits it to a local git repo (for
   `--changed-since=HEAD`);
2. cold runs: for each, pantsd stopped and Pants' local store, named caches and `.pants.d`
   deleted, then `./pants --no-pantsd ...`: `dependencies ::`, then `lint --only=lanes ::`;
3. warm rounds (interleaved, --runs of each): `dependencies ::` with pantsd,
   `lint --only=lanes ::` with pantsd and with `--no-pantsd`, import-linter cold (its cache
   deleted) and warm;
4. changed-file rounds (--runs): a function is appended to one mid-graph module of a
   production lane, a different one before each command, then `dependencies ::`,
   `lint --only=lanes ::` and `lint --only=lanes --changed-since=HEAD
   --changed-dependents=transitive` run with pantsd; the file is restored afterwards;
5. compares the `LK001` findings with `planted.json`, and prints a Markdown report (also
   written to `<workdir>/lanes_benchmark.md`, raw data to `<workdir>/lanes_benchmark.json`).

Every pantsd this script starts is stopped before it exits. Logs of every command are kept
under `<workdir>/logs/<timestamp>/`.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# `python3 benchmarks/lanes_benchmark.py` puts this directory first on sys.path.
from bench_common import (
    PANTSD_CAP_NOTE,
    PROJECT_ROOT,
    CommandResult,
    PantsCaches,
    RatioCheck,
    Summary,
    commit_all,
    fmt_bytes,
    fmt_summary,
    generate_monorepo,
    install_pants_script,
    log,
    machine_info,
    markdown_table,
    pantsd_pid,
    process_rss_bytes,
    ratio_check,
    restore_from_head,
    run_checked,
    run_timed,
    stop_pantsd,
    summarize,
    write_bench_pants_toml,
)

LK001 = re.compile(
    r"^(?P<file>\S+?):(?P<line>\d+):(?P<col>\d+):? LK001 (?P<module>\S+) "
    r"\(lane (?P<imported_lane>[^)]+)\) may not be imported from lane (?P<importer_lane>\S+)"
)
IMPORT_LINTER_IMPORT = re.compile(
    r"^-\s+(?P<importer>[\w.]+) -> (?P<imported>[\w.]+) \((?P<lines>l\.[^)]*)\)\s*$"
)
GIT_IGNORED = ["/.pants.d/", "/.pids/", "/.pants.workdir.file_lock*", "/.import_linter_cache/"]
GIT_IGNORED += ["__pycache__/", "/dist/"]

DEPS = ["dependencies", "::"]
LINT = ["lint", "--only=lanes", "::"]
LINT_CHANGED_SINCE = ["lint", "--only=lanes", "--changed-since=HEAD"]
LINT_CHANGED_SINCE += ["--changed-dependents=transitive"]
NO_PANTSD = ["--no-pantsd"]


# --------------------------------------------------------------------------- measurements


@dataclass
class Measurement:
    key: str
    title: str
    note: str = ""
    informational: bool = False  # shown for reference; no target is about it
    results: list[CommandResult] = field(default_factory=list)
    ok: list[bool] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    skipped: str = ""

    def add(self, result: CommandResult, ok: bool, why: str = "") -> None:
        self.results.append(result)
        self.ok.append(ok)
        if not ok:
            self.failures.append(why or _failure_reason(result))

    @property
    def summary(self) -> Summary:
        """Timings of the successful runs only."""
        return summarize(r.seconds for r, good in zip(self.results, self.ok) if good)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "note": self.note,
            "informational": self.informational,
            **self.summary.to_json(),
            "failures": self.failures,
            "skipped": self.skipped,
            "commands": [dict(r.to_json(), ok=good) for r, good in zip(self.results, self.ok)],
        }


def _failure_reason(result: CommandResult) -> str:
    if result.timed_out:
        return "timed out"
    lines = [ln.strip() for ln in result.output.splitlines() if ln.strip()]
    for pattern in ("Unrecognized", "Error", "ERROR", "error:", "Exception"):
        for ln in lines:
            if pattern in ln:
                return f"exit {result.returncode}: {ln[:300]}"
    return f"exit {result.returncode}: {lines[-1][:300] if lines else '(no output)'}"


def record(m: Measurement, result: CommandResult, ok: bool, why: str = "") -> None:
    if not ok:
        log(f"  {m.key}: FAILED ({why or _failure_reason(result)}); log: {result.log_path}")
    else:
        log(f"  {m.key}: {result.seconds:.2f} s")
    m.add(result, ok, why)


# --------------------------------------------------------------------------- the lanes linter


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    col: int
    module: str
    imported_lane: str
    importer_lane: str


def parse_lk001(output: str) -> tuple[list[Finding], int]:
    """The LK001 findings in a lint output, and how many lack the `  fix:` line after them."""
    findings: list[Finding] = []
    without_fix = 0
    lines = output.splitlines()
    for i, raw in enumerate(lines):
        match = LK001.match(raw.strip())
        if not match:
            continue
        path = match["file"]
        if path.startswith("./"):
            path = path[2:]
        findings.append(
            Finding(
                path,
                int(match["line"]),
                int(match["col"]),
                match["module"],
                match["imported_lane"],
                match["importer_lane"],
            )
        )
        if i + 1 >= len(lines) or not lines[i + 1].startswith("  fix:"):
            without_fix += 1
    return findings, without_fix


def lanes_linter_ran(result: CommandResult) -> bool:
    """Did `lint --only=lanes` actually run the lanes linter (with or without findings)?"""
    if result.returncode not in (0, 1):
        return False
    out = result.output
    if parse_lk001(out)[0]:
        return True
    return re.search(r"\blanes (succeeded|failed)\b", out) is not None


# --------------------------------------------------------------------------- import-linter


def importlinter_config(lanes: dict[str, Any]) -> tuple[str, int]:
    """An `.importlinter` expressing the lane rules: for each lane or library X, a
    `forbidden` contract from X to every other lane or library X may not import. Direct
    imports only (`allow_indirect_imports`), like a lane violation."""
    names = list(lanes["order"]) + list(lanes["libraries"])
    allowed = lanes["allowed_imports"]
    out = ["[importlinter]", "root_packages ="] + [f"    {n}" for n in names]
    out += ["include_external_packages = False", ""]
    contracts = 0
    for name in names:
        forbidden = [
            other for other in names if other != name and other not in allowed.get(name, [])
        ]
        if not forbidden:
            continue
        contracts += 1
        out += [
            f"[importlinter:contract:lane-{name}]",
            f"name = lane {name} may import only: {', '.join(allowed.get(name, [])) or 'itself'}",
            "type = forbidden",
            "source_modules =",
            f"    {name}",
            "forbidden_modules =",
            *[f"    {other}" for other in forbidden],
            "allow_indirect_imports = True",
            "",
        ]
    return "\n".join(out), contracts


def parse_importlinter(output: str, src_root: Path, repo: Path) -> list[tuple[str, int]]:
    """(file, line) of each forbidden import in lint-imports' report of broken contracts."""
    found: list[tuple[str, int]] = []
    for raw in output.splitlines():
        match = IMPORT_LINTER_IMPORT.match(raw.strip())
        if not match:
            continue
        parts = match["importer"].split(".")
        module_file = src_root.joinpath(*parts).with_suffix(".py")
        if not module_file.exists():
            module_file = src_root.joinpath(*parts, "__init__.py")
        rel = module_file.relative_to(repo).as_posix()
        for item in match["lines"].split(","):
            number = item.strip().removeprefix("l.")
            found.append((rel, int(number) if number.isdigit() else 0))
    return found


def setup_importlinter(venv: Path) -> tuple[Path | None, str]:
    """Install import-linter into ``venv`` (reused if present); (lint-imports, version)."""
    exe = venv / "bin" / "lint-imports"
    if not exe.exists():
        log(f"installing import-linter into {venv}")
        shutil.rmtree(venv, ignore_errors=True)
        run_checked([sys.executable, "-m", "venv", venv], cwd=venv.parent)
        run_checked([venv / "bin" / "pip", "install", "--quiet", "import-linter"], cwd=venv.parent)
    version = run_checked(
        [
            venv / "bin" / "python",
            "-c",
            "import importlib.metadata as m; print(m.version('import-linter'))",
        ],
        cwd=venv.parent,
    ).strip()
    return exe, version


# --------------------------------------------------------------------------- the edited module


@dataclass(frozen=True)
class EditTarget:
    path: Path
    rel: str
    module: str
    lane: str
    direct_importers: int
    direct_imports: int
    transitive_dependents: int


def module_graph(src_root: Path) -> tuple[dict[str, Path], dict[str, set[str]]]:
    """First-party modules under ``src_root`` and their imports (module -> imported modules)."""
    modules: dict[str, Path] = {}
    for path in src_root.rglob("*.py"):
        parts = list(path.relative_to(src_root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            modules[".".join(parts)] = path
    imports: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
                targets = [t if t in modules else node.module for t in targets]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    imports[name].add(target)
    return modules, imports


def choose_edit_target(repo: Path, lanes: dict[str, Any]) -> EditTarget:
    """A module of a production lane in the middle of the import graph: imported and
    importing, with the median number of transitive dependents among a sample."""
    src_root = repo / "src"
    modules, imports = module_graph(src_root)
    importers: dict[str, set[str]] = {name: set() for name in modules}
    for name, targets in imports.items():
        for target in targets:
            importers[target].add(name)
    production = set(lanes["production"])
    candidates = sorted(
        name
        for name, path in modules.items()
        if name.split(".")[0] in production
        and path.name != "__init__.py"
        and importers[name]
        and imports[name]
    )
    if not candidates:
        raise RuntimeError("no production-lane module that both imports and is imported")
    step = max(1, len(candidates) // 41)
    sample = candidates[::step]

    def dependents(start: str) -> int:
        seen = {start}
        todo = [start]
        while todo:
            for importer in importers[todo.pop()]:
                if importer not in seen:
                    seen.add(importer)
                    todo.append(importer)
        return len(seen) - 1

    scored = sorted((dependents(name), name) for name in sample)
    count, name = scored[len(scored) // 2]
    path = modules[name]
    return EditTarget(
        path=path,
        rel=path.relative_to(repo).as_posix(),
        module=name,
        lane=name.split(".")[0],
        direct_importers=len(importers[name]),
        direct_imports=len(imports[name]),
        transitive_dependents=count,
    )


# --------------------------------------------------------------------------- the benchmark


class LanesBenchmark:
    def __init__(self, args: argparse.Namespace, argv: list[str]) -> None:
        self.args = args
        self.argv = argv
        self.lanes: dict[str, Any] = {}
        self.workdir: Path = args.workdir.resolve()
        self.repo = self.workdir / "repo"
        self.project_root: Path = args.project_root.resolve()
        self.caches = PantsCaches(self.repo, self.workdir / "pants-caches")
        self.env = self.caches.env()
        self.log_dir = self.workdir / "logs" / time.strftime("%Y%m%d-%H%M%S")
        self.m: dict[str, Measurement] = {}
        self.pantsd_restarts: list[str] = []
        self.pantsd_rss: list[int] = []
        self.lint_outputs: list[tuple[str, list[Finding]]] = []
        self.lint_unavailable = ""
        self.edit: EditTarget | None = None
        self.edit_original: bytes | None = None
        self.il_exe: Path | None = None
        self.il_version = ""
        self.il_contracts = 0
        self.il_unavailable = "skipped (--skip-import-linter)" if args.skip_import_linter else ""
        self.il_found: list[tuple[str, int]] | None = None
        self.changed_since_findings: list[list[Finding]] = []
        self.started = time.strftime("%Y-%m-%d %H:%M:%S %z")
        self.machine = machine_info()

        def add(key: str, title: str, note: str = "", informational: bool = False) -> None:
            self.m[key] = Measurement(key, title, note, informational)

        add("deps_cold", "`dependencies ::` cold", "no pantsd, empty caches")
        add("deps_pantsd_start", "`dependencies ::` first pantsd run", "disk cache warm", True)
        add("deps_warm", "`dependencies ::` warm, pantsd", "no change (baseline)")
        add("deps_changed", "`dependencies ::` one changed file, pantsd", "", True)
        add("lint_cold", "`lint --only=lanes ::` cold", "no pantsd, empty caches")
        add("lint_pantsd_start", "`lint --only=lanes ::` first pantsd run", "disk cache warm", True)
        add("lint_warm", "`lint --only=lanes ::` warm, pantsd", "no change")
        add("lint_warm_nopantsd", "`lint --only=lanes ::` warm, `--no-pantsd`", "disk cache warm")
        add("lint_changed", "`lint --only=lanes ::` one changed file, pantsd")
        add(
            "lint_changed_since",
            "`lint --only=lanes --changed-since=HEAD --changed-dependents=transitive`",
            "one changed file, pantsd",
        )
        add("il_cold", "import-linter `lint-imports` cold", "its cache deleted")
        add("il_warm", "import-linter `lint-imports` warm", "its cache kept")

    # ----------------------------------------------------------------------- setup

    def setup(self) -> dict[str, Any]:
        self.workdir.mkdir(parents=True, exist_ok=True)
        manifest = generate_monorepo(self.repo, self.args.files, self.args.seed)
        stop_pantsd(self.repo)  # left over from an interrupted earlier run
        restored = restore_from_head(self.repo)
        if restored:
            log(f"restored files an interrupted earlier run had edited: {restored}")
        self.lanes = json.loads((self.repo / "lanes.json").read_text(encoding="utf-8"))
        policy_sections = {
            "order": self.lanes["order"],
            "libraries": self.lanes["libraries"],
            "production": self.lanes["production"],
            "paths": self.lanes["paths"],
            "allowed_imports": self.lanes["allowed_imports"],
        }
        write_bench_pants_toml(
            self.repo,
            project_root=self.project_root,
            pantsd_max_memory=self.args.pantsd_max_memory,
            extra_sections={"lanes": policy_sections},
        )
        install_pants_script(self.repo, self.project_root)
        config, self.il_contracts = importlinter_config(self.lanes)
        (self.repo / ".importlinter").write_text(config + "\n", encoding="utf-8")
        head = commit_all(self.repo, "generated benchmark repo", GIT_IGNORED)
        log(f"benchmark repo {self.repo} at commit {head[:12]}")
        self.edit = choose_edit_target(self.repo, self.lanes)
        self.edit_original = self.edit.path.read_bytes()
        log(
            f"module to edit: {self.edit.rel} ({self.edit.direct_importers} direct importers, "
            f"{self.edit.transitive_dependents} transitive dependents)"
        )
        if not self.args.skip_import_linter:
            try:
                self.il_exe, self.il_version = setup_importlinter(
                    self.workdir / "importlinter-venv"
                )
            except RuntimeError as exc:
                self.il_unavailable = f"install failed: {str(exc).splitlines()[0]}"
                log(f"import-linter: {self.il_unavailable}")
        return manifest

    # ----------------------------------------------------------------------- commands

    def pants(self, label: str, args: list[str]) -> CommandResult:
        return run_timed(
            label,
            ["./pants", *args],
            cwd=self.repo,
            env=self.env,
            timeout=self.args.timeout,
            log_dir=self.log_dir,
        )

    def pants_with_pantsd(self, label: str, args: list[str]) -> CommandResult:
        before = pantsd_pid(self.repo)
        result = self.pants(label, args)
        after = pantsd_pid(self.repo)
        if before is not None and after != before:
            self.pantsd_restarts.append(f"{label}: pid {before} -> {after}")
            log(f"  pantsd restarted during {label} (pid {before} -> {after})")
        if after is not None:
            rss = process_rss_bytes(after)
            if rss is not None:
                self.pantsd_rss.append(rss)
        return result

    def run_deps(self, key: str, label: str, pantsd: bool) -> None:
        args = DEPS if pantsd else NO_PANTSD + DEPS
        result = (self.pants_with_pantsd if pantsd else self.pants)(label, args)
        record(self.m[key], result, result.returncode == 0)

    def run_lint(self, key: str, label: str, args: list[str], pantsd: bool = True) -> list[Finding]:
        if self.lint_unavailable:
            return []
        full = args if pantsd else NO_PANTSD + args
        result = (self.pants_with_pantsd if pantsd else self.pants)(label, full)
        ran = lanes_linter_ran(result)
        record(self.m[key], result, ran)
        if not ran:
            if not self.lint_outputs:
                self.lint_unavailable = _failure_reason(result)
                log(f"the lanes linter is not available: {self.lint_unavailable}")
            return []
        findings, without_fix = parse_lk001(result.output)
        if without_fix:
            log(f"  {without_fix} LK001 lines without a following `  fix:` line in {label}")
        if key != "lint_changed_since":
            self.lint_outputs.append((label, findings))
        else:
            self.changed_since_findings.append(findings)
        return findings

    def run_importlinter(self, key: str, label: str, cold: bool) -> None:
        if self.il_exe is None:
            return
        if cold:
            shutil.rmtree(self.repo / ".import_linter_cache", ignore_errors=True)
        env = dict(os.environ, PYTHONPATH=str(self.repo / "src"), COLUMNS="1000")
        result = run_timed(
            label,
            [self.il_exe, "--no-logo", "--config", ".importlinter"],
            cwd=self.repo,
            env=env,
            timeout=self.args.timeout,
            log_dir=self.log_dir,
        )
        ok = result.returncode in (0, 1) and "Contracts:" in result.output
        record(self.m[key], result, ok)
        if ok and self.il_found is None:
            self.il_found = parse_importlinter(result.output, self.repo / "src", self.repo)

    def write_edit(self, tag: str) -> None:
        assert self.edit is not None and self.edit_original is not None
        text = self.edit_original.decode("utf-8")
        if not text.endswith("\n"):
            text += "\n"
        text += (
            f"\n\ndef _lanes_benchmark_edit_{tag}() -> str:\n"
            f'    """Appended by lanes_benchmark.py; removed when it finishes."""\n'
            f'    return "{tag}"\n'
        )
        self.edit.path.write_text(text, encoding="utf-8")

    def restore_edit(self) -> None:
        if self.edit is not None and self.edit_original is not None:
            if self.edit.path.read_bytes() != self.edit_original:
                self.edit.path.write_bytes(self.edit_original)

    # ----------------------------------------------------------------------- phases

    def run(self) -> None:
        runs, cold_runs = self.args.runs, self.args.cold_runs
        try:
            for i in range(1, cold_runs + 1):
                log(f"cold round {i}/{cold_runs}: pantsd stopped, Pants caches deleted")
                self.caches.reset_cold()
                self.run_deps("deps_cold", f"deps-cold-{i}", pantsd=False)
                if not self.lint_unavailable:
                    self.caches.reset_cold()
                    self.run_lint("lint_cold", f"lint-cold-{i}", LINT, pantsd=False)

            log("starting pantsd (first runs with pantsd, disk cache warm)")
            self.run_deps("deps_pantsd_start", "deps-pantsd-start", pantsd=True)
            self.run_lint("lint_pantsd_start", "lint-pantsd-start", LINT)

            for i in range(1, runs + 1):
                log(f"warm round {i}/{runs}")
                self.run_deps("deps_warm", f"deps-warm-{i}", pantsd=True)
                self.run_lint("lint_warm", f"lint-warm-{i}", LINT)
                self.run_lint("lint_warm_nopantsd", f"lint-warm-nopantsd-{i}", LINT, pantsd=False)
                self.run_importlinter("il_cold", f"importlinter-cold-{i}", cold=True)
                self.run_importlinter("il_warm", f"importlinter-warm-{i}", cold=False)

            for i in range(1, runs + 1):
                log(f"changed-file round {i}/{runs}: editing {self.edit.rel if self.edit else '?'}")
                try:
                    self.write_edit(f"deps_{i}")
                    self.run_deps("deps_changed", f"deps-changed-{i}", pantsd=True)
                    self.write_edit(f"lint_{i}")
                    self.run_lint("lint_changed", f"lint-changed-{i}", LINT)
                    self.write_edit(f"since_{i}")
                    self.run_lint(
                        "lint_changed_since", f"lint-changed-since-{i}", LINT_CHANGED_SINCE
                    )
                finally:
                    self.restore_edit()
        finally:
            self.restore_edit()
            stopped = stop_pantsd(self.repo)
            if stopped:
                log(f"stopped pantsd (pid {stopped}) of {self.repo}")

    # ----------------------------------------------------------------------- report

    def skip_reasons(self) -> None:
        for key, m in self.m.items():
            if m.summary.runs:
                continue
            if key.startswith("lint_") and self.lint_unavailable:
                m.skipped = f"lanes linter not available: {self.lint_unavailable}"
            elif key.startswith("il_") and self.il_unavailable:
                m.skipped = f"import-linter {self.il_unavailable}"
            elif m.failures:
                m.skipped = f"failed: {m.failures[0]}"

    def correctness(self, manifest: dict[str, Any]) -> dict[str, Any]:
        planted = {(v["file"], v["line"]): v for v in manifest["lane_violations"]}
        out: dict[str, Any] = {"planted": len(planted)}
        if not self.lint_outputs:
            out["lanekeeper"] = None
        else:
            label, findings = self.lint_outputs[0]
            found = {(f.file, f.line): f for f in findings}
            missing = sorted(set(planted) - set(found))
            extra = sorted(set(found) - set(planted))
            mismatched = [
                f"{f.file}:{f.line}"
                for key, f in sorted(found.items())
                if key in planted
                and (
                    f.col != planted[key]["col"]
                    or f.importer_lane != planted[key]["importer_lane"]
                    or f.imported_lane != planted[key]["imported_lane"]
                )
            ]
            consistent = all(
                {(f.file, f.line) for f in other} == set(found) for _, other in self.lint_outputs
            )
            subset = all(
                {(f.file, f.line) for f in run} <= set(found) for run in self.changed_since_findings
            )
            out["lanekeeper"] = {
                "from_run": label,
                "findings": len(findings),
                "unique_file_lines": len(found),
                "equal": not missing and not extra,
                "missing": [f"{f}:{ln}" for f, ln in missing],
                "extra": [f"{f}:{ln}" for f, ln in extra],
                "col_or_lane_mismatch": mismatched,
                "same_findings_in_every_full_run": consistent,
                "full_runs_compared": len(self.lint_outputs),
                "changed_since_findings": [len(r) for r in self.changed_since_findings],
                "changed_since_subset_of_full": subset,
            }
        if self.il_found is None:
            out["import_linter"] = None
        else:
            found_il = set(self.il_found)
            out["import_linter"] = {
                "contracts": self.il_contracts,
                "reported_imports": len(self.il_found),
                "unique_file_lines": len(found_il),
                "missing": [f"{f}:{ln}" for f, ln in sorted(set(planted) - found_il)],
                "extra": [f"{f}:{ln}" for f, ln in sorted(found_il - set(planted))],
            }
        return out

    def report(self, manifest: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        self.skip_reasons()
        m = self.m
        lint_why = "lanes linter not available" if self.lint_unavailable else ""
        il_why = self.il_unavailable
        checks: list[RatioCheck] = [
            ratio_check(
                "lint warm (pantsd) / `dependencies ::` warm (pantsd)",
                m["lint_warm"].summary,
                m["deps_warm"].summary,
                1.5,
                lint_why,
            ),
            ratio_check(
                "lint warm (pantsd) / lint cold",
                m["lint_warm"].summary,
                m["lint_cold"].summary,
                0.1,
                lint_why,
            ),
            ratio_check(
                "lint one changed file (pantsd) / lint cold",
                m["lint_changed"].summary,
                m["lint_cold"].summary,
                0.15,
                lint_why,
            ),
            ratio_check(
                "lint warm (pantsd) / import-linter warm",
                m["lint_warm"].summary,
                m["il_warm"].summary,
                1.0,
                lint_why or il_why,
            ),
        ]
        correctness = self.correctness(manifest)
        mach = self.machine
        cap = self.args.pantsd_max_memory
        peak_rss = max(self.pantsd_rss) if self.pantsd_rss else None
        edit = self.edit
        lines: list[str] = []
        lines.append(
            f"## `lanes` linter benchmark ({manifest['files']} files, seed {self.args.seed})"
        )
        lines.append("")
        lines.append(
            f"`python3 benchmarks/lanes_benchmark.py {' '.join(self.argv)}`, started "
            f"{self.started}. Warm measurements: {self.args.runs} interleaved rounds; cold: "
            f"{self.args.cold_runs}."
        )
        lines.append("")
        lines.append(
            f"- Machine: {mach.get('cores')} cores, {mach.get('memory_gib', '?')} GiB memory "
            f"({mach.get('memory_available_gib', '?')} GiB available at start), load average "
            f"{', '.join(str(x) for x in mach.get('loadavg', []))} at start; "
            f"{mach.get('platform')}."
        )
        lines.append(f"- pantsd memory cap: `{cap}`. {PANTSD_CAP_NOTE}.")
        lines.append(
            f"- pantsd peak RSS seen: {fmt_bytes(peak_rss)}; pantsd restarts during pantsd runs: "
            f"{len(self.pantsd_restarts)}"
            + (f" ({'; '.join(self.pantsd_restarts)})" if self.pantsd_restarts else "")
            + "."
        )
        lines.append(
            "- Cold: no pantsd running, `--no-pantsd`, and Pants' local store, named caches and "
            "`.pants.d` deleted (this benchmark keeps them under its workdir, not "
            "`~/.cache/pants`); the bootstrap venv and pex in `~/.cache/lanekeeper` stay."
        )
        if edit is not None:
            lines.append(
                f"- Changed file: a new function appended to `{edit.rel}` (lane {edit.lane}; "
                f"{edit.direct_importers} direct importers, {edit.transitive_dependents} "
                f"transitive dependents, {edit.direct_imports} first-party imports), different "
                "before each changed-file command; restored at the end."
            )
        if self.il_version:
            lines.append(
                f"- import-linter {self.il_version}: {self.il_contracts} `forbidden` contracts "
                "(one per lane or library, direct imports only), run with `src` on PYTHONPATH."
            )
        lines.append("")
        rows = []
        for key, meas in m.items():
            median, spread, runs = fmt_summary(meas.summary)
            note = meas.note
            if meas.skipped:
                note = (note + "; " if note else "") + meas.skipped
            elif meas.failures:
                note = (
                    note + "; " if note else ""
                ) + f"{len(meas.failures)} failed: {meas.failures[0]}"
            if meas.informational:
                note = (note + "; " if note else "") + "for reference"
            rows.append([meas.title, median, spread, runs, note])
        lines.append(markdown_table(["measurement", "median", "min - max", "runs", "notes"], rows))
        lines.append("")
        lines.append(
            markdown_table(
                ["ratio (medians)", "value", "target", "result"], [c.row() for c in checks]
            )
        )
        lines.append("")
        lines.append(self.findings_table(correctness))
        lines.append("")
        lines.append(self.correctness_text(correctness))
        lines.append("")
        text = "\n".join(lines)
        data = {
            "started": self.started,
            "argv": self.argv,
            "machine": mach,
            "pantsd_max_memory_usage": cap,
            "pantsd_peak_rss_bytes": peak_rss,
            "pantsd_restarts": self.pantsd_restarts,
            "repo": str(self.repo),
            "files": manifest["files"],
            "seed": self.args.seed,
            "edit_target": (
                None
                if edit is None
                else {
                    "file": edit.rel,
                    "lane": edit.lane,
                    "direct_importers": edit.direct_importers,
                    "transitive_dependents": edit.transitive_dependents,
                }
            ),
            "lanes_linter_unavailable": self.lint_unavailable or None,
            "import_linter": {
                "version": self.il_version or None,
                "contracts": self.il_contracts,
                "unavailable": self.il_unavailable or None,
            },
            "measurements": {k: v.to_json() for k, v in m.items()},
            "ratios": [c.to_json() for c in checks],
            "correctness": correctness,
            "logs": str(self.log_dir),
        }
        return text, data

    @staticmethod
    def findings_table(c: dict[str, Any]) -> str:
        lk, il = c["lanekeeper"], c["import_linter"]

        def cells(key: str) -> list[str]:
            out = []
            for tool in (lk, il):
                if tool is None:
                    out.append("not measured")
                else:
                    value = tool[key]
                    out.append(str(len(value) if isinstance(value, list) else value))
            return out

        rows = [
            [
                "lane violations: (file, line) reported",
                str(c["planted"]),
                *cells("unique_file_lines"),
            ],
            ["planted but not reported", "-", *cells("missing")],
            ["reported but not planted", "-", *cells("extra")],
        ]
        return markdown_table(["findings", "planted", "lanekeeper LK001", "import-linter"], rows)

    @staticmethod
    def correctness_text(c: dict[str, Any]) -> str:
        def examples(items: list[str]) -> str:
            return ", ".join(f"`{x}`" for x in items[:5]) + (" ..." if len(items) > 5 else "")

        out = []
        lk = c["lanekeeper"]
        if lk is None:
            out.append(
                f"**Correctness**: lanekeeper not measured (no lanes linter output); "
                f"{c['planted']} lane violations planted."
            )
        else:
            verdict = "EQUAL" if lk["equal"] else "DIFFERENT"
            text = (
                f"**Correctness**: lanekeeper reported {lk['unique_file_lines']} LK001 "
                "(file, line) "
                f"vs {c['planted']} planted: **{verdict}**"
            )
            if not lk["equal"]:
                text += f"; missing {len(lk['missing'])}"
                if lk["missing"]:
                    text += f" ({examples(lk['missing'])})"
                text += f", extra {len(lk['extra'])}"
                if lk["extra"]:
                    text += f" ({examples(lk['extra'])})"
            text += "."
            if lk["col_or_lane_mismatch"]:
                text += (
                    " Column or lanes differ from the manifest at "
                    f"{len(lk['col_or_lane_mismatch'])}: "
                    f"{examples(lk['col_or_lane_mismatch'])}."
                )
            text += (
                f" Same findings in all {lk['full_runs_compared']} full runs: "
                f"{'yes' if lk['same_findings_in_every_full_run'] else 'NO'}."
            )
            if lk["changed_since_findings"]:
                text += (
                    f" `--changed-since` runs reported {lk['changed_since_findings']} findings, "
                    f"a subset of the full run's: "
                    f"{'yes' if lk['changed_since_subset_of_full'] else 'NO'}."
                )
            out.append(text)
        il = c["import_linter"]
        if il is not None:
            text = (
                f"import-linter ({il['contracts']} contracts) reported {il['reported_imports']} "
                f"forbidden imports at {il['unique_file_lines']} (file, line) vs {c['planted']} "
                f"planted: missing {len(il['missing'])}"
            )
            if il["missing"]:
                text += f" ({examples(il['missing'])})"
            text += f", extra {len(il['extra'])}"
            if il["extra"]:
                text += f" ({examples(il['extra'])})"
            out.append(text + ".")
        return "\n\n".join(out)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--files", type=int, default=10000, help="files to generate (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    p.add_argument(
        "--workdir", type=Path, default=Path("/tmp/lk-bench"), help="default /tmp/lk-bench"
    )
    p.add_argument("--runs", type=int, default=3, help="warm and changed-file runs of each (3)")
    p.add_argument("--cold-runs", type=int, default=1, help="cold runs of each Pants command (1)")
    p.add_argument(
        "--pantsd-max-memory",
        default="12GiB",
        help="[GLOBAL].pantsd_max_memory_usage for the benchmark repo (default 12GiB; Pants' "
        "default 4GiB makes pantsd restart on every run at 10,000 files)",
    )
    p.add_argument("--skip-import-linter", action="store_true", help="do not run import-linter")
    p.add_argument(
        "--timeout", type=float, default=3600, help="seconds before one command is abandoned"
    )
    p.add_argument(
        "--project-root",
        type=Path,
        default=PROJECT_ROOT,
        help="the lanekeeper checkout whose plugins and ./pants to use (default: this one)",
    )
    args = p.parse_args(argv)
    if args.runs < 1 or args.cold_runs < 1:
        p.error("--runs and --cold-runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    bench = LanesBenchmark(args, argv)
    manifest = bench.setup()
    bench.run()
    text, data = bench.report(manifest)
    (bench.workdir / "lanes_benchmark.md").write_text(text, encoding="utf-8")
    (bench.workdir / "lanes_benchmark.json").write_text(json.dumps(data, indent=2) + "\n")
    print(text)
    log(
        f"wrote {bench.workdir / 'lanes_benchmark.md'} and lanes_benchmark.json; "
        f"logs in {bench.log_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
