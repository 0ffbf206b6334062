#!/usr/bin/env python3
"""A BuildGrid remote cache (REAPI CAS + action cache) on loopback, for tests and benchmarks.

BuildGrid 0.9.1 runs on Python >= 3.13, which Pants 2.17 cannot lock for (its pex 2.1.137
predates 3.13), so it is not a Pants resolve: `buildgrid_venv()` builds a venv under the
lanekeeper cache directory (beside ./pants' own venv) from `remote-cache/buildgrid-
requirements.txt`, every requirement pinned with its hashes (`pip --require-hashes`), from the
package index only. A new machine needs only a CPython 3.13 (pyenv's, `python3.13` on PATH,
or `BUILDGRID_PYTHON`); later runs reuse the venv.

`buildgrid_server()` starts `bgd server start remote-cache/buildgrid.yml` on a free port of
127.0.0.1 with its CAS in a directory of the caller's, waits until the port answers, and stops
it (SIGTERM, then SIGKILL) when the block ends; on Linux it also dies with the process that
started it (a test Pants kills never runs its cleanup). As a script it runs the same server in the
foreground:

    python3 benchmarks/buildgrid_server.py --port 50051 --cas-dir /var/cache/buildgrid
"""

from __future__ import annotations

import argparse
import ctypes
import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG = PROJECT_ROOT / "remote-cache" / "buildgrid.yml"
REQUIREMENTS = PROJECT_ROOT / "remote-cache" / "buildgrid-requirements.txt"
BUILDGRID_VERSION = "0.9.1"


class BuildGridError(Exception):
    """BuildGrid could not be installed or started; the message says why and what to do."""


def lanekeeper_cache_dir() -> Path:
    """Where ./pants keeps its venv (`LANEKEEPER_CACHE_DIR`, as in ./pants)."""
    if os.environ.get("LANEKEEPER_CACHE_DIR"):
        return Path(os.environ["LANEKEEPER_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "lanekeeper"


def _is_python313(candidate: str) -> bool:
    # A pyenv shim is on PATH even when it refuses to run: run it to be sure.
    try:
        completed = subprocess.run(
            [candidate, "-c", "import sys; sys.exit(sys.version_info[:2] < (3, 13))"],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return completed.returncode == 0


def find_python313() -> str:
    candidates = [os.environ.get("BUILDGRID_PYTHON", ""), shutil.which("python3.13") or ""]
    for root in (os.environ.get("PYENV_ROOT", ""), str(Path.home() / ".pyenv")):
        if root:
            candidates += sorted(str(p) for p in Path(root).glob("versions/3.1[3-9]*/bin/python3"))
    for candidate in filter(None, candidates):
        if _is_python313(candidate):
            return candidate
    raise BuildGridError(
        f"BuildGrid {BUILDGRID_VERSION} needs CPython >= 3.13 and none was found: install one "
        "(e.g. `pyenv install 3.13`) or point BUILDGRID_PYTHON at its python3 binary."
    )


def _pip_env() -> dict[str, str]:
    """The environment minus any machine-wide pip config: constraints or find-links would make
    the hash-pinned install pick other files (PANTS_HERE.md item 4). The CA bundle stays."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k == "PIP_CERT"}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def buildgrid_venv() -> Path:
    """The `bgd` of a venv built from the pinned requirements (built once per machine)."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    venv = lanekeeper_cache_dir() / f"buildgrid-{BUILDGRID_VERSION}-{digest}"
    bgd = venv / "bin" / "bgd"
    done = venv / ".complete"
    venv.parent.mkdir(parents=True, exist_ok=True)
    # Two test processes may ask at once: one builds, the other waits for it.
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return bgd
        shutil.rmtree(venv, ignore_errors=True)
        python = find_python313()
        for argv in (
            [python, "-m", "venv", str(venv)],
            [
                str(venv / "bin" / "pip"),
                "install",
                "-q",
                "--require-hashes",
                "-r",
                str(REQUIREMENTS),
            ],
        ):
            completed = subprocess.run(
                argv, env=_pip_env(), capture_output=True, text=True, timeout=1200
            )
            if completed.returncode != 0:
                raise BuildGridError(
                    f"installing BuildGrid into {venv} failed: `{' '.join(argv)}` exited "
                    f"{completed.returncode}:\n{completed.stdout}{completed.stderr}"
                )
        done.touch()
    return bgd


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent() -> None:
    """In the server's child process, before exec: the kernel sends it SIGTERM when the process
    that started it dies. Pants kills a test it restarts without running its fixtures' cleanup;
    the server must not outlive it."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def server_env(address: str, cas_dir: Path) -> dict[str, str]:
    """The variables `remote-cache/buildgrid.yml` reads."""
    return {
        **os.environ,
        "BUILDGRID_ADDRESS": address,
        "BUILDGRID_CAS_DIR": str(cas_dir),
    }


@contextmanager
def buildgrid_server(workdir: Path, startup_timeout: float = 180.0) -> Iterator[str]:
    """A BuildGrid cache on 127.0.0.1 with its CAS and log under `workdir`; yields the address
    to give Pants (`grpc://127.0.0.1:PORT`). The server is stopped when the block ends."""
    bgd = buildgrid_venv()
    cas_dir = workdir / "cas"
    cas_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = workdir / "buildgrid.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(bgd), "server", "start", str(CONFIG)],
            env=server_env(f"127.0.0.1:{port}", cas_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    try:
        deadline = time.monotonic() + startup_timeout
        while not _port_answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise BuildGridError(
                    f"BuildGrid did not answer on 127.0.0.1:{port} within {startup_timeout:.0f} s "
                    f"(exit code {server.poll()}); its log, {log_path}:\n{log_path.read_text()}"
                )
            time.sleep(0.5)
        yield f"grpc://127.0.0.1:{port}"
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 serves other machines.")
    parser.add_argument("--port", type=int, default=50051, help="Port to serve on.")
    parser.add_argument("--cas-dir", type=Path, required=True, help="Where the CAS keeps blobs.")
    args = parser.parse_args()
    bgd = buildgrid_venv()
    args.cas_dir.mkdir(parents=True, exist_ok=True)
    address = f"{args.host}:{args.port}"
    print(f"BuildGrid on grpc://{address} (Ctrl-C stops it)", file=sys.stderr)
    os.execve(
        str(bgd), [str(bgd), "server", "start", str(CONFIG)], server_env(address, args.cas_dir)
    )


if __name__ == "__main__":
    sys.exit(main())
