from __future__ import annotations

from datetime import date

from lanekeeper.findings.convert import from_adoption, from_import_health
from lanekeeper.findings.model import ERROR, EXTERNAL, IN_SOURCE, NOTE, Suppression
from lanekeeper.import_health.analysis import FileImportHealth, ImportFinding, NoqaException
from lanekeeper.import_health.categories import NOQA_EXPIRED, NOQA_JUSTIFIED
from lanekeeper.import_health.report import ImportHealthReport
from lanekeeper.lanes.adoption import LaneBaseline, adopt, parse_exceptions
from lanekeeper.lanes.violations import LANE_VIOLATION, ImportedModule, LaneViolation
from lanekeeper.testing import demo_config

DEMO = demo_config()


def lk001(path: str, line: int, module: str) -> LaneViolation:
    imported = ImportedModule(module, "lukhas", f"demo/{module.replace('.', '/')}.py")
    return LaneViolation(path, line, 1, LANE_VIOLATION, "core", (imported,))


def test_the_linter_keeps_what_exceptions_and_the_baseline_allow_as_suppressed() -> None:
    exceptions = parse_exceptions(
        {
            "bridge": {
                "importer": "demo/core/**",
                "module": "lukhas.bridge",
                "reason": "rewritten in Q3",
                "issue": "LK-42",
                "expires": "2026-06-30",
            }
        }
    )
    violations = [
        lk001("demo/core/a.py", 1, "lukhas.new"),
        lk001("demo/core/a.py", 2, "lukhas.bridge"),
        lk001("demo/core/b.py", 3, "lukhas.old"),
    ]
    baseline = LaneBaseline.of([("demo/core/b.py", "lukhas.old")])
    adoption = adopt(
        violations, ["demo/core/a.py", "demo/core/b.py"], baseline, exceptions, date(2026, 6, 1)
    )
    findings = from_adoption(DEMO, adoption, "lanes-baseline.json")
    assert [(f.path, f.line, f.code, f.severity, f.suppression) for f in findings] == [
        ("demo/core/a.py", 1, "LK001", ERROR, None),
        (
            "demo/core/a.py",
            2,
            "LK001",
            ERROR,
            Suppression(EXTERNAL, "exception 'bridge' (LK-42): rewritten in Q3 (until 2026-06-30)"),
        ),
        (
            "demo/core/b.py",
            3,
            "LK001",
            ERROR,
            Suppression(EXTERNAL, "recorded in the baseline lanes-baseline.json"),
        ),
    ]
    assert findings[0].message.startswith(
        "lukhas.new (lane lukhas) may not be imported from lane core; fix: lane 'core' may import"
    )
    assert findings[0].identity == "lukhas.new" and findings[0].lane == "core"


def test_a_justified_noqa_is_its_e402_suppressed_in_source() -> None:
    def noqa(line: int, category: str) -> NoqaException:
        return NoqaException(
            "demo/core/a.py",
            line,
            category,
            f"# noqa: E402 -- {line}",
            "why",
            "ISSUE-1",
            None,
            None,
        )

    file = FileImportHealth(
        "demo/core/a.py",
        (
            ImportFinding("demo/core/a.py", 3, NOQA_JUSTIFIED, "reason: why; issue ISSUE-1"),
            ImportFinding("demo/core/a.py", 4, NOQA_EXPIRED, "expired 2 days before today"),
        ),
        exceptions=(noqa(3, NOQA_JUSTIFIED), noqa(4, NOQA_EXPIRED)),
    )
    justified, expired = from_import_health(ImportHealthReport.build(DEMO, [file]))
    assert (justified.code, justified.severity, justified.suppression) == (
        "E402",
        NOTE,
        Suppression(IN_SOURCE, "reason: why; issue ISSUE-1"),
    )
    assert justified.extra == {"category": NOQA_JUSTIFIED, "detail": "reason: why; issue ISSUE-1"}
    # An expired exception fails a production lane; its identity is the comment, not the
    # detail that counts days.
    assert (expired.code, expired.severity, expired.identity) == (
        NOQA_EXPIRED,
        ERROR,
        "# noqa: E402 -- 4",
    )
