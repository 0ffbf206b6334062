"""A nested `./pants` with empty caches of its own resolves from the package index.

The other end-to-end tests share the machine's caches, so on a machine that has run them once
they pass even when a nested run could download nothing: a variable missing from
`[test].extra_env_vars` (the CA bundle of the index's TLS proxy, for one) would fail only a new
user's first `./pants test ::`. Here the nested run starts from empty caches, as on a new
machine, with exactly the environment the project passes to tests.

It runs only when `LANEKEEPER_FRESH_CACHES_GUARD=1`: .ci/run sets it and forces the test, so
that CI checks the environment on every run. In a plain `./pants test ::` it is skipped: on a
new machine every nested run there already starts from empty caches, and on a machine that has
run the suite before it is CI's check, not a test of lanekeeper (it costs a minute or more).
"""

from __future__ import annotations

import os

import pytest
from pants_repo import copy_repo, run_pants, sandbox_dir


@pytest.mark.skipif(
    os.environ.get("LANEKEEPER_FRESH_CACHES_GUARD") != "1",
    reason="CI's check of the test environment: .ci/run sets LANEKEEPER_FRESH_CACHES_GUARD=1",
)
def test_a_run_with_empty_caches_downloads_what_it_needs() -> None:
    repo = copy_repo(sandbox_dir("fresh-caches"))
    caches = sandbox_dir("caches")
    (caches / "home").mkdir()
    result = run_pants(
        repo,
        # Pants 2.17 runs pex without `--pex-root`, so pex keeps its downloads in the home
        # directory of the user (`~/.pex`), whatever PEX_ROOT says: an empty one for it too.
        f"--subprocess-environment-env-vars=+['HOME={caches / 'home'}']",
        "todo-audit",
        "--today=2026-11-22",
        "demo/core/scoring::",
        env={
            "PANTS_NAMED_CACHES_DIR": str(caches / "named"),
            "PANTS_LOCAL_STORE_DIR": str(caches / "store"),
        },
    )
    assert result.exit_code == 0, result.stderr[-3000:]
    inventory = (repo / "dist/todo-audit/todo_inventory.csv").read_text()
    assert "demo/core/scoring/rank.py" in inventory
    # The analyzer's locked requirements were downloaded from the index, into the empty caches.
    downloaded = {p.name.split("-")[0].lower() for p in (caches / "home").rglob("*.whl")}
    assert {"libcst", "pyyaml"} <= downloaded, sorted(downloaded)
