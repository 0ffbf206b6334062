from __future__ import annotations

import re

import pytest

from lanekeeper.kernel.globs import PathGlob
from lanekeeper.rename.migration import (
    Change,
    Migration,
    RewriteResult,
    baseline_json,
    check_findings,
    compare_to_baseline,
    console_table,
    dynamic_note,
    group_file_stem,
    group_html,
    group_json,
    group_of,
    legacy_counts,
    may_bind_legacy_path,
    may_mention,
    names_legacy_in_import,
    pull_request_groups,
    risk_statement,
    summary_markdown,
    validate_renames,
)
from lanekeeper.testing import demo_config

CONFIG = demo_config()
IMPORT = Change(3, "import", "matriz.graph", "MATRIZ.graph")
FROM = Change(4, "import-from", "matriz", "MATRIZ")
USE = Change(9, "use-site", "matriz.graph.f", "MATRIZ.graph.f")
STRING = Change(12, "string", "matriz.graph", "MATRIZ.graph")


def changed(path: str, *changes: Change, dynamic: tuple[Change, ...] = ()) -> RewriteResult:
    return RewriteResult(path, "changed", b"new\n", changes, dynamic)


CORE = changed("demo/core/a.py", IMPORT, FROM, USE)
CANDIDATE = changed("demo/candidate/b.py", IMPORT)
BROKEN = RewriteResult("demo/lukhas/c.py", "error", error="line 2: invalid syntax")
WITH_STRING = changed("demo/products/d.py", FROM, dynamic=(STRING,))
BLOCKING = frozenset({BROKEN.path})


RENAMES = {"matriz": "MATRIZ", "candidate.memory_index": "core.memory_index"}


@pytest.mark.parametrize(
    "source",
    [
        b"import matriz\n",
        b"import os, matriz.graph as g\n",
        b"import os, \\\n    matriz\n",
        b"    from matriz.a import x\n",
        b"from candidate import (\n    memory_index,\n)\n",
        b"patch('matriz.graph.f')\n",
        b'x: "matriz.Node"\n',
        # The moved module reached only through its parent package:
        b"import candidate\n\ncandidate.memory_index.index.build()\n",
        b"import candidate.store\n\ncandidate.memory_index.index.build()\n",
        b"import candidate as c\n\nc.memory_index.index.build()\n",
        b"import candidate\n\ngetattr(candidate, 'memory_index')\n",
    ],
)
def test_may_mention_finds_names_in_imports_and_strings(source: bytes) -> None:
    assert may_mention(source, RENAMES)


@pytest.mark.parametrize(
    "source, expected",
    [
        (b"import candidate\n", True),
        (b"import os, candidate.store as s\n", True),
        (b"import matriz.graph\n", True),
        (b"from pkg import (\n    other,\n    sub,\n)\n", True),  # the package pkg.sub
        (b"from candidate.memory_index import index\n", False),  # binds no name to a package
        (b"from matriz import Node\nfrom pkg.sub import mod\n", False),
        (b"import candidates\nimport pkgs\n", False),
    ],
)
def test_may_bind_legacy_path_decides_whether_scopes_are_needed(
    source: bytes, expected: bool
) -> None:
    renames = {**RENAMES, "pkg.sub.mod": "new.mod"}
    assert may_bind_legacy_path(source, renames) is expected


@pytest.mark.parametrize(
    "source",
    [
        b'"""Helpers for the legacy matriz package."""\n',
        b"# TODO: drop matriz\nimport os\n",
        b"import matriz_utils\nfrom mymatriz import x\n",
        b"x = config.matriz\n",
        b"from candidate import other\n",
        b"import MATRIZ\n",
    ],
)
def test_may_mention_skips_prose_and_look_alikes(source: bytes) -> None:
    assert not may_mention(source, RENAMES)


@pytest.mark.parametrize(
    "renames, message",
    [
        ({}, "`[x].renames` is empty; set at least one legacy -> canonical module name."),
        (
            {"matriz": "MATRIZ-2"},
            "`[x].renames`: 'MATRIZ-2' is not a dotted module name "
            "(write names like `matriz` or `candidate.memory_index`).",
        ),
        ({"a.b": "a.b"}, "`[x].renames`: 'a.b' is renamed to itself; drop the entry."),
        (
            {"matriz": "matriz.v2"},
            "`[x].renames`: 'matriz' -> 'matriz.v2' renames a module under its own name, so a "
            "second run would rewrite it again; pick a name outside it.",
        ),
    ],
)
def test_validate_renames_names_the_entry_and_the_fix(renames: dict, message: str) -> None:
    with pytest.raises(ValueError) as error:
        validate_renames(renames, "[x].renames")
    assert str(error.value) == message


def test_dynamic_left_excludes_rewritten_strings() -> None:
    assert WITH_STRING.dynamic_left == (STRING,)
    rewritten = changed("x.py", STRING, dynamic=(STRING,))
    assert rewritten.dynamic_left == ()


def test_groups() -> None:
    assert group_of("demo/core/a.py", "directory", CONFIG) == "demo/core"
    assert group_of("top.py", "directory", CONFIG) == "."
    assert group_of("demo/core/a.py", "lane", CONFIG) == "core"
    assert group_of("elsewhere/a.py", "lane", CONFIG) == "(none)"
    assert group_of("demo/core/a.py", "all", CONFIG) == "all"
    assert group_file_stem("demo/core/legacy") == "demo__core__legacy"
    assert group_file_stem(".") == "root"
    assert group_file_stem("(none)") == "none"
    migration = Migration(10, (CORE, CANDIDATE, BROKEN))
    assert list(migration.groups("lane", CONFIG)) == ["candidate", "core", "lukhas"]


def test_check_lists_production_imports_and_unreadable_files_only() -> None:
    migration = Migration(10, (CORE, CANDIDATE, BROKEN), blocking=BLOCKING)
    assert check_findings(migration, CONFIG, []) == [
        "demo/core/a.py:3: legacy import `matriz.graph` in production lane core; "
        "use `MATRIZ.graph`",
        "demo/core/a.py:4: legacy import `matriz` in production lane core; use `MATRIZ`",
        "demo/lukhas/c.py: could not be checked: line 2: invalid syntax",
    ]
    # An unparseable file that imports no legacy name is not part of the migration.
    assert len(check_findings(Migration(10, (CORE, BROKEN)), CONFIG, [])) == 2
    allowed = [PathGlob.parse("demo/core/**"), PathGlob.parse("demo/lukhas/c.py")]
    assert check_findings(migration, CONFIG, allowed) == []


def test_counts_and_baseline_ratchet() -> None:
    migration = Migration(10, (CORE, CANDIDATE, BROKEN, WITH_STRING))
    counts = legacy_counts(migration, CONFIG)
    assert counts == {"candidate": 1, "core": 2, "products": 1}
    baseline = baseline_json({"core": 1, "candidate": 3, "(none)": 1})
    comparison = compare_to_baseline(migration, CONFIG, baseline, "b.json")
    assert comparison.lines() == [
        "regression: core: legacy imports rose from 1 to 2 (+1); "
        "files with legacy imports in core: demo/core/a.py (2)",
        "regression: products: legacy imports rose from 0 to 1 (+1); "
        f"files with legacy imports in products: {WITH_STRING.path} (1)",
        "slack: (none): legacy imports fell from 1 to 0 (-1); "
        "lower the baseline with `--update-baseline`",
        "slack: candidate: legacy imports fell from 3 to 1 (-2); "
        "lower the baseline with `--update-baseline`",
    ]
    # Version 1 named the files in no lane `no-lane`.
    old = '{"version": 1, "legacy_imports": {"core": 1, "candidate": 3, "no-lane": 1}}'
    assert compare_to_baseline(migration, CONFIG, old, "b.json") == comparison


def test_risk_levels() -> None:
    assert risk_statement(Migration(1, (CANDIDATE,)))[0] == "LOW"
    assert risk_statement(Migration(1, (CORE,)))[0] == "MEDIUM"
    level, reasons = risk_statement(Migration(1, (CORE, BROKEN, WITH_STRING), blocking=BLOCKING))
    assert level == "HIGH"
    assert reasons[0].startswith("1 file could not be parsed or decoded and may import a legacy")
    assert reasons[1].startswith("1 string reference to legacy modules")
    level, reasons = risk_statement(Migration(1, (CANDIDATE, BROKEN)))
    assert level == "LOW"
    assert reasons == [
        "1 file could not be parsed or decoded but no import in them names a legacy module: "
        "they are not part of the migration."
    ]


def test_group_reports() -> None:
    old = b"import matriz.graph  # <keep>\n"
    result = RewriteResult(
        "demo/core/a.py", "changed", b"import MATRIZ.graph  # <keep>\n", (IMPORT,), (STRING,)
    )
    migration = Migration(2, (result, BROKEN), {"demo/core/a.py": old}, blocking=frozenset())
    document = group_json(migration, "demo/core", [result, BROKEN])
    assert document["files_changed"] == 1
    assert (document["rename_lines"], document["format_lines"]) == (1, 0)
    assert document["files"] == [
        {
            "file": "demo/core/a.py",
            "formatting": "not-formatted",
            "rename_lines": 1,
            "format_lines": 0,
        }
    ]
    assert document["changes"] == [
        {
            "file": "demo/core/a.py",
            "line": 3,
            "kind": "import",
            "before": "matriz.graph",
            "after": "MATRIZ.graph",
        }
    ]
    assert document["dynamic_left"][0]["line"] == 12
    assert document["errors"] == [
        {"file": "demo/lukhas/c.py", "error": "line 2: invalid syntax", "blocks_apply": False}
    ]

    page = group_html(migration, "demo/core", [result, BROKEN])
    assert '<span class="del">-import matriz.graph  # &lt;keep&gt;</span>' in page
    assert '<span class="add">+import MATRIZ.graph  # &lt;keep&gt;</span>' in page
    assert "Not rewritten: line 2: invalid syntax" in page
    # Self-contained: no script, no stylesheet or image fetched from anywhere.
    assert not re.search(r"<script|<link|src=|url\(", page)


def test_summary_and_console_table_agree_with_the_results() -> None:
    migration = Migration(50, (CORE, CANDIDATE, BROKEN, WITH_STRING), blocking=BLOCKING)
    groups = migration.groups("directory", CONFIG)
    summary = summary_markdown(migration, {"matriz": "MATRIZ"}, groups, applied=False)
    for line in (
        "- Files scanned: 50",
        "- Files changed: 3",
        "- Imports updated: 4",
        "- Use sites updated: 1",
        "- String references left (dynamic): 1",
        "- Unparseable files: 1",
        "## Risk: HIGH",
        "- Lines changed: 3 (3 by the rename, 0 by formatting)",
        "- `demo/lukhas/c.py`: line 2: invalid syntax (may import a legacy module, so "
        "`--apply` refuses until it parses)",
        "| `demo/core` | 1 | 2 | 1 | 0 | 0 | 1 | 0 | "
        "[html](dryrun_demo__core.html), [json](dryrun_demo__core.json) |",
    ):
        assert line in summary.splitlines()
    assert console_table(migration, groups).splitlines() == [
        "group           files  imports  use sites  dynamic left  errors  rename lines  "
        "format lines",
        "demo/candidate      1        1          0             0       0             1  "
        "           0",
        "demo/core           1        2          1             0       0             1  "
        "           0",
        "demo/lukhas         0        0          0             0       1             0  "
        "           0",
        "demo/products       1        1          0             1       0             1  "
        "           0",
        "total               3        4          1             1       1             3  "
        "           0",
    ]


PARENT = Change(7, "parent-use", "candidate.memory_index.index.f", "core.memory_index.index.f")
GETATTR = Change(8, "dynamic-use", 'getattr(candidate, "memory_index")', "core.memory_index")
THROUGH_PARENT = changed("demo/lukhas/e.py", PARENT, dynamic=(GETATTR,))


def test_a_use_through_a_parent_package_counts_and_a_dynamic_use_is_reported() -> None:
    migration = Migration(5, (THROUGH_PARENT,))
    assert THROUGH_PARENT.legacy_references == (PARENT,)
    assert legacy_counts(migration, CONFIG) == {"lukhas": 1}
    assert check_findings(migration, CONFIG, []) == [
        "demo/lukhas/e.py:7: legacy use `candidate.memory_index.index.f` (through its parent "
        "package) in production lane lukhas; use `core.memory_index.index.f`"
    ]
    level, reasons = risk_statement(migration)
    assert level == "HIGH"
    assert reasons[0].startswith("1 dynamic use of legacy modules (`getattr(candidate, ")
    assert reasons[2].startswith("1 use reached a legacy module through an import of its parent")
    groups = migration.groups("all", CONFIG)
    summary = summary_markdown(migration, RENAMES, groups, applied=False).splitlines()
    assert "- Use sites updated: 1" in summary
    assert "- Uses through a parent package updated: 1" in summary
    assert "- String references left (dynamic): 0" in summary
    assert "- Dynamic uses left (not rewritten): 1" in summary
    page = group_html(migration, "all", [THROUGH_PARENT])
    assert (
        '<p class="note">line 8: dynamic use <code>getattr(candidate, &quot;memory_index&quot;)'
        "</code> left as it is: rewrite it by hand to reach <code>core.memory_index</code></p>"
    ) in page
    assert dynamic_note("demo/lukhas/e.py", GETATTR) == (
        'demo/lukhas/e.py:8: dynamic use `getattr(candidate, "memory_index")` left: rewrite it '
        "to reach `core.memory_index`"
    )
    assert console_table(migration, groups).splitlines()[-1].split() == [
        "total",
        "1",
        "0",
        "1",
        "1",
        "0",
        "1",
        "0",
    ]


@pytest.mark.parametrize(
    "source, names",
    [
        (b"from matriz import x\nprint 'py2'\n", True),
        (b"import os, matriz.graph\nprint 'py2'\n", True),
        (b"from candidate import memory_index\n", True),  # a package above a legacy module
        (b'print "matriz is the old name"\n', False),
        (b"import matriz_utils\nprint 'the matriz graph'\n", False),
        # A byte test cannot tell a comment from code: when in doubt, the file is part of it.
        (b"# from matriz import x\nprint 'py2'\n", True),
    ],
)
def test_which_unparseable_files_are_part_of_the_migration(source: bytes, names: bool) -> None:
    assert names_legacy_in_import(source, RENAMES) is names


def test_pull_request_groups_pack_whole_directories_in_path_order() -> None:
    lines = {
        "a/x": 150,
        "a": 30,
        "a-b": 20,
        "a/x/deep": 100,
        "b": 500,  # over the limit alone: a group of its own
        "c": 0,  # nothing to rewrite (only dynamic references or errors)
        "d": 10,
        ".": 5,
    }
    assert pull_request_groups(lines, 200) == {
        ".+2": [".", "a", "a/x"],
        "a/x/deep+1": ["a/x/deep", "a-b"],
        "b": ["b"],
        "d": ["d"],
        "nothing-to-rewrite": ["c"],
    }
    # Applying a group leaves the other groups (members and names) as they were.
    del lines["a/x/deep"], lines["a-b"]
    assert pull_request_groups(lines, 200) == {
        ".+2": [".", "a", "a/x"],
        "b": ["b"],
        "d": ["d"],
        "nothing-to-rewrite": ["c"],
    }
    assert group_file_stem(".+2") == "root+2"
