from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from lanekeeper.analyze import main, todo_options
from lanekeeper.import_health.analysis import (
    FileImportScan,
    analyze_imports,
    import_health_batches,
)
from lanekeeper.kernel.analyzer_protocol import decode_output
from lanekeeper.rename.migration import RewriteResult
from lanekeeper.todos.formats import parse_formats
from lanekeeper.todos.grammar import TodoScan, scan_todos_bytes
from lanekeeper.todos.rewrite import TodoRewrite

SOURCE = (
    b'"""TODO: not a comment."""\n# TODO[2026-01-05][PRIORITY:HIGH][OWNER:@ann][SCOPE:PROD] : x\n'
)


def test_todos_round_trip_through_the_process_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.py").write_bytes(SOURCE)
    (tmp_path / "bad.py").write_bytes(b"# TODO fix \xff\n")
    assert main(["todos", "{}", str(tmp_path / "a.py"), str(tmp_path / "bad.py")]) == 0
    scans = decode_output(TodoScan, capsys.readouterr().out)
    assert scans[0] == scan_todos_bytes(str(tmp_path / "a.py"), SOURCE)
    assert [item.priority for item in scans[0].items] == ["HIGH"]
    assert scans[1].items == () and "not valid UTF-8" in (scans[1].error or "")


def test_unknown_analysis_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nope", "{}"]) == 2
    assert capsys.readouterr().err == (
        "usage: python -m lanekeeper.analyze {todos,todo-rewrite,imports,rename,promote} "
        "OPTIONS FILE...\n"
    )


def test_runs_as_a_module(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(SOURCE)
    completed = subprocess.run(
        [sys.executable, "-m", "lanekeeper.analyze", "todos", "{}", "a.py"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        capture_output=True,
        check=True,
    )
    assert json.loads(completed.stdout)["files"][0]["path"] == "a.py"


def test_import_health_round_trips_with_ruff_e402_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = b"import os\nprint(os)\nimport sys  # noqa: E402\nimport matriz.graph\n"
    (tmp_path / "m.py").write_bytes(source)
    path = str(tmp_path / "m.py")
    options = {"e402": {path: [3, 4]}, "renames": {"matriz": "MATRIZ"}}
    assert main(["imports", json.dumps(options), path]) == 0
    [scan] = decode_output(FileImportScan, capsys.readouterr().out)
    health = scan.classify(date(2026, 11, 22), ttl_days=90)
    assert health == analyze_imports(
        path, source, today=date(2026, 11, 22), e402_lines=[3, 4], renames={"matriz": "MATRIZ"}
    )
    assert sorted((f.line, f.category) for f in health.findings) == [
        (3, "noqa-unjustified"),
        (4, "e402"),
        (4, "legacy-import"),
    ]


def test_only_the_batches_of_files_that_may_mention_a_legacy_name_load_libcst(
    tmp_path: Path,
) -> None:
    renames = {"matriz": "MATRIZ"}
    files = {
        "a.py": b"import os\n",
        "b.py": b"import matriz.graph\n",
        "c.py": b"# matriz, in prose only\nimport sys\n",
    }
    for path, data in files.items():
        (tmp_path / path).write_bytes(data)
    batches = import_health_batches(files, renames, size=128)
    assert batches == (("a.py", "c.py"), ("b.py",))
    options = json.dumps({"today": "2026-11-22", "e402": {}, "renames": renames, "ttl_days": 90})
    loaded = []
    for batch in batches:
        completed = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from lanekeeper.analyze import main; main(sys.argv[1:]); "
                "print('libcst' in sys.modules, file=sys.stderr)",
                "imports",
                options,
                *batch,
            ],
            cwd=tmp_path,
            env={"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
            capture_output=True,
            check=True,
            text=True,
        )
        loaded.append(completed.stderr.strip())
        reported = json.loads(completed.stdout)["files"]
        assert [f["path"] for f in reported] == list(batch)
    assert loaded == ["False", "True"]


def test_rename_round_trips_the_new_source_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "crlf.py").write_bytes(b"import matriz.graph\r\nmatriz.graph.f()\r\n")
    (tmp_path / "broken.py").write_bytes(b"import matriz\nif x return\n")
    options = json.dumps({"renames": {"matriz": "MATRIZ"}, "rewrite_strings": False})
    assert main(["rename", options, str(tmp_path / "crlf.py"), str(tmp_path / "broken.py")]) == 0
    crlf, broken = decode_output(RewriteResult, capsys.readouterr().out)
    assert crlf.status == "changed"
    assert crlf.new_source == b"import MATRIZ.graph\r\nMATRIZ.graph.f()\r\n"
    assert [(c.line, c.kind) for c in crlf.changes] == [(1, "import"), (2, "use-site")]
    assert broken.status == "error" and (broken.error or "").startswith("line 2: ")


T4 = {"t4": {"tag": "T4", "fields": {"message": "reason"}}}
T4_SOURCE = b'x = 1  # noqa: E501  # TODO[T4]: {"priority":"low","owner":"a","reason":"m"}\n'


def test_todo_formats_reach_the_process_through_the_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "t.py").write_bytes(T4_SOURCE)
    path = str(tmp_path / "t.py")
    assert todo_options({}) == "{}"
    assert main(["todos", todo_options(T4), path]) == 0
    [scan] = decode_output(TodoScan, capsys.readouterr().out)
    assert scan == scan_todos_bytes(path, T4_SOURCE, parse_formats(T4))
    assert [(i.status, i.format, i.extras) for i in scan.items] == [
        ("structured", "t4", (("tag", "T4"),))
    ]

    assert main(["todo-rewrite", todo_options(T4, today="2026-11-22"), path]) == 0
    [rewrite] = decode_output(TodoRewrite, capsys.readouterr().out)
    assert rewrite.new_source == (
        b"x = 1  # noqa: E501  # TODO[2026-11-22][PRIORITY:LOW][OWNER:@a][SCOPE:UNKNOWN] : "
        b"m (tag: T4)\n"
    )
