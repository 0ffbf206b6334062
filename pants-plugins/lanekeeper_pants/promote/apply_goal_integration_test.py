"""RuleRunner test of `promote --apply`'s importer rewrite, on the analyzer PEX (libcst)."""

from __future__ import annotations

import json

from lanekeeper_pants.analyzer.testutil import analyzer_rule_runner
from lanekeeper_pants.promote.apply_goal import ImporterRewrite, ImporterRewriteRequest
from lanekeeper_pants.testutil import ENV_INHERIT, pex_global_args

# Imports `candidate` (`candidate/__init__.py`) only.
THROUGH_PARENT = (
    "import candidate\n\n\ndef build():\n    return candidate.memory_index.index.build()\n"
)
# ... and `candidate.store` only.
THROUGH_SIBLING = "import candidate.store\n\ncandidate.memory_index.index.build()\n"
DIRECT = "from candidate.memory_index.index import build\n"
# Names the module in a string, imports nothing of `candidate`: not an importer.
ELSEWHERE = 'MODULE = "candidate.memory_index"\n'


def test_files_that_reach_the_module_through_its_package_are_rewritten_too() -> None:
    rule_runner = analyzer_rule_runner(
        {
            "src/candidate/__init__.py": "",
            "src/candidate/store.py": "",
            "src/candidate/memory_index/__init__.py": "",
            "src/candidate/memory_index/index.py": "def build():\n    return 1\n",
            "src/lukhas/through_parent.py": THROUGH_PARENT,
            "src/lukhas/through_sibling.py": THROUGH_SIBLING,
            "src/lukhas/direct.py": DIRECT,
            "src/tools/names.py": ELSEWHERE,
            "src/candidate/BUILD": "python_sources()",
            "src/candidate/memory_index/BUILD": "python_sources()",
            "src/lukhas/BUILD": "python_sources()",
            "src/tools/BUILD": "python_sources()",
        },
    )
    rule_runner.set_options(
        [*pex_global_args(), "--source-root-patterns=['src']"], env_inherit=ENV_INHERIT
    )
    options = json.dumps(
        {"renames": {"candidate.memory_index": "core.memory_index"}, "rewrite_strings": True}
    )
    rewrite = rule_runner.request(
        ImporterRewrite, [ImporterRewriteRequest("src/candidate", options, 128)]
    )
    changed = {r.path: r.new_source for r in rewrite.results if r.new_source is not None}
    assert changed == {
        "src/lukhas/through_parent.py": (
            "import core.memory_index\n\n\ndef build():\n"
            "    return core.memory_index.index.build()\n"
        ).encode(),
        "src/lukhas/through_sibling.py": (
            "import candidate.store\nimport core.memory_index\n\n"
            "core.memory_index.index.build()\n"
        ).encode(),
        "src/lukhas/direct.py": DIRECT.replace("candidate", "core").encode(),
    }
    assert dict(rewrite.originals)["src/lukhas/through_sibling.py"] == THROUGH_SIBLING.encode()
