"""The one RuleRunner of the tests that run the analyzer PEX: matriz-migrate, todo-audit,
promote's analysis gates and promote's importer rewrite.

Its first request costs ~10 s (the rule graph, the interpreters, the PEX); the four modules run
in one pytest process (their BUILD files' `batch_compatibility_tag`) and share it, each test
starting from its own tree and Pants' default options (`analyzer_rule_runner`).
"""

from __future__ import annotations

from functools import cache
from typing import Mapping, Union

from pants.backend.python.util_rules import pex
from pants.core.goals.fix import FixResult
from pants.core.util_rules import distdir
from pants.testutil.rule_runner import QueryRule, RuleRunner
from pants.vcs import git

from lanekeeper_pants import skip_fields
from lanekeeper_pants.analyzer import rules as analyzer_rules
from lanekeeper_pants.lanes.testutil import import_graph_rule_runner
from lanekeeper_pants.matriz_migrate import rules as matriz_migrate_rules
from lanekeeper_pants.matriz_migrate.rules import MatrizMigrateFixRequest
from lanekeeper_pants.promote import apply_goal
from lanekeeper_pants.promote.apply_goal import ImporterRewrite, ImporterRewriteRequest
from lanekeeper_pants.promote.gates import analysis as analysis_gates
from lanekeeper_pants.promote.gates.analysis import AnalysisGatesRequest
from lanekeeper_pants.promote.gates.request import PromoteGates
from lanekeeper_pants.testutil import ENV_INHERIT, reset_build_root
from lanekeeper_pants.todo_audit import rules as todo_audit_rules


@cache
def _shared_rule_runner() -> RuleRunner:
    return import_graph_rule_runner(
        [
            *matriz_migrate_rules.rules(),
            *todo_audit_rules.rules(),
            *analysis_gates.rules(),
            *apply_goal.rules(),
            *analyzer_rules.rules(),
            *skip_fields.rules(),
            *pex.rules(),
            *distdir.rules(),
            *git.rules(),
            QueryRule(FixResult, [MatrizMigrateFixRequest.Batch]),
            QueryRule(PromoteGates, [AnalysisGatesRequest]),
            QueryRule(ImporterRewrite, [ImporterRewriteRequest]),
        ],
        {},
    )


def analyzer_rule_runner(files: Mapping[str, Union[str, bytes]]) -> RuleRunner:
    """The process's shared RuleRunner holding `files` only, with Pants' default options: every
    test sets the options it relies on, none sees another module's."""
    runner = reset_build_root(_shared_rule_runner(), files)
    runner.set_options([], env_inherit=ENV_INHERIT)
    return runner
