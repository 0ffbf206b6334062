"""End to end on a generated monorepo: what the goals report equals what the generator planted."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Iterator

import pytest
from bench_common import (
    generate_monorepo,
    install_pants_script,
    policy_sections,
    tools_resolve_sections,
    write_bench_pants_toml,
)
from pants_repo import PantsRepo, copy_repo, pantsd_in, sandbox_dir

LK001 = re.compile(r"^(\S+):(\d+):\d+ LK001 ", re.MULTILINE)
# A repo whose seed plants every pattern the tests below compare (each test asserts that its
# patterns were planted): all three forms of lane violation, E402 under each kind of noqa, all
# five legacy-import forms with use-site rewrites, each runtime-import pattern, and TODO/FIXME
# in every status and priority. Half the files (300, seed 66 plants them all too) saved nothing
# measurable: the module's time is its pantsd's start-up (BENCHMARKS.md, issue 13, session 7).
FILES, SEED = 600, 7


@pytest.fixture(scope="module")
def monorepo() -> Iterator[tuple[PantsRepo, dict]]:
    project = copy_repo(sandbox_dir("project"))
    repo = sandbox_dir("generated") / "repo"
    manifest = generate_monorepo(repo, files=FILES, seed=SEED)
    sections = {**policy_sections(repo), **tools_resolve_sections(repo, project_root=project)}
    write_bench_pants_toml(
        repo, project_root=project, pantsd_max_memory="4GiB", extra_sections=sections
    )
    install_pants_script(repo, project)
    with pantsd_in(repo) as pants:
        yield pants, manifest


def test_lane_violations_equal_the_planted_ones(monorepo: tuple[PantsRepo, dict]) -> None:
    pants, manifest = monorepo
    result = pants.run("lint", "--only=lanes", "::")
    assert result.exit_code == 1
    reported = sorted((path, int(line)) for path, line in LK001.findall(result.stderr))
    planted = sorted((v["file"], v["line"]) for v in manifest["lane_violations"])
    assert {v["form"] for v in manifest["lane_violations"]} == {"import", "from_module", "from"}
    assert reported == planted


def test_cycles_equal_the_planted_ones(monorepo: tuple[PantsRepo, dict]) -> None:
    pants, manifest = monorepo
    repo = pants.root
    result = pants.run("lanes", "--cycles", "--format=json", "::")
    cycles = json.loads(result.stdout)["cycles"]
    module_path = {
        ".".join(Path(p).with_suffix("").parts[1:]): p
        for p in (str(f.relative_to(repo)) for f in (repo / "src").rglob("*.py"))
    }
    planted = sorted(sorted(module_path[m] for m in cycle) for cycle in manifest["cycles"])
    assert planted, "the generator planted cycles"
    assert sorted(sorted(c["members"]) for c in cycles) == planted
    production = any(c["production"] for c in cycles)
    assert result.exit_code == (1 if production else 0)


def test_todo_inventory_equals_the_planted_todos(monorepo: tuple[PantsRepo, dict]) -> None:
    pants, manifest = monorepo
    repo = pants.root
    result = pants.run("todo-audit", "--today=2026-11-22", "::")
    assert result.exit_code == 0, result.stderr
    text = (repo / "dist" / "todo-audit" / "todo_inventory.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    reported = sorted(
        (r["file"], int(r["line"]), r["kind"], r["status"], r["priority"] or None, r["lane"])
        for r in rows
    )
    planted = sorted(
        (t["file"], t["line"], t["kind"], t["status"], t["priority"], t["lane"])
        for t in manifest["todos"]
    )
    assert {(kind, status, priority) for _, _, kind, status, priority, _ in planted} >= {
        ("TODO", "structured", "HIGH"),
        ("TODO", "structured", "MED"),
        ("TODO", "structured", "LOW"),
        ("TODO", "malformed", None),
        ("TODO", "plain", None),
        ("FIXME", "plain", None),
    }
    assert {t["problem"] for t in manifest["todos"]} >= {"bad_date", "unknown_priority"}
    assert reported == planted


def test_import_health_counts_equal_the_planted_ones(monorepo: tuple[PantsRepo, dict]) -> None:
    pants, manifest = monorepo
    repo = pants.root
    pants.run("import-health", "--today=2026-11-22", "::")
    report = json.loads((repo / "dist" / "import-health" / "report.json").read_text())

    def reported(category: str, detail: str | None = None) -> list[tuple[str, int]]:
        return sorted(
            (f["path"], f["line"])
            for f in report["findings"]
            if f["category"] == category and detail in (None, f["detail"])
        )

    def planted(items: list[dict], **where: str) -> list[tuple[str, int]]:
        return sorted(
            (i["file"], i["line"]) for i in items if all(i[k] == v for k, v in where.items())
        )

    for category, noqa in (
        ("e402", "none"),
        ("noqa-justified", "justified"),
        ("noqa-unjustified", "unjustified"),
    ):
        assert planted(manifest["e402"], noqa=noqa), noqa
        assert reported(category) == planted(manifest["e402"], noqa=noqa)
    # One per legacy module named (`import matriz.a, matriz.b`: two), as matriz-migrate counts.
    assert reported("legacy-import") == sorted(
        (i["file"], i["line"])
        for i in manifest["legacy_imports"]
        for _ in range(i["modules_rewritten"])
    )
    assert reported("lane-violation") == planted(manifest["lane_violations"])
    for pattern in ("sys.path.insert", "importlib.import_module", "__import__"):
        assert planted(manifest["runtime_imports"], pattern=pattern), pattern
        assert reported("runtime-import", pattern) == planted(
            manifest["runtime_imports"], pattern=pattern
        )


def test_matriz_migrate_rewrites_exactly_the_planted_imports(
    monorepo: tuple[PantsRepo, dict]
) -> None:
    pants, manifest = monorepo
    repo = pants.root
    result = pants.run("matriz-migrate", "::")
    assert result.exit_code == 0, result.stderr
    changes = [
        change
        for report in sorted((repo / "dist" / "matriz-migrate").glob("dryrun_*.json"))
        for change in json.loads(report.read_text())["changes"]
    ]
    imports = sorted((c["file"], c["line"]) for c in changes if c["kind"] != "use-site")
    # One change per legacy module named in the statement (`import matriz.a, matriz.b`: two).
    planted = sorted(
        (i["file"], i["line"])
        for i in manifest["legacy_imports"]
        for _ in range(i["modules_rewritten"])
    )
    assert {i["form"] for i in manifest["legacy_imports"]} == {
        "import",
        "import_as",
        "import_multi",
        "from",
        "from_module",
    }
    assert imports == planted
    use_sites = sum(1 for c in changes if c["kind"] == "use-site")
    assert use_sites, "the generator planted uses that the rewrite must follow"
    assert use_sites == sum(i["usage_rewrites"] for i in manifest["legacy_imports"])
