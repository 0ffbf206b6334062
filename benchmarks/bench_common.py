"""Shared helpers for lanekeeper's benchmark scripts (Python 3.11, standard library only).

A benchmark here generates a synthetic monorepo (``gen_monorepo.py``), turns it into a Pants
repo that loads THIS checkout's plugins, and times real ``./pants`` runs side by side. The
pieces every such script needs live here:

* ``run_timed``: run a command, time it, capture its output (and keep a log of it);
* ``PantsCaches``: Pants' on-disk caches for a benchmark repo, kept under the benchmark's
  work directory (never ``~/.cache/pants``), with ``reset_cold`` for a truly cold run;
* ``pantsd_pid`` / ``stop_pantsd``: the pantsd of one build root, found through its
  ``.pids`` metadata and stopped by pid (never by name);
* ``repo_snapshot`` / ``copy_repo_snapshot``: what a copy of this repo needs (the root BUILD's
  ``repo-snapshot`` target, its one list), and such a copy as a fresh git repo;
* ``stats_counters`` / ``remote_cache_lookups`` / ``local_only_processes``: what a run's
  ``--stats-log`` and ``-ldebug`` output says about its processes;
* ``write_bench_pants_toml``: the benchmark repo's ``pants.toml``, reusing the project's
  bootstrap settings (pex, interpreters, subprocess environment) plus extra sections;
* ``summarize`` / ``fmt_summary`` / ``markdown_table`` / ``ratio_check``: reporting.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import tomllib
from gen_monorepo import CANONICAL_LIBRARY, LEGACY_LIBRARY

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GEN_MONOREPO = Path(__file__).resolve().with_name("gen_monorepo.py")

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# PANTS_HERE.md item 7: at 10,000 files pantsd outgrows its default 4 GiB cap and restarts on
# every run, which makes "warm" runs as slow as cold ones.
PANTSD_CAP_NOTE = (
    "`[GLOBAL].pantsd_max_memory_usage` is raised from Pants' default 4GiB: on a 10,000-file "
    "repo pantsd grows past 4 GiB and restarts on every run, so warm runs would be as slow as "
    "cold ones (PANTS_HERE.md item 7)"
)


def log(message: str) -> None:
    """Progress goes to stderr, so stdout carries only the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- running commands


@dataclass
class CommandResult:
    label: str
    argv: list[str]
    seconds: float
    returncode: int | None  # None: timed out
    stdout: str
    stderr: str
    log_path: str | None = None

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def output(self) -> str:
        """stdout then stderr, without terminal colour codes (Pants prints lint results to
        stderr)."""
        return ANSI_ESCAPE.sub("", self.stdout + ("\n" if self.stdout else "") + self.stderr)

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.output.rstrip().splitlines()[-lines:])

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "argv": self.argv,
            "seconds": round(self.seconds, 4),
            "returncode": self.returncode,
            "log": self.log_path,
        }


# Pants' client waits 60 s for a daemon it has just spawned; on a loaded machine pantsd can take
# longer to come up, and the run fails before it starts.
PANTSD_NOT_STARTED = "while waiting for pantsd to start"


def stats_counters(stderr: str) -> dict[str, int]:
    """The counters of Pants' `--stats-log` summary in a run's stderr (`  <name>: <value>`)."""
    return {
        name: int(value) for name, value in re.findall(r"^\s+(\w+): (\d+)$", stderr, re.MULTILINE)
    }


def remote_cache_lookups(stderr: str) -> set[str]:
    """The processes an `-ldebug` run asked the remote cache for, by description."""
    return set(re.findall(r"Starting: Remote cache lookup for: (.+)", stderr))


def local_only_processes(stderr: str) -> set[str]:
    """The processes an `-ldebug` run scheduled without asking the remote cache first."""
    return set(re.findall(r"Starting: Scheduling: (.+)", stderr)) - remote_cache_lookups(stderr)


def run_timed(
    label: str,
    argv: Sequence[str | Path],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    log_dir: Path | None = None,
) -> CommandResult:
    """Run ``argv`` in ``cwd``, timing it with a monotonic clock, and capture its output.

    Never raises for a failing command: the caller decides what a return code means. With
    ``log_dir`` the command line, return code, time and full output are written to
    ``<log_dir>/<label>.log`` (a numeric suffix keeps earlier logs of the same label).
    """
    args = [str(a) for a in argv]
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            args,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
        )
        returncode: int | None = proc.returncode
        stdout, stderr = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        returncode = None
        stdout = _as_text(exc.stdout)
        stderr = _as_text(exc.stderr) + f"\n(timed out after {timeout} s)"
    seconds = time.perf_counter() - start
    result = CommandResult(label, args, seconds, returncode, stdout, stderr)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)
        path = log_dir / f"{safe}.log"
        n = 1
        while path.exists():
            n += 1
            path = log_dir / f"{safe}.{n}.log"
        path.write_text(
            f"$ (cd {cwd} && {' '.join(args)})\n# returncode {returncode}, {seconds:.3f} s\n"
            f"# ---- stdout\n{stdout}\n# ---- stderr\n{stderr}\n",
            encoding="utf-8",
        )
        result.log_path = str(path)
    return result


def _as_text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data


def run_checked(argv: Sequence[str | Path], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    """Run a setup command (not timed); raise with its output if it fails."""
    proc = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(str(a) for a in argv)}` failed in {cwd} (exit {proc.returncode}):\n"
            f"{proc.stdout}{proc.stderr}"
        )
    return proc.stdout


# --------------------------------------------------------------------------- pantsd


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers signal 0; it is gone for our purposes.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def _cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def pantsd_pid(buildroot: Path) -> int | None:
    """The live pantsd serving ``buildroot``, from ``<buildroot>/.pids/*/pantsd/pid``.

    The pid is trusted only if that process still exists and calls itself pantsd (a stale
    pid file may name a reused pid).
    """
    for pid_file in sorted((buildroot / ".pids").glob("*/pantsd/pid")):
        try:
            pid = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            continue
        if pid > 0 and _pid_alive(pid):
            cmdline = _cmdline(pid)
            if "pantsd" in cmdline or not Path("/proc").is_dir():
                return pid
    return None


def process_rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def stop_pantsd(buildroot: Path, timeout: float = 30.0) -> int | None:
    """Stop the pantsd of ``buildroot`` (by its pid), then remove ``<buildroot>/.pids``.

    Sends SIGTERM, waits up to ``timeout`` seconds, then SIGKILL. Returns the pid that was
    stopped, or None if no pantsd was running there.
    """
    pid = pantsd_pid(buildroot)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
                while _pid_alive(pid) and time.monotonic() < deadline + 10:
                    time.sleep(0.1)
        except ProcessLookupError:
            pass
    shutil.rmtree(buildroot / ".pids", ignore_errors=True)
    return pid


# --------------------------------------------------------------------------- Pants caches


@dataclass(frozen=True)
class PantsCaches:
    """Pants' persistent state for one benchmark repo, kept out of ``~/.cache/pants``.

    * ``local_store_dir``: the LMDB store of files and process results (``[GLOBAL]
      .local_store_dir``, default ``~/.cache/pants/lmdb_store``);
    * ``named_caches_dir``: tools' own caches, e.g. pex's (``[GLOBAL].named_caches_dir``,
      default ``~/.cache/pants/named_caches``);
    * ``<buildroot>/.pants.d``: the work directory (``[GLOBAL].pants_workdir``);
    * the in-memory graph of a live pantsd (``<buildroot>/.pids``).

    ``env()`` points every run at the first two, so warm runs reuse what cold runs wrote and
    nothing is shared with other Pants users of the machine. The bootstrap venv and pex under
    ``~/.cache/lanekeeper`` are not Pants caches and stay.
    """

    buildroot: Path
    root: Path

    @property
    def local_store_dir(self) -> Path:
        return self.root / "lmdb_store"

    @property
    def named_caches_dir(self) -> Path:
        return self.root / "named_caches"

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env["PANTS_LOCAL_STORE_DIR"] = str(self.local_store_dir)
        env["PANTS_NAMED_CACHES_DIR"] = str(self.named_caches_dir)
        # Output is captured: no progress UI, no colour codes.
        env.setdefault("PANTS_DYNAMIC_UI", "false")
        env.setdefault("PANTS_COLORS", "false")
        return env

    def reset_cold(self) -> None:
        """Stop pantsd and delete every Pants cache of this repo: the next run is cold."""
        stop_pantsd(self.buildroot)
        for path in (self.local_store_dir, self.named_caches_dir, self.buildroot / ".pants.d"):
            shutil.rmtree(path, ignore_errors=True)
        for lock in self.buildroot.glob(".pants.workdir.file_lock*"):
            lock.unlink(missing_ok=True)
        self.root.mkdir(parents=True, exist_ok=True)


# --------------------------------------------------------------------------- TOML writing


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string (same escapes).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        items = [_toml_value(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 90:
            return one_line
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value: {value!r}")


def toml_dumps(data: Mapping[str, Mapping[str, Any]]) -> str:
    """Write ``{section: {key: value or {subkey: value}}}`` as TOML.

    Values are strings, numbers, booleans and lists of them; a dict value becomes a
    sub-table ``[section.key]``. Enough for ``pants.toml``; the result is checked by parsing
    it back.
    """
    out: list[str] = []

    def table(path: list[str], body: Mapping[str, Any]) -> None:
        out.append("[" + ".".join(_toml_key(p) for p in path) + "]")
        subtables = []
        for key, value in body.items():
            if isinstance(value, Mapping):
                subtables.append((key, value))
            else:
                out.append(f"{_toml_key(key)} = {_toml_value(value)}")
        out.append("")
        for key, value in subtables:
            table(path + [key], value)

    for section, body in data.items():
        table([section], body)
    text = "\n".join(out)
    if tomllib.loads(text) != _plain(data):
        raise AssertionError("toml_dumps wrote TOML that does not parse back to its input")
    return text


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --------------------------------------------------------------------------- benchmark repos


def project_sections(project_root: Path = PROJECT_ROOT) -> dict[str, Any]:
    """The project's ``pants.toml``, parsed."""
    with open(project_root / "pants.toml", "rb") as fh:
        return tomllib.load(fh)


def write_bench_pants_toml(
    buildroot: Path,
    *,
    project_root: Path = PROJECT_ROOT,
    pantsd_max_memory: str = "12GiB",
    backend_packages: Sequence[str] = ("pants.backend.python", "lanekeeper_pants"),
    root_patterns: Sequence[str] = ("/src",),
    interpreter_constraints: Sequence[str] = ("CPython==3.11.*",),
    extra_sections: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """Write ``<buildroot>/pants.toml`` for a generated benchmark repo.

    Copies from the project's ``pants.toml`` the settings that make Pants work on these
    machines (``pants_version``, ``ignore_warnings``, ``[python-bootstrap]``,
    ``[python-infer]``, ``[subprocess-environment]``, ``[pex-cli]``,
    ``[anonymous-telemetry]``), loads the plugins from ``project_root`` by absolute path,
    and adds ``extra_sections`` (e.g. ``{"lanes": {...}}``). The repo has no third-party
    requirements, so resolves are off.
    """
    project = project_sections(project_root)
    project_global = project.get("GLOBAL", {})
    global_section: dict[str, Any] = {}
    for key in ("pants_version", "ignore_warnings"):
        if key in project_global:
            global_section[key] = project_global[key]
    root = project_root.resolve()
    global_section["pythonpath"] = [str(root / "pants-plugins"), str(root / "src" / "python")]
    global_section["backend_packages"] = list(backend_packages)
    global_section["pantsd_max_memory_usage"] = pantsd_max_memory

    sections: dict[str, Any] = {"GLOBAL": global_section}
    sections["source"] = {"root_patterns": list(root_patterns)}
    sections["python"] = {
        "interpreter_constraints": list(interpreter_constraints),
        "enable_resolves": False,
    }
    for name in (
        "python-bootstrap",
        "python-infer",
        "subprocess-environment",
        "pex-cli",
        "anonymous-telemetry",
    ):
        if name in project:
            sections[name] = project[name]
    for name, body in (extra_sections or {}).items():
        sections[name] = body

    header = (
        "# Written by lanekeeper's benchmarks/bench_common.py for a generated benchmark repo;\n"
        f"# the bootstrap settings come from {root / 'pants.toml'}.\n"
        "# pantsd_max_memory_usage is raised: at 10,000 files pantsd outgrows the default\n"
        "# 4GiB and restarts on every run (PANTS_HERE.md item 7).\n\n"
    )
    path = buildroot / "pants.toml"
    path.write_text(header + toml_dumps(sections), encoding="utf-8")
    return path


def tools_resolve_sections(buildroot: Path, project_root: Path = PROJECT_ROOT) -> dict[str, Any]:
    """A `[python]` section with the project's `python-default` and `tools` resolves, for a
    generated repo whose Pants tools (black, Pants' own ruff) install from the `tools` lockfile.

    Pants reads lockfiles from inside the build root, so the project's are copied there.
    Pass the result in `write_bench_pants_toml(extra_sections=...)`.
    """
    lock_dir = buildroot / "3rdparty" / "python"
    lock_dir.mkdir(parents=True, exist_ok=True)
    for name in ("python-default.lock", "tools.lock"):
        shutil.copyfile(project_root / "3rdparty" / "python" / name, lock_dir / name)
    return {
        "python": {
            "interpreter_constraints": ["CPython==3.11.*"],
            "enable_resolves": True,
            "resolves": {
                "python-default": "3rdparty/python/python-default.lock",
                "tools": "3rdparty/python/tools.lock",
            },
            "resolves_to_interpreter_constraints": {"tools": ["CPython>=3.9,<3.12"]},
        },
    }


def policy_sections(buildroot: Path) -> dict[str, Any]:
    """`[lanes]` from the generator's `lanes.json`, and the rename of its legacy library
    (`[matriz-migrate].renames`: lanekeeper's defaults name no organisation's modules)."""
    lanes = json.loads((buildroot / "lanes.json").read_text(encoding="utf-8"))
    keys = ("order", "libraries", "production", "paths", "allowed_imports")
    return {
        "lanes": {key: lanes[key] for key in keys},
        "matriz-migrate": {"renames": {LEGACY_LIBRARY: CANONICAL_LIBRARY}},
    }


def install_pants_script(buildroot: Path, project_root: Path = PROJECT_ROOT) -> Path:
    """Copy the project's ``./pants`` bootstrap script into ``buildroot``."""
    dest = buildroot / "pants"
    shutil.copyfile(project_root / "pants", dest)
    dest.chmod(0o755)
    return dest


def generate_monorepo(out: Path, files: int, seed: int, shape: str = "uniform") -> dict[str, Any]:
    """Generate (or reuse) a synthetic monorepo in ``out``; return its ``planted.json``.

    Reused when ``out/planted.json`` was written for the same ``files``, ``seed`` and
    ``shape`` (``gen_monorepo.py --shape``); otherwise ``out`` is deleted (after stopping its
    pantsd) and generated afresh.
    """
    planted = out / "planted.json"
    if planted.is_file():
        try:
            manifest = json.loads(planted.read_text(encoding="utf-8"))
            gen = manifest["generator"]
            if (gen["files_requested"], gen["seed"], gen.get("shape", "uniform")) == (
                files,
                seed,
                shape,
            ):
                log(f"reusing the generated repo in {out} ({manifest['files']} files)")
                return manifest
        except (ValueError, KeyError, TypeError):
            pass
    if out.exists():
        stop_pantsd(out)
        shutil.rmtree(out)
    log(f"generating a {files}-file monorepo (seed {seed}, {shape} shape) in {out}")
    run_checked(
        [
            sys.executable,
            GEN_MONOREPO,
            *("--out", out, "--files", str(files), "--seed", str(seed), "--shape", shape),
        ],
        cwd=GEN_MONOREPO.parent,
    )
    return json.loads(planted.read_text(encoding="utf-8"))


GIT_IDENTITY = ["-c", "user.name=lanekeeper benchmark", "-c", "user.email=bench@localhost"]


def repo_snapshot(project_root: Path = PROJECT_ROOT) -> tuple[str, ...]:
    """What a copy of this repo needs to run Pants with the lanekeeper plugins: the sources of
    the root BUILD's `repo-snapshot` target (their one definition; the e2e tests depend on it, so
    Pants re-runs them on a change), a glob `dir/**/*` as the directory `dir`."""
    build = project_root / "BUILD"
    for node in ast.walk(ast.parse(build.read_text(encoding="utf-8"), str(build))):
        if not isinstance(node, ast.Call):
            continue
        kwargs = {kw.arg: kw.value for kw in node.keywords}
        name = kwargs.get("name")
        if isinstance(name, ast.Constant) and name.value == "repo-snapshot":
            sources = ast.literal_eval(kwargs["sources"])
            paths = tuple(source.removesuffix("/**/*") for source in sources)
            globbed = [path for path in paths if any(c in path for c in "*?[!")]
            if globbed:
                raise ValueError(f"{build}: repo-snapshot: only files and `dir/**/*`: {globbed}")
            return paths
    raise ValueError(f'{build}: no `files(name="repo-snapshot", ...)` target')


def copy_repo_snapshot(dest: Path, project_root: Path = PROJECT_ROOT) -> Path:
    """Copy `project_root`'s repo snapshot to `dest` (no `__pycache__`), as a fresh git repo."""
    for name in repo_snapshot(project_root):
        source, target = project_root / name, dest / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (dest / "pants").chmod(0o755)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    return dest


def commit_all(buildroot: Path, message: str, ignore: Iterable[str] = ()) -> str:
    """Make ``buildroot`` a git repo whose HEAD holds everything but ``ignore`` (for
    ``--changed-since=HEAD``); commit only if something changed. Returns HEAD's hash."""
    gitignore = buildroot / ".gitignore"
    wanted = "".join(f"{line}\n" for line in ignore)
    if not gitignore.exists() or gitignore.read_text() != wanted:
        gitignore.write_text(wanted)
    if not (buildroot / ".git").is_dir():
        run_checked(["git", "init", "-q"], cwd=buildroot)
    run_checked(["git", "add", "-A"], cwd=buildroot)
    if run_checked(["git", "status", "--porcelain"], cwd=buildroot).strip():
        # gc.autoDetach=false: committing 10,000 files triggers `git gc --auto`, which by default
        # packs the loose objects in the background, under a caller copying the repo.
        run_checked(
            ["git", *GIT_IDENTITY, "-c", "gc.autoDetach=false", "commit", "-q", "--no-verify"]
            + ["-m", message],
            buildroot,
        )
    return run_checked(["git", "rev-parse", "HEAD"], cwd=buildroot).strip()


def restore_from_head(buildroot: Path, pathspec: str = "src") -> list[str]:
    """Undo working-tree edits under ``pathspec`` left by an interrupted earlier run."""
    if not (buildroot / ".git").is_dir():
        return []
    status = run_checked(["git", "status", "--porcelain", "--", pathspec], cwd=buildroot)
    changed = [line[3:] for line in status.splitlines() if line.strip()]
    if changed:
        run_checked(["git", "checkout", "-q", "HEAD", "--", pathspec], cwd=buildroot)
    return changed


# --------------------------------------------------------------------------- machine


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
            elif line.startswith("MemAvailable:"):
                info["memory_available_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    try:
        info["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return info


# --------------------------------------------------------------------------- statistics, Markdown


@dataclass
class Summary:
    samples: list[float] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len(self.samples)

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def min(self) -> float | None:
        return min(self.samples) if self.samples else None

    @property
    def max(self) -> float | None:
        return max(self.samples) if self.samples else None

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "median": _round(self.median),
            "min": _round(self.min),
            "max": _round(self.max),
            "samples": [round(s, 4) for s in self.samples],
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def summarize(samples: Iterable[float]) -> Summary:
    return Summary(list(samples))


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 100:
        return f"{seconds:.2f} s"
    return f"{seconds:.0f} s"


def fmt_summary(summary: Summary) -> tuple[str, str, str]:
    """(median, "min-max", runs) cells for a table."""
    if not summary.samples:
        return ("not measured", "-", "0")
    spread = (
        "-" if summary.runs == 1 else f"{fmt_seconds(summary.min)} - {fmt_seconds(summary.max)}"
    )
    return (fmt_seconds(summary.median), spread, str(summary.runs))


def fmt_bytes(n: int | None) -> str:
    if n is None:
        return "-"
    return f"{n / 1024 ** 3:.2f} GiB" if n >= 1024**3 else f"{n / 1024 ** 2:.0f} MiB"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class RatioCheck:
    name: str
    numerator: float | None
    denominator: float | None
    target: float  # the ratio must be <= target
    why_missing: str = ""

    @property
    def value(self) -> float | None:
        if self.numerator is None or self.denominator is None or self.denominator <= 0:
            return None
        return self.numerator / self.denominator

    @property
    def verdict(self) -> str:
        value = self.value
        if value is None:
            return "NOT MEASURED" + (f" ({self.why_missing})" if self.why_missing else "")
        return "PASS" if value <= self.target else "MISS"

    def row(self) -> list[str]:
        value = self.value
        return [
            self.name,
            "-" if value is None else f"{value:.3f}",
            f"<= {self.target:g}",
            self.verdict,
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": _round(self.value),
            "target_max": self.target,
            "verdict": self.verdict,
        }


def ratio_check(
    name: str, numerator: Summary, denominator: Summary, target: float, why_missing: str = ""
) -> RatioCheck:
    """``median(numerator) / median(denominator) <= target``; NOT MEASURED if either is
    missing."""
    return RatioCheck(name, numerator.median, denominator.median, target, why_missing)


# --------------------------------------------------------------------------- a goal benchmark


def goal_benchmark_args(doc: str, default_workdir: str) -> argparse.Namespace:
    """The options every goal benchmark takes (`--files --seed --runs --workdir ...`)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="Files to generate.")
    parser.add_argument("--seed", type=int, default=0, help="Generator seed.")
    parser.add_argument(
        "--shape", choices=("uniform", "realistic"), default="uniform", help="Generator shape."
    )
    parser.add_argument("--runs", type=int, default=3, help="Warm and changed-file rounds.")
    parser.add_argument("--workdir", type=Path, default=Path(default_workdir))
    parser.add_argument("--pantsd-max-memory", default="12GiB", help=PANTSD_CAP_NOTE)
    return parser.parse_args()


@dataclass
class BenchRepo:
    root: Path
    manifest: dict[str, Any]
    caches: PantsCaches


def prepare_bench_repo(
    args: argparse.Namespace, sections: Callable[[Path], dict[str, Any]]
) -> BenchRepo:
    """Generate the monorepo under `<workdir>/repo`, with its pants.toml and ./pants, committed."""
    repo = args.workdir / "repo"
    manifest = generate_monorepo(repo, args.files, args.seed, getattr(args, "shape", "uniform"))
    write_bench_pants_toml(
        repo, pantsd_max_memory=args.pantsd_max_memory, extra_sections=sections(repo)
    )
    install_pants_script(repo)
    commit_all(repo, "benchmark repo", ignore=("/dist/", "/.pants.d/", "/.pids/"))
    return BenchRepo(repo, manifest, PantsCaches(repo, args.workdir / "pants-caches"))
