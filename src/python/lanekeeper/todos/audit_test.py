from __future__ import annotations

import json
from datetime import date
from typing import Any, Optional

import pytest

from lanekeeper.kernel.ratchet import Comparison
from lanekeeper.testing import demo_config
from lanekeeper.todos.audit import (
    Counts,
    TodoAudit,
    age_days,
    audit_json,
    audit_markdown,
    audit_table,
    baseline_json,
    compare_to_baseline,
    debt_score,
    inventory_csv,
    overdue,
)
from lanekeeper.todos.formats import parse_formats
from lanekeeper.todos.grammar import TodoItem, parse_comment, scan_todos

TODAY = date(2026, 11, 22)
SOURCES = {
    "demo/core/a.py": (
        "# TODO[2026-01-01][PRIORITY:HIGH][OWNER:@alice][SCOPE:PROD][ISSUE:42] : use heapq\n"
        "x = 1  # TODO plain one\n"
        "# TODO[2026-13-40][PRIORITY:MED][OWNER:@alice][SCOPE:PROD] : bad date\n"
    ),
    "demo/core/b.py": (
        '"""TODO: not a comment."""\n# FIXME: quote, the "message"\n# TODO security review\n'
    ),
    "demo/lukhas/c.py": (
        "# TODO[2026-11-01][PRIORITY:MED][OWNER:@bob][SCOPE:PROD] : cache it\n"
        "# TODO[2025-11-22][PRIORITY:LOW][OWNER:@bob][SCOPE:DOCS][ISSUE:7] : document it\n"
    ),
    "demo/candidate/d.py": (
        "# TODO[2026-09-10][PRIORITY:HIGH][OWNER:@erin][SCOPE:CANDIDATE] : use a vault\n"
        "# XXX: scratch\n"
    ),
    "tools/e.py": "# HACK: unlaned\n",
    "demo/products/f.py": (
        "x = 1  # TODO[2026-05-20][PRIORITY:LOW][OWNER:@carol][SCOPE:X] : a, b\n"
        'y = """\n'
        "# TODO in the string\n"
    ),
}


def audit(sources: Optional[dict[str, str]] = None, max_age_days: Optional[int] = 180) -> TodoAudit:
    files = SOURCES if sources is None else sources
    scans = [scan_todos(path, text) for path, text in files.items()]
    return TodoAudit.build(demo_config(), scans, TODAY, max_age_days)


AUDIT = audit()


def todo(comment: str) -> TodoItem:
    item = parse_comment("demo/core/x.py", 1, comment)
    assert item is not None
    return item


def high(day: str = "2026-01-01") -> TodoItem:
    return todo(f"# TODO[{day}][PRIORITY:HIGH][OWNER:@a][SCOPE:PROD] : m")


MED = todo("# TODO[2026-01-01][PRIORITY:MED][OWNER:@a][SCOPE:PROD] : m")
LOW = todo("# FIXME[2026-01-01][PRIORITY:LOW][OWNER:@a][SCOPE:X] : m")
BAD = todo("# TODO[2026-01-01][PRIORITY:HIGH][OWNER:a][SCOPE:PROD] : m")
PLAIN = todo("# TODO m")


@pytest.mark.parametrize(
    "items, score",
    [
        ([], 0),
        ([high()], 10),
        ([MED], 3),
        ([LOW], 1),
        ([high(), high(), MED, LOW], 24),
        # Malformed and plain items have no priority.
        ([BAD, PLAIN], 0),
    ],
)
def test_debt_score(items: list[TodoItem], score: int) -> None:
    assert debt_score(items) == score


@pytest.mark.parametrize(
    "item, max_age, age, is_overdue",
    [
        (high("2026-01-01"), 180, 325, True),
        (high("2026-05-26"), 180, 180, False),
        (high("2026-05-25"), 180, 181, True),
        (high("2026-12-01"), 0, -9, False),
        (high("2020-01-01"), None, 2517, False),
        (BAD, 0, None, False),
        (PLAIN, 0, None, False),
    ],
)
def test_age_and_overdue(
    item: TodoItem, max_age: Optional[int], age: Optional[int], is_overdue: bool
) -> None:
    assert age_days(item, TODAY) == age
    assert overdue(item, TODAY, max_age) is is_overdue


def test_build_counts() -> None:
    assert AUDIT.files_scanned == 6
    assert AUDIT.counts_of("core") == Counts(
        structured=1, malformed=1, plain=3, high=1, med=0, low=0, score=10
    )
    assert AUDIT.counts_of("lukhas") == Counts(structured=2, med=1, low=1, score=4)
    assert AUDIT.counts_of("products") == Counts(structured=1, plain=1, low=1, score=1)
    assert AUDIT.counts_of("candidate") == Counts(structured=1, plain=1, high=1, score=10)
    assert AUDIT.counts_of(None) == Counts(plain=1)
    assert AUDIT.counts_of("matriz") == Counts()
    assert AUDIT.production == Counts(
        structured=4, malformed=1, plain=4, high=1, med=1, low=2, score=15
    )
    assert AUDIT.non_production == Counts(structured=1, plain=2, high=1, score=10)
    assert [row.lane for row in AUDIT.lanes] == [
        "candidate",
        "core",
        "lukhas",
        "products",
        "matriz",
        "MATRIZ",
        "universal_language",
        None,
    ]


def where(entries: Any) -> list[str]:
    return [f"{e.item.path}:{e.item.line}" for e in entries]


def test_build_lists() -> None:
    assert where(AUDIT.high) == ["demo/candidate/d.py:1", "demo/core/a.py:1"]
    assert where(AUDIT.malformed) == ["demo/core/a.py:3"]
    assert where(AUDIT.sensitive) == ["demo/core/b.py:3"]
    assert where(AUDIT.overdue) == [
        "demo/core/a.py:1",
        "demo/lukhas/c.py:2",
        "demo/products/f.py:1",
    ]
    assert [(e.path, e.error, e.method) for e in AUDIT.errors] == [
        (
            "demo/products/f.py",
            "line 2: unterminated triple-quoted string literal",
            "tokenize+line-scan",
        )
    ]
    assert audit(max_age_days=None).overdue == ()
    assert hash(AUDIT) == hash(audit())


CSV = '''\
file,line,kind,priority,owner,scope,message,lane,status,issue,age_days,format
demo/candidate/d.py,1,TODO,HIGH,@erin,CANDIDATE,use a vault,candidate,structured,,73,canonical
demo/candidate/d.py,2,XXX,,,,scratch,candidate,plain,,,
demo/core/a.py,1,TODO,HIGH,@alice,PROD,use heapq,core,structured,42,325,canonical
demo/core/a.py,2,TODO,,,,plain one,core,plain,,,
demo/core/a.py,3,TODO,,,,bad date,core,malformed,,,canonical
demo/core/b.py,2,FIXME,,,,"quote, the ""message""",core,plain,,,
demo/core/b.py,3,TODO,,,,security review,core,plain,,,
demo/lukhas/c.py,1,TODO,MED,@bob,PROD,cache it,lukhas,structured,,21,canonical
demo/lukhas/c.py,2,TODO,LOW,@bob,DOCS,document it,lukhas,structured,7,365,canonical
demo/products/f.py,1,TODO,LOW,@carol,UNKNOWN,"a, b",products,structured,,186,canonical
demo/products/f.py,3,TODO,,,,in the string,products,plain,,,
tools/e.py,1,HACK,,,,unlaned,,plain,,,
'''


def test_inventory_csv() -> None:
    assert inventory_csv(AUDIT) == CSV
    assert inventory_csv(audit({})) == CSV.splitlines(keepends=True)[0]


def test_audit_json_recomputes_every_count() -> None:
    document = json.loads(json.dumps(audit_json(AUDIT)))
    assert document["today"] == "2026-11-22"
    assert document["max_age_days"] == 180
    assert document["weights"] == {"HIGH": 10, "MED": 3, "LOW": 1}
    assert document["files_scanned"] == 6
    assert document["production_lanes"] == ["core", "lukhas", "products"]
    assert document["items"][2] == {
        "path": "demo/core/a.py",
        "line": 1,
        "kind": "TODO",
        "status": "structured",
        "date": "2026-01-01",
        "priority": "HIGH",
        "owner": "@alice",
        "scope": "PROD",
        "issue": "42",
        "message": "use heapq",
        "problems": [],
        "format": "canonical",
        "extras": [],
        "sensitive": False,
        "lane": "core",
        "age_days": 325,
        "overdue": True,
    }
    assert document["errors"] == [
        {
            "path": "demo/products/f.py",
            "error": "line 2: unterminated triple-quoted string literal",
            "method": "tokenize+line-scan",
        }
    ]
    assert document["summary"] == {
        "high": 2,
        "malformed": 1,
        "sensitive": 1,
        "overdue": 3,
        "errors": 1,
    }
    # Every count of the tables follows from the items alone.
    for row in document["lanes"]:
        mine = [i for i in document["items"] if i["lane"] == row["lane"]]
        structured = [i for i in mine if i["status"] == "structured"]
        assert row["structured"] == len(structured)
        assert row["malformed"] == sum(i["status"] == "malformed" for i in mine)
        assert row["plain"] == sum(i["status"] == "plain" for i in mine)
        for key in ("high", "med", "low"):
            assert row[key] == sum(i["priority"] == key.upper() for i in structured)
        assert row["score"] == sum(document["weights"][i["priority"]] for i in structured)
        assert row["total"] == len(mine)
    production = [r for r in document["lanes"] if r["production"]]
    for key, value in document["production_total"].items():
        assert value == sum(row[key] for row in production)
    for key, value in document["non_production_total"].items():
        assert value == sum(row[key] for row in document["lanes"] if not row["production"])


BASELINE = """\
{
  "version": 2,
  "kind": "todo-audit",
  "lanes": {
    "core": {
      "plain": 3,
      "malformed": 1,
      "structured": 1,
      "score": 10
    },
    "lukhas": {
      "plain": 0,
      "malformed": 0,
      "structured": 2,
      "score": 4
    },
    "products": {
      "plain": 1,
      "malformed": 0,
      "structured": 1,
      "score": 1
    }
  }
}
"""


def baseline(**changes: dict[str, int]) -> str:
    """BASELINE with some lanes' counts replaced."""
    document = json.loads(BASELINE)
    for lane, counts in changes.items():
        document["lanes"].setdefault(lane, dict.fromkeys(counts, 0)).update(counts)
    return json.dumps(document)


def test_baseline_json() -> None:
    assert baseline_json(AUDIT) == BASELINE


def test_equal_baseline_is_clean() -> None:
    comparison = compare_to_baseline(AUDIT, BASELINE)
    assert (comparison.failed, comparison.clean) == (False, True)
    assert (comparison.regressions, comparison.slack, comparison.notes) == ((), (), ())


def test_rises_fail_and_name_the_files() -> None:
    comparison = compare_to_baseline(AUDIT, baseline(core={"plain": 1, "malformed": 0, "score": 0}))
    assert comparison.failed
    assert comparison.regressions == (
        "core: plain TODOs rose from 1 to 3 (+2); files with plain TODOs in core: "
        "demo/core/b.py (2), demo/core/a.py (1)",
        "core: malformed TODOs rose from 0 to 1 (+1); files with malformed TODOs in core: "
        "demo/core/a.py (1)",
        "core: debt score rose from 0 to 10 (+10); files with structured TODOs in core: "
        "demo/core/a.py (score 10)",
    )
    assert comparison.slack == ()
    assert comparison.delta("core", "plain") == 2
    assert comparison.delta(None, "score") == 10
    assert comparison.delta("core", "high") is None
    assert comparison.delta("candidate", "plain") is None


def test_structured_rises_do_not_fail() -> None:
    comparison = compare_to_baseline(AUDIT, baseline(lukhas={"structured": 0}))
    assert (comparison.failed, comparison.clean) == (False, True)
    assert comparison.delta("lukhas", "structured") == 2


def test_version_1_baselines_are_read() -> None:
    lanes = json.loads(BASELINE)["lanes"]
    total = {key: sum(row[key] for row in lanes.values()) for key in lanes["core"]}
    old = json.dumps({"version": 1, "production": lanes, "production_total": total})
    assert compare_to_baseline(AUDIT, old) == compare_to_baseline(AUDIT, BASELINE)


TABLE = """\
lane                  structured  malformed  plain  HIGH  MED  LOW  score
candidate                      1          0      1     1    0    0     10
core                           1          1      3     1    0    0     10
lukhas                         2          0      0     0    1    1      4
products                       1          0      1     0    0    1      1
matriz                         0          0      0     0    0    0      0
MATRIZ                         0          0      0     0    0    0      0
universal_language             0          0      0     0    0    0      0
(none)                         0          0      1     0    0    0      0
-------------------------------------------------------------------------
production total               4          1      4     1    1    2     15
non-production total           1          0      2     1    0    0     10
production lanes: core, lukhas, products; score: HIGH=10, MED=3, LOW=1 (structured only)
"""

TABLE_WITH_CHANGES = """\
lane                  structured  malformed   plain  HIGH  MED  LOW     score
candidate                      1          0       1     1    0    0        10
core                           1          1  3 (+2)     1    0    0  10 (+10)
lukhas                         2          0       0     0    1    1    4 (-1)
products                       1          0       1     0    0    1         1
matriz                         0          0       0     0    0    0         0
MATRIZ                         0          0       0     0    0    0         0
universal_language             0          0       0     0    0    0         0
(none)                         0          0       1     0    0    0         0
-----------------------------------------------------------------------------
production total               4          1  4 (+2)     1    1    2   15 (+9)
non-production total           1          0       2     1    0    0        10
production lanes: core, lukhas, products; score: HIGH=10, MED=3, LOW=1 (structured only)
"""


def changed() -> Comparison:
    return compare_to_baseline(AUDIT, baseline(core={"plain": 1, "score": 0}, lukhas={"score": 5}))


def test_audit_table() -> None:
    assert audit_table(AUDIT) == TABLE
    assert audit_table(AUDIT, compare_to_baseline(AUDIT, BASELINE)) == TABLE
    assert audit_table(AUDIT, changed()) == TABLE_WITH_CHANGES


MARKDOWN = """\
# TODO cleanup audit

Date: 2026-11-22. Files scanned: 6. TODOs found: 12.

## Counts

| lane | production | structured | malformed | plain | HIGH | MED | LOW | debt score |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| candidate | no | 1 | 0 | 1 | 1 | 0 | 0 | 10 |
| core | yes | 1 | 1 | 3 | 1 | 0 | 0 | 10 |
| lukhas | yes | 2 | 0 | 0 | 0 | 1 | 1 | 4 |
| products | yes | 1 | 0 | 1 | 0 | 0 | 1 | 1 |
| matriz | no | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| MATRIZ | no | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| universal_language | no | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| (none) | no | 0 | 0 | 1 | 0 | 0 | 0 | 0 |
| **production total** |  | 4 | 1 | 4 | 1 | 1 | 2 | 15 |
| **non-production total** |  | 1 | 0 | 2 | 1 | 0 | 0 | 10 |

## TODO_DEBT_SCORE

Weighted sum over structured TODOs (HIGH=10, MED=3, LOW=1); malformed and plain TODOs score 0.

- Production (core, lukhas, products): 15
- Candidate and other non-production code (excluded from production metrics): 10

## TODO-HIGH items (2)

- `demo/candidate/d.py:1` @erin (candidate): use a vault
- `demo/core/a.py:1` @alice (core, issue 42): use heapq

## Malformed TODOs (1)

- `demo/core/a.py:3`: bad date '2026-13-40' (want YYYY-MM-DD)

## Security, privacy and safety TODOs (1)

These mention security, privacy or safety: convert them to issues; never delete them.

- `demo/core/b.py:3` (TODO, plain, core): security review

## Overdue TODOs: older than 180 days (3)

- `demo/core/a.py:1` @alice, 325 days old (dated 2026-01-01): use heapq
- `demo/lukhas/c.py:2` @bob, 365 days old (dated 2025-11-22): document it
- `demo/products/f.py:1` @carol, 186 days old (dated 2026-05-20): a, b

## Scan errors (1)

- `demo/products/f.py`: line 2: unterminated triple-quoted string literal \
(comments found by: tokenize+line-scan)
"""

BEFORE_AFTER = """
## Before and after (baseline)

Baseline check: FAILED.

| lane | plain TODOs | malformed TODOs | structured TODOs | debt score |
| --- | ---: | ---: | ---: | ---: |
| core | 1 -> 3 (+2) | 1 | 1 | 0 -> 10 (+10) |
| lukhas | 0 | 0 | 2 | 5 -> 4 (-1) |
| products | 1 | 0 | 1 | 1 |
| **production total** | 2 -> 4 (+2) | 1 | 4 | 6 -> 15 (+9) |

Regressions:

- core: plain TODOs rose from 1 to 3 (+2); files with plain TODOs in core: \
demo/core/b.py (2), demo/core/a.py (1)
- core: debt score rose from 0 to 10 (+10); files with structured TODOs in core: \
demo/core/a.py (score 10)

Slack:

- lukhas: debt score fell from 5 to 4 (-1); lower the baseline with `--update-baseline`
"""


def test_audit_markdown() -> None:
    assert audit_markdown(AUDIT) == MARKDOWN
    assert audit_markdown(AUDIT, changed()) == MARKDOWN + BEFORE_AFTER


def test_audit_markdown_empty() -> None:
    text = audit_markdown(audit({}, max_age_days=None))
    assert "## TODO-HIGH items (0)\n\nNone.\n" in text
    assert "## Overdue TODOs\n\nNot checked: no maximum age was set.\n" in text
    assert text.endswith("## Scan errors (0)\n\nNone.\n")


def test_audit_json_with_a_comparison() -> None:
    document = audit_json(AUDIT, changed())
    assert document["baseline"]["failed"] is True
    assert document["baseline"]["lanes"]["core"]["plain"] == {"baseline": 1, "now": 3}
    assert document["baseline"]["total"]["score"] == {"baseline": 6, "now": 15}
    assert "baseline" not in audit_json(AUDIT)


def test_json_counts_per_file_by_kind_status_and_priority() -> None:
    scans = [
        scan_todos(
            "demo/core/a.py",
            "# TODO[2026-01-01][PRIORITY:HIGH][OWNER:@a][SCOPE:PROD] : x\n# FIXME y\n# TODO z\n",
        )
    ]
    audit = TodoAudit.build(demo_config(), scans, date(2026, 11, 22), None)
    assert audit_json(audit)["files"] == {
        "demo/core/a.py": {"FIXME": 1, "HIGH": 1, "TODO": 2, "plain": 2, "structured": 1}
    }


T4 = parse_formats({"t4": {"tag": "T4", "fields": {"message": "reason"}}})
DECLARED = {
    "demo/core/t.py": (
        '# TODO[T4]: {"priority":"high","owner":"ann","reason":"use heapq","code":"B008"}\n'
        '# TODO[T4]: {"priority":"urgent","owner":"ann","reason":"retry"}\n'
        "# TODO[2026-01-01][PRIORITY:LOW][OWNER:@bo][SCOPE:PROD] : canonical\n"
    )
}


def test_declared_formats_count_and_are_reported() -> None:
    scans = [scan_todos(path, text, T4) for path, text in DECLARED.items()]
    audit = TodoAudit.build(demo_config(), scans, TODAY, None)
    assert audit.production == Counts(structured=2, malformed=1, high=1, low=1, score=11)
    assert audit.formats == (("canonical", 1, 0), ("t4", 1, 1))
    assert inventory_csv(audit).splitlines()[1:] == [
        "demo/core/t.py,1,TODO,HIGH,@ann,UNKNOWN,use heapq,core,structured,,,t4",
        "demo/core/t.py,2,TODO,,,,retry,core,malformed,,,t4",
        "demo/core/t.py,3,TODO,LOW,@bo,PROD,canonical,core,structured,,325,canonical",
    ]
    document = audit_json(audit)
    assert document["formats"] == {
        "canonical": {"structured": 1, "malformed": 0},
        "t4": {"structured": 1, "malformed": 1},
    }
    assert document["items"][0]["extras"] == [["tag", "T4"], ["code", "B008"]]
    assert audit_table(audit).splitlines()[-1] == (
        "declared formats: t4 1 structured, 1 malformed: rewrite them into the guide's grammar "
        "with `pants todo-audit --rewrite ::`"
    )
    markdown = audit_markdown(audit)
    assert (
        "## TODO formats\n\n"
        "Items read in formats declared in `[todo-audit].formats`: rewrite them into the "
        "guide's grammar with `pants todo-audit --rewrite ::`.\n\n"
        "| format | structured | malformed |\n| --- | ---: | ---: |\n"
        "| canonical | 1 | 0 |\n| t4 | 1 | 1 |\n\n"
        "## Malformed TODOs (1)\n\n"
        "- `demo/core/t.py:2` (t4): unknown priority 'urgent' (want HIGH, MED or LOW)\n"
    ) in markdown
    # Without declared formats the reports say nothing about formats.
    assert "formats" not in audit_table(AUDIT) and "## TODO formats" not in MARKDOWN
