"""What ./pants adds to a warm Pants run, measured two ways, side by side.

1. `./pants --version` against the venv's own `pants --version`, interleaved, pantsd warm,
   same environment. Pants' own run time varies by more than the script costs, so also:
2. the script alone: `./pants` with a stand-in cache whose `bin/pants` is `true`, against
   running `true` directly. The difference is the script's own work (checking its cache,
   exporting two variables) before it execs Pants.

    python3 benchmarks/bootstrap_overhead.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=REPO, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="Timed runs of each command.")
    args = parser.parse_args()

    cache = Path(os.environ.get("LANEKEEPER_CACHE_DIR", Path.home() / ".cache" / "lanekeeper"))
    env = {**os.environ, "LANEKEEPER_PEX": str(cache / "pex-2.1.137")}
    for bundle in (env.get("PIP_CERT"), env.get("SSL_CERT_FILE")):
        if bundle and os.path.isfile(bundle) and "PANTS_CA_CERTS_PATH" not in env:
            env["PANTS_CA_CERTS_PATH"] = bundle
    script = ["./pants", "--version"]
    direct = [str(cache / "pants-2.17.1-py39" / "bin" / "pants"), "--version"]
    timed(script, env)  # start pantsd
    scripts, directs = [], []
    for _ in range(args.runs):
        scripts.append(timed(script, env))
        directs.append(timed(direct, env))
    s, d = statistics.median(scripts), statistics.median(directs)
    print(f"runs: {args.runs} each, interleaved, pantsd warm")
    print(f"./pants --version       median {s:.3f} s")
    print(f"venv pants --version    median {d:.3f} s")
    print(f"difference              {s - d:+.3f} s  (ratio {s / d:.2f})")

    with tempfile.TemporaryDirectory() as stand_in:
        venv_bin = Path(stand_in, "pants-2.17.1-py39", "bin")
        venv_bin.mkdir(parents=True)
        (venv_bin.parent / ".complete").touch()
        Path(stand_in, "pex-2.1.137").touch()
        true = subprocess.run(["which", "true"], capture_output=True, text=True).stdout.strip()
        (venv_bin / "pants").symlink_to(true)
        stand_in_env = {**env, "LANEKEEPER_CACHE_DIR": stand_in}
        alone = [timed(["./pants"], stand_in_env) for _ in range(args.runs * 4)]
        bare = [timed([true], stand_in_env) for _ in range(args.runs * 4)]
    a, b = statistics.median(alone), statistics.median(bare)
    print(f"script alone (exec true) median {a * 1000:.1f} ms; `true` alone {b * 1000:.1f} ms")
    print(f"script overhead         {(a - b) * 1000:+.1f} ms")


if __name__ == "__main__":
    main()
