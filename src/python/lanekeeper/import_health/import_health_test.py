from __future__ import annotations

import ast
import io
import json
import sys
import tokenize
from datetime import date
from typing import Mapping, Optional, Sequence

import pytest

from lanekeeper.import_health.analysis import (
    FileImportHealth,
    ImportFinding,
    _comments,
    _may_call_a_pattern,
    _runtime_imports,
    analyze_imports,
    classify_noqa,
)
from lanekeeper.import_health.baseline import baseline_json, compare_to_baseline, run_failed
from lanekeeper.import_health.categories import CATEGORIES
from lanekeeper.import_health.render import audit_markdown, console_table, report_json
from lanekeeper.import_health.report import ImportHealthReport
from lanekeeper.import_health.ruff import parse_ruff_json
from lanekeeper.rename.migration import DEFAULT_RENAMES, Migration, check_findings, legacy_counts
from lanekeeper.rename.rewrite import rewrite_source
from lanekeeper.testing import demo_config, stdlib_sample

TODAY = date(2026, 11, 22)


def analyze(
    source: str,
    e402: Optional[Sequence[int]] = (),
    renames: Mapping[str, str] = DEFAULT_RENAMES,
    path: str = "demo/core/x.py",
) -> FileImportHealth:
    return analyze_imports(path, source.encode(), today=TODAY, e402_lines=e402, renames=renames)


def rows(health: FileImportHealth, category: str) -> list[tuple[int, str]]:
    return [(f.line, f.detail) for f in health.findings if f.category == category]


# ---------------------------------------------------------------------------------------------
# noqa comments

NOQA_CASES = [
    # (comment, is_e402, category, issue, granted, expires)
    ("# noqa: E402 -- plugin bootstrap, see ISSUE-1234", True, "noqa-justified", "ISSUE-1234"),
    ("# noqa: E402 -- plugin bootstrap, see #77", True, "noqa-justified", "#77"),
    ("# noqa: E402 -- plugin bootstrap (issue 12)", True, "noqa-justified", "issue 12"),
    (
        "# noqa: E402 -- plugin bootstrap https://example.com/i/5.",
        True,
        "noqa-justified",
        "https://example.com/i/5",
    ),
    ("# NOQA:E402,F401 -- plugin bootstrap, ISSUE-9", True, "noqa-justified", "ISSUE-9"),
    ("# noqa: E402", True, "noqa-unjustified", None),
    ("# noqa: E402 -- because I said so", True, "noqa-unjustified", None),
    ("# noqa: E402 plugin bootstrap ISSUE-3", True, "noqa-unjustified", None),
    ("# noqa: E402 -- ISSUE-3", True, "noqa-unjustified", "ISSUE-3"),
    ("# noqa: E402 -- bootstrap, see ISSUE-XXXX", True, "noqa-unjustified", None),
    ("# noqa", True, "noqa-unjustified", None),
    ("# noqa: E402 -- shim, ISSUE-77 EXCEPTION-20240101", True, "noqa-expired", "ISSUE-77"),
    ("# noqa: E402 -- shim EXCEPTION-20240101", True, "noqa-expired", None),
    ("# noqa: E402 -- move, ISSUE-88 EXCEPTION-20260901", True, "noqa-expiring-soon", "ISSUE-88"),
    ("# noqa: E402 -- move, ISSUE-88 EXCEPTION-20261001", True, "noqa-justified", "ISSUE-88"),
    ("# noqa: E402 -- move EXCEPTION-20260901", True, "noqa-unjustified", None),
    ("# noqa: E402 -- move, ISSUE-1 EXCEPTION-20261340", True, "noqa-unjustified", "ISSUE-1"),
    ("# noqa: E402 -- move, ISSUE-1 EXCEPTION-20270101", True, "noqa-unjustified", "ISSUE-1"),
    ("# noqa: E402 -- shim, ISSUE-77 EXCEPTION-20240101", False, "noqa-unused", "ISSUE-77"),
    ("# noqa: E402", False, "noqa-unused", None),
]


@pytest.mark.parametrize("comment, is_e402, category, issue", NOQA_CASES)
def test_classify_noqa(comment: str, is_e402: bool, category: str, issue: Optional[str]) -> None:
    exception = classify_noqa("a.py", 3, comment, is_e402, True, TODAY)
    assert exception is not None
    assert (exception.category, exception.issue) == (category, issue)


@pytest.mark.parametrize(
    "comment, is_e402",
    [
        ("# noqa: F401", True),
        ("# noqa: F401", False),
        ("# noqa", False),  # may suppress other codes: only ruff can tell
        ("# a comment", True),
        ("# noqa: E4021", True),
    ],
)
def test_not_an_e402_exception(comment: str, is_e402: bool) -> None:
    assert classify_noqa("a.py", 3, comment, is_e402, True, TODAY) is None


def test_expiry_boundaries() -> None:
    def category(tag: str) -> Optional[str]:
        exception = classify_noqa("a.py", 1, f"# noqa: E402 -- shim, #1 {tag}", True, True, TODAY)
        return None if exception is None else exception.category

    # 2026-08-24 + 90 days = 2026-11-22: valid through today.
    assert category("EXCEPTION-20260824") == "noqa-expiring-soon"
    assert category("EXCEPTION-20260823") == "noqa-expired"
    # expires 2026-12-06, 14 days after today
    assert category("EXCEPTION-20260907") == "noqa-expiring-soon"
    assert category("EXCEPTION-20260908") == "noqa-justified"


def test_ttl_days() -> None:
    comment = "# noqa: E402 -- shim, #1 EXCEPTION-20261101"
    exception = classify_noqa("a.py", 1, comment, True, True, TODAY, ttl_days=10)
    assert exception is not None
    assert (exception.category, exception.granted, exception.expires) == (
        "noqa-expired",
        "2026-11-01",
        "2026-11-11",
    )


def test_without_ruff_noqa_is_never_unused() -> None:
    exception = classify_noqa("a.py", 1, "# noqa: E402", False, False, TODAY)
    assert exception is not None and exception.category == "noqa-unjustified"


SOURCE = """\
\"\"\"Doc.\"\"\"

import os  # noqa: E402
import sys

sys.path.insert(0, "x")

import json
import logging  # noqa: E402 -- logging after the path, see ISSUE-1234
import shutil  # noqa: E402
import textwrap  # noqa: E402 -- shim, see ISSUE-77 EXCEPTION-20240101
import tempfile  # noqa: E402 -- move, see ISSUE-88 EXCEPTION-20260901
import re  # noqa
X = "# noqa: E402 in a string is no comment"
"""


def test_noqa_findings_exact() -> None:
    health = analyze(SOURCE, e402=[8, 9, 10, 11, 12, 13])
    assert health.error is None and health.e402_checked
    assert [(f.line, f.category, f.detail) for f in health.findings] == [
        (
            3,
            "noqa-unused",
            "`# noqa: E402` on a line with no E402: it suppresses nothing; remove it",
        ),
        (6, "runtime-import", "sys.path.insert"),
        (8, "e402", "module level import not at top of file: `import json`"),
        (
            9,
            "noqa-justified",
            "reason: logging after the path, see ISSUE-1234; issue ISSUE-1234; "
            "permanent (no EXCEPTION tag)",
        ),
        (
            10,
            "noqa-unjustified",
            "`# noqa: E402` with no `-- reason`; "
            "no issue reference (ISSUE-123, #123, issue 123 or a URL)",
        ),
        (
            11,
            "noqa-expired",
            "granted 2024-01-01, TTL 90 days, expired 2024-03-31 (966 days before 2026-11-22); "
            "reason: shim, see ISSUE-77 EXCEPTION-20240101; issue ISSUE-77",
        ),
        (
            12,
            "noqa-expiring-soon",
            "granted 2026-09-01, TTL 90 days, expires 2026-11-30 (8 days after 2026-11-22); "
            "reason: move, see ISSUE-88 EXCEPTION-20260901; issue ISSUE-88",
        ),
        (
            13,
            "noqa-unjustified",
            "`# noqa: E402` with no `-- reason`; "
            "no issue reference (ISSUE-123, #123, issue 123 or a URL)",
        ),
    ]
    assert [(e.line, e.granted, e.expires) for e in health.exceptions][3:5] == [
        (11, "2024-01-01", "2024-03-31"),
        (12, "2026-09-01", "2026-11-30"),
    ]


def test_without_ruff_no_e402_and_no_unused() -> None:
    health = analyze(SOURCE, e402=None)
    assert not health.e402_checked
    assert rows(health, "e402") == [] and rows(health, "noqa-unused") == []
    assert [line for line, _ in rows(health, "noqa-unjustified")] == [3, 10]


def test_bad_exception_tag_detail() -> None:
    health = analyze("import a  # noqa: E402 -- move, ISSUE-1 EXCEPTION-2026\n", e402=[1])
    assert rows(health, "noqa-unjustified") == [
        (
            1,
            "`# noqa: E402` with bad EXCEPTION tag `EXCEPTION-2026` (want the grant date, "
            "not later)",
        )
    ]


# ---------------------------------------------------------------------------------------------
# Runtime imports

RUNTIME_CASES = [
    ("import sys\nsys.path.insert(0, 'x')\n", [(2, "sys.path.insert")]),
    ("import sys\nsys.path.append('x')\n", [(2, "sys.path.append")]),
    ("import sys as s\ns.path.append('x')\n", [(2, "sys.path.append")]),
    ("from sys import path\npath.insert(0, 'x')\n", [(2, "sys.path.insert")]),
    ("import sys\nsys.path = ['x']\n", [(2, "sys.path-assign")]),
    ("import sys\nsys.path[:0] = ['x']\n", [(2, "sys.path-assign")]),
    ("import sys\nsys.path += ['x']\n", [(2, "sys.path-assign")]),
    ("import sys\na, sys.path = 1, []\n", [(2, "sys.path-assign")]),
    ("import sys\nsys.pathx = 1\nsys.path.extend([])\n", []),
    ("import importlib\nimportlib.import_module('m')\n", [(2, "importlib.import_module")]),
    (
        "from importlib import import_module\nimport_module('m')\n",
        [(2, "importlib.import_module")],
    ),
    ("from importlib import import_module as im\nim('m')\n", [(2, "importlib.import_module")]),
    ("import importlib as il\nil.import_module('m')\n", [(2, "importlib.import_module")]),
    ("__import__('m')\n", [(1, "__import__")]),
    ("x = eval('1')\n", [(1, "eval")]),
    ("exec('x = 1')\n", [(1, "exec")]),
    ("obj.eval('1')\nobj.exec('1')\n", []),
    (
        "import os\nif os.name:\n    import a\nelse:\n    import b\n",
        [(3, "import-under-if"), (5, "import-under-if")],
    ),
    ("if x:\n    pass\nelif y:\n    from a import b\n", [(4, "import-under-if")]),
    (
        "try:\n    import a\nexcept ImportError:\n    import b\nfinally:\n    import c\n",
        [(2, "import-under-try"), (4, "import-under-try"), (6, "import-under-try")],
    ),
    ("def f():\n    import a\n", [(2, "import-in-function")]),
    ("async def f():\n    from a import b\n", [(2, "import-in-function")]),
    ("class C:\n    def m(self):\n        import a\n", [(3, "import-in-function")]),
    ("def f():\n    if x:\n        import a\n", [(3, "import-under-if")]),
    ("if x:\n    def f():\n        import a\n", [(3, "import-in-function")]),
    ("class C:\n    import a\n", []),
    ("import a\nfrom b import c\nwith x:\n    import d\n", []),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n", []),
    (
        "import typing\nif typing.TYPE_CHECKING:\n    import a\nelse:\n    import b\n",
        [(5, "import-under-if")],
    ),
    ("def f(x=eval('1')):\n    return exec('y')\n", [(1, "eval"), (2, "exec")]),
    (
        "@d(eval('1'))\ndef f() -> g(exec('2')):\n    import a\n",
        [(1, "eval"), (2, "exec"), (3, "import-in-function")],
    ),
    ("f = lambda: __import__('m')\n", [(1, "__import__")]),
    (
        "try:\n    pass\nexcept ImportError:\n    import importlib as il\nil.import_module('m')\n",
        [(4, "import-under-try"), (5, "importlib.import_module")],
    ),
    # The parser normalizes identifiers (NFKC): a fullwidth `eval` is `eval`.
    ("x = \uff45\uff56\uff41\uff4c('1')\n", [(1, "eval")]),
]


@pytest.mark.parametrize("source, expected", RUNTIME_CASES)
def test_runtime_imports(source: str, expected: list[tuple[int, str]]) -> None:
    assert rows(analyze(source), "runtime-import") == expected


@pytest.mark.skipif(sys.version_info < (3, 10), reason="`match` needs Python 3.10")
def test_imports_in_match_cases_are_seen() -> None:
    health = analyze("match x:\n    case 1:\n        import matriz.a\n")
    assert rows(health, "legacy-import") == [(3, "import matriz.a -> MATRIZ.a")]


def test_noqa_in_capitals_is_read() -> None:
    health = analyze("import os\nx = 1\nimport sys  # NOQA: E402 -- boot, ISSUE-5\n", e402=[3])
    assert [(f.line, f.category) for f in health.findings] == [(3, "noqa-justified")]


def test_the_shortcuts_find_what_the_full_walk_finds_on_the_standard_library() -> None:
    """A file that never says `noqa` is not tokenized, and one that cannot call a runtime-import
    pattern is walked without its expressions: on real code, neither may change a finding."""
    checked = shortcut = 0
    for path in stdlib_sample():
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        comments = [
            (t.start[0], t.string)
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type == tokenize.COMMENT and "noqa" in t.string.lower()
        ]
        assert [c for c in _comments(source) if "noqa" in c[1].lower()] == comments, path
        may_call = _may_call_a_pattern(source)
        assert _runtime_imports(str(path), tree, may_call) == _runtime_imports(
            str(path), tree
        ), path
        checked += 1
        shortcut += not may_call
    assert checked > 120, sys.version
    assert shortcut > 80  # the shortcut was taken


# ---------------------------------------------------------------------------------------------
# Legacy imports

LEGACY_CASES = [
    ("import matriz\n", [(1, "import matriz -> MATRIZ")]),
    ("import matriz as mz\n", [(1, "import matriz -> MATRIZ")]),
    ("import os, matriz.graph.nodes\n", [(1, "import matriz.graph.nodes -> MATRIZ.graph.nodes")]),
    (
        "import matriz.a, matriz.b\n",
        [(1, "import matriz.a -> MATRIZ.a"), (1, "import matriz.b -> MATRIZ.b")],
    ),
    ("from matriz import Node\n", [(1, "import-from matriz -> MATRIZ")]),
    ("from matriz.graph import a, b\n", [(1, "import-from matriz.graph -> MATRIZ.graph")]),
    ("from matriz import *\n", [(1, "import-from matriz -> MATRIZ")]),
    (
        "def f():\n    from matriz.graph import y as z\n",
        [(2, "import-from matriz.graph -> MATRIZ.graph")],
    ),
    # Uses through a legacy import are not counted again: the import is.
    ("import matriz\nmatriz.f()\n", [(1, "import matriz -> MATRIZ")]),
    ("import matriz_utils\nimport MATRIZ\nimport mymatriz\n", []),
    ("from . import matriz\nfrom .matriz import x\nfrom ..matriz.graph import y\n", []),
    ("from MATRIZ import matriz\nx = 'import matriz'\n", []),
]


@pytest.mark.parametrize("source, expected", LEGACY_CASES)
def test_legacy_imports(source: str, expected: list[tuple[int, str]]) -> None:
    assert rows(analyze(source), "legacy-import") == expected


def test_legacy_modules_dotted_prefix() -> None:
    source = "import old.pkg.mod\nimport old.pkgx\nfrom old import pkg\n"
    assert rows(analyze(source, renames={"old.pkg": "new.pkg"}), "legacy-import") == [
        (1, "import old.pkg.mod -> new.pkg.mod"),
        (3, "import-from old.pkg -> new.pkg"),
    ]


MOVED = {"candidate.memory_index": "core.memory_index"}


def test_a_use_through_the_parent_package_is_a_legacy_import() -> None:
    source = "import candidate\n\ncandidate.memory_index.index.build()\n"
    assert rows(analyze(source, renames=MOVED), "legacy-import") == [
        (3, "parent-use candidate.memory_index.index.build -> core.memory_index.index.build")
    ]


@pytest.mark.parametrize(
    "source, count",
    [
        # import-health used to count 1 here (prefix matching), matriz-migrate rewrote 2.
        ("from candidate import memory_index\nimport candidate.memory_index.index\n", 2),
        (
            "import candidate\nimport candidate.store\n\ncandidate.memory_index.f()\n"
            "candidate.memory_index.g()\ncandidate.store.h()\n",
            2,
        ),
        (
            "import os, candidate.memory_index.a, candidate.memory_index.b\n"
            "from candidate.memory_index.index import (\n    MemoryIndex,\n    build,\n)\n",
            3,
        ),
        ("import candidate as c\n\n\ndef f(c):\n    return c.memory_index\n", 0),
    ],
)
def test_import_health_and_matriz_migrate_count_the_same_legacy_imports(
    source: str, count: int
) -> None:
    path = "demo/core/x.py"
    health = analyze(source, renames=MOVED, path=path)
    migration = Migration(1, (rewrite_source(path, source.encode(), MOVED),))
    report = ImportHealthReport.build(demo_config(), [health])
    assert report.count("core", "legacy-import") == count
    assert legacy_counts(migration, demo_config()) == ({"core": count} if count else {})
    assert len(check_findings(migration, demo_config(), [])) == count
    lines = [f.line for f in health.findings if f.category == "legacy-import"]
    assert [c.line for c in migration.results[0].legacy_references] == lines


def test_a_file_the_detector_fails_on_is_a_finding_not_a_silent_zero() -> None:
    # The goal validates renames first; an unusable one stands in for any detector failure.
    health = analyze("x = 1\nimport matriz\n", renames={"matriz": "not a module"})
    [finding] = health.findings
    assert (finding.line, finding.category) == (1, "unparseable")
    assert finding.detail.startswith("legacy imports not checked: internal error: CSTValidation")


# ---------------------------------------------------------------------------------------------
# Files that cannot be read


@pytest.mark.parametrize(
    "data, error, line, detail",
    [
        (
            b"x = 1\nx = = 2\n",
            "line 2: SyntaxError: invalid syntax",
            2,
            "SyntaxError: invalid syntax",
        ),
        (
            b"x = 1\n\xff\xfe\n",
            "not valid UTF-8 at byte 6 (line 2); re-save the file as UTF-8",
            2,
            "not valid UTF-8 at byte 6 (line 2); re-save the file as UTF-8",
        ),
        (
            b"x = 1\ny = '\x00'\n",
            "line 2: source contains a null byte",
            2,
            "source contains a null byte",
        ),
        (
            b"# -*- coding: nonsense -*-\n",
            "unknown encoding: nonsense; fix the coding line or re-save the file as UTF-8",
            1,
            "unknown encoding: nonsense; fix the coding line or re-save the file as UTF-8",
        ),
    ],
)
def test_unparseable(data: bytes, error: str, line: int, detail: str) -> None:
    health = analyze_imports("demo/x.py", data, today=TODAY, e402_lines=[1])
    assert health.error == error
    assert health.findings == (ImportFinding("demo/x.py", line, "unparseable", detail),)


def test_bom_crlf_and_latin1_parse() -> None:
    data = b"\xef\xbb\xbfimport sys\r\nsys.path.append('x')\r\nimport a  # noqa: E402\r\n"
    health = analyze_imports("a.py", data, today=TODAY, e402_lines=[3])
    assert [(f.line, f.category) for f in health.findings] == [
        (2, "runtime-import"),
        (3, "noqa-unjustified"),
    ]
    latin = b"# -*- coding: latin-1 -*-\nx = '\xe9'\nimport matriz\n"
    assert rows(analyze_imports("a.py", latin, today=TODAY), "legacy-import") == [
        (3, "import matriz -> MATRIZ")
    ]


# ---------------------------------------------------------------------------------------------
# ruff's JSON

RUFF_OUTPUT = json.dumps(
    [
        {"code": "E402", "filename": "/repo/demo/a.py", "location": {"row": 9, "column": 1}},
        {"code": "E402", "filename": "/repo/demo/a.py", "location": {"row": 3, "column": 1}},
        {"code": "F401", "filename": "/repo/demo/a.py", "location": {"row": 4, "column": 1}},
        {"code": "E402", "filename": "demo/b.py", "location": {"row": 2, "column": 1}},
        {"code": None, "filename": "/repo/demo/c.py", "location": {"row": 5, "column": 1}},
    ]
)


def test_parse_ruff_json() -> None:
    assert parse_ruff_json(RUFF_OUTPUT, root="/repo/") == {
        "demo/a.py": (3, 9),
        "demo/b.py": (2,),
    }
    assert parse_ruff_json(RUFF_OUTPUT) == {"/repo/demo/a.py": (3, 9), "demo/b.py": (2,)}
    assert parse_ruff_json("") == {} and parse_ruff_json("[]") == {}


@pytest.mark.parametrize(
    "output, message",
    [
        ("E402 a.py", "ruff's output is not JSON"),
        ("{}", "ruff's JSON output must be a list of diagnostics"),
        ("[1]", "ruff diagnostic 0 is not an object"),
        ('[{"code": "E402"}]', "ruff diagnostic 0 has no `filename` and `location.row`"),
    ],
)
def test_parse_ruff_json_errors(output: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", "\\(")):
        parse_ruff_json(output)


# ---------------------------------------------------------------------------------------------
# Rollup, baseline and reports

CORE = "demo/core/config/paths.py"
LUKHAS = "demo/lukhas/service/loader.py"
CANDIDATE = "demo/candidate/x.py"


def files(extra_core: str = "") -> list[FileImportHealth]:
    core_source = (
        "import sys\nsys.path.insert(0, 'x')\nimport json\nimport a  # noqa: E402\n" + extra_core
    )
    extra_e402 = [5 + n for n in range(extra_core.count("\n"))]
    return [
        analyze(core_source, e402=[3, 4, *extra_e402], path=CORE),
        analyze("import matriz\ndef f():\n    import os\n", path=LUKHAS),
        analyze("if x:\n    import a\nx = = 1\n", path=CANDIDATE),
        analyze("import matriz\n", path="tools/y.py"),
    ]


def build(extra_core: str = "") -> ImportHealthReport:
    return ImportHealthReport.build(
        demo_config(), files(extra_core), not_checked=("lane-violation", "cycle")
    )


def test_build_counts() -> None:
    report = build()
    assert report.lanes == (
        "candidate",
        "core",
        "lukhas",
        "products",
        "matriz",
        "MATRIZ",
        "universal_language",
        None,
    )
    assert report.not_checked == ("lane-violation", "cycle")
    assert report.count("core", "e402") == 1
    assert report.count("core", "noqa-unjustified") == 1
    assert report.count("core", "runtime-import") == 1
    assert report.count("lukhas", "runtime-import") == 1
    assert report.count("lukhas", "legacy-import") == 1
    assert report.count(None, "legacy-import") == 1
    assert report.count("candidate", "unparseable") == 1
    assert report.count("candidate", "runtime-import") == 0  # the file does not parse
    assert report.production_total("runtime-import") == 2
    assert dict(report.directories)["demo/core/config"][CATEGORIES.index("e402")] == 1
    assert report.errors == ((CANDIDATE, "line 3: SyntaxError: invalid syntax"),)
    assert report.policy_failures == (
        f"{CORE}:4: noqa-unjustified in production lane core: `# noqa: E402` with no "
        "`-- reason`; no issue reference (ISSUE-123, #123, issue 123 or a URL)",
    )


def test_extra_findings_and_unchecked_e402() -> None:
    violation = ImportFinding(CORE, 1, "lane-violation", "core -> lukhas")
    report = ImportHealthReport.build(
        demo_config(),
        [analyze("import a\n", e402=None, path=CORE)],
        extra_findings=[violation],
        not_checked=("cycle",),
    )
    assert report.not_checked == ("e402", "noqa-unused", "cycle")
    assert report.count("core", "lane-violation") == 1


def test_baseline_roundtrip_is_clean() -> None:
    report = build()
    text = baseline_json(report)
    assert text.endswith("}\n")
    document = json.loads(text)
    assert (document["version"], document["kind"]) == (2, "import-health")
    assert list(document["lanes"]) == ["core", "lukhas", "products"]
    assert list(document["lanes"]["core"]) == [
        c for c in CATEGORIES if c not in ("lane-violation", "cycle")
    ]
    comparison = compare_to_baseline(report, text)
    assert comparison.clean and comparison.regressions == () and comparison.slack == ()
    # Clean against the baseline, but an unjustified exception in core fails anyway.
    assert not comparison.failed and run_failed(report, comparison) and run_failed(report, None)


def test_regression_and_slack() -> None:
    old = baseline_json(build())
    worse = build("import b\nimport c  # noqa: E402 -- late, ISSUE-5\n")
    comparison = compare_to_baseline(worse, old)
    assert comparison.regressions == (
        "core: e402 rose from 1 to 2 (+1); files with e402 in core: demo/core/config/paths.py (2)",
    )
    assert comparison.delta("core", "noqa-justified") == 1  # not ratcheted
    assert comparison.delta(None, "e402") == 1
    assert comparison.delta("core", "cycle") is None
    better = ImportHealthReport.build(
        demo_config(), files()[1:], not_checked=("lane-violation", "cycle")
    )
    comparison = compare_to_baseline(better, old)
    assert comparison.regressions == () and not comparison.failed
    assert comparison.slack[0] == (
        "core: e402 fell from 1 to 0 (-1); lower the baseline with `--update-baseline`"
    )


def test_new_category_is_a_note_not_a_regression() -> None:
    text = '{"version": 1, "kind": "import-health", "production": {"core": {"e402": 1}}}'
    comparison = compare_to_baseline(build(), text)
    assert comparison.categories == ("e402",)
    assert comparison.regressions == ()
    assert "noqa-unused: not in the baseline yet; `--update-baseline` tracks it" in (
        comparison.notes
    )
    assert "lukhas: not in the baseline, so compared against zero" in comparison.notes


def test_version_1_baselines_are_read() -> None:
    lanes = json.loads(baseline_json(build()))["lanes"]
    old = json.dumps({"version": 1, "kind": "import-health", "production": lanes})
    assert compare_to_baseline(build(), old) == compare_to_baseline(build(), baseline_json(build()))
    with pytest.raises(
        ValueError,
        match=r"base.json is not an import-health baseline of version 1 \(it has another shape\)",
    ):
        compare_to_baseline(build(), '{"version": 1, "production": {}}', "base.json")


def test_report_json_numbers_are_reproducible() -> None:
    report = build("import b\n")
    comparison = compare_to_baseline(report, baseline_json(build()))
    document = json.loads(json.dumps(report_json(report, comparison)))
    recount: dict[tuple[Optional[str], str], int] = {}
    for finding in document["findings"]:
        key = (finding["lane"], finding["category"])
        recount[key] = recount.get(key, 0) + 1
    for row in document["lanes"]:
        for category, value in row["counts"].items():
            if category in document["not_checked"]:
                assert value == "not checked"
            else:
                assert value == recount.get((row["lane"], category), 0)
    assert document["production_total"]["e402"] == 2
    assert document["baseline"]["lanes"]["core"]["e402"] == {"baseline": 1, "now": 2}
    assert document["failed"] is True
    assert len(document["exceptions"]) == 1 and document["exceptions"][0]["lane"] == "core"


def test_console_table() -> None:
    report = build("import b\n")
    comparison = compare_to_baseline(report, baseline_json(build()))
    lines = console_table(report, comparison).splitlines()
    assert lines[0].split() == [
        "category",
        "candidate",
        "core",
        "lukhas",
        "products",
        "matriz",
        "MATRIZ",
        "universal_language",
        "(none)",
        "production",
        "total",
    ]
    assert lines[1].split() == ["e402", "0", "2", "(+1)", "0", "0", "0", "0", "0", "0", "2", "(+1)"]
    assert lines[9].split()[:3] == ["lane-violation", "not", "checked"]
    assert lines[12] == "production lanes: core, lukhas, products; files analyzed: 4"
    assert lines[-1].startswith("regression: core: e402 rose from 1 to 2 (+1)")


def test_audit_markdown() -> None:
    health = analyze(SOURCE, e402=[8, 9, 10, 11, 12, 13], path=CORE)
    report = ImportHealthReport.build(demo_config(), [health], not_checked=("cycle",))
    text = audit_markdown(report, None, TODAY)
    assert text.startswith(
        "# Import migration audit\n\nDate: 2026-11-22. Files analyzed: 1. Findings: 8. "
        "Result: FAILED.\n"
    )
    assert (
        f"| `{CORE}` | 12 | core | noqa-expiring-soon | move, see ISSUE-88 EXCEPTION-20260901 "
        "| ISSUE-88 | 2026-09-01 | 2026-11-30 |"
    ) in text
    assert (
        "## Expiring within 14 days (1)\n\n"
        f"- `{CORE}:12` (core): expires 2026-11-30; issue ISSUE-88\n"
    ) in text
    assert f"## Runtime imports (1)\n\n- `{CORE}:6` (core): sys.path.insert\n" in text
    assert "## Unparseable files (0)\n\nNone.\n" in text
    assert "| cycle | not checked |" in text
    assert "Not checked in this run: cycle." in text


def test_parse_ruff_json_names_sandbox_paths_by_the_files_given() -> None:
    output = json.dumps(
        [
            {"filename": "/tmp/sandbox-1/demo/core/a.py", "code": "E402", "location": {"row": 4}},
            {"filename": "/tmp/sandbox-1/other/a.py", "code": "E402", "location": {"row": 2}},
        ]
    )
    assert parse_ruff_json(output, files=["demo/core/a.py"]) == {
        "/tmp/sandbox-1/other/a.py": (2,),
        "demo/core/a.py": (4,),
    }
