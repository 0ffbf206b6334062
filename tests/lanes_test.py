"""End to end: `./pants lanes` on a copy of this repo and its demo monorepo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pants_repo import PantsResult, copy_repo, run_pants

EXPECTED_LANE_BY_TOP_DIR = {
    "candidate": "candidate",
    "core": "core",
    "lukhas": "lukhas",
    "products": "products",
    "matriz": "matriz",
    "MATRIZ": "MATRIZ",
    "universal_language": "universal_language",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("lanekeeper"))


def test_every_demo_file_is_in_the_lane_of_its_top_directory(repo: Path) -> None:
    result = run_pants(repo, "lanes", "--format=json", "demo::")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    python_files = sorted(str(p.relative_to(repo)) for p in (repo / "demo").rglob("*.py"))
    listed = {t["path"]: t["lane"] for t in document["targets"] if t["path"].endswith(".py")}
    assert sorted(listed) == python_files
    for path, lane in listed.items():
        top = Path(path).parts[1]
        assert lane == EXPECTED_LANE_BY_TOP_DIR.get(top), path


def test_text_listing_names_each_lane(repo: Path) -> None:
    result = run_pants(repo, "lanes", "demo/core::")
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.endswith(".py")]
    assert rows and all(row[0] == "core" for row in rows)
    assert re.search(r"^core\s+\d+ targets\s+\(lane\)$", result.stdout, re.MULTILINE)


def test_unknown_lane_in_config_fails_with_one_line(repo: Path) -> None:
    result: PantsResult = run_pants(
        repo,
        "--lanes-allowed-imports={'core': ['matriz', 'coer']}",
        "lanes",
        "demo::",
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "[lanes]" in line]
    assert errors == [
        "error: `[lanes].allowed_imports`: lane 'core' may import 'coer', which is not a lane "
        "or library (known: candidate, core, lukhas, products, matriz, MATRIZ, "
        "universal_language, lanekeeper, lanekeeper_pants); fix the name or add it to "
        "`[lanes].order` or `[lanes].libraries`."
    ]
