"""RuleRunners for the tests of the rules that read the import graph: the `lanes` linter and
goal, and promote's graph gates and importer rewrite."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Union

from pants.backend.python import target_types_rules
from pants.backend.python.dependency_inference import rules as dependency_inference_rules
from pants.backend.python.target_types import PythonSourcesGeneratorTarget, PythonSourceTarget
from pants.base.specs import RawSpecs
from pants.base.specs_parser import SpecsParser
from pants.core.goals.lint import LintResult
from pants.core.goals.lint import rules as lint_rules
from pants.core.util_rules import config_files, source_files
from pants.core.util_rules.partitions import _EmptyMetadata
from pants.engine.internals.specs_rules import rules as specs_rules
from pants.engine.target import Targets
from pants.testutil.rule_runner import QueryRule, RuleRunner

from lanekeeper_pants import skip_fields
from lanekeeper_pants.lanes import edges, lint
from lanekeeper_pants.lanes import rules as lanes_rules
from lanekeeper_pants.lanes.lint import LanesFieldSet, LanesLintRequest
from lanekeeper_pants.testutil import ENV_INHERIT


def import_graph_rule_runner(
    rules: Iterable[Any], files: Mapping[str, Union[str, bytes]]
) -> RuleRunner:
    """A RuleRunner with `rules` over Python sources whose imports Pants infers (and
    `edges.RepoImports`), holding `files`."""
    runner = RuleRunner(
        rules=[
            *rules,
            *edges.rules(),
            *target_types_rules.rules(),
            *dependency_inference_rules.rules(),
            *source_files.rules(),
        ],
        target_types=[PythonSourcesGeneratorTarget, PythonSourceTarget],
    )
    runner.write_files(files)
    return runner


def lanes_rule_runner(files: Mapping[str, Union[str, bytes]]) -> RuleRunner:
    """A RuleRunner with the `lanes` linter and goal, holding `files`."""
    return import_graph_rule_runner(
        [
            *lint.rules(),
            *lanes_rules.rules(),
            *skip_fields.rules(),
            *lint_rules(),
            *config_files.rules(),
            *specs_rules(),
            QueryRule(Targets, [RawSpecs]),
            QueryRule(LintResult, [LanesLintRequest.Batch]),
        ],
        files,
    )


def run_lanes_lint(rule_runner: RuleRunner, args: Iterable[str], *specs: str) -> LintResult:
    """The `lanes` linter's result for the files of `specs`, as one batch."""
    rule_runner.set_options(list(args), env_inherit=ENV_INHERIT)
    parsed = SpecsParser(root_dir=rule_runner.build_root).parse_specs(
        specs, description_of_origin="test"
    )
    targets = rule_runner.request(Targets, [parsed.includes])
    field_sets = tuple(LanesFieldSet.create(t) for t in targets if LanesFieldSet.is_applicable(t))
    return rule_runner.request(
        LintResult, [LanesLintRequest.Batch("", field_sets, partition_metadata=_EmptyMetadata())]
    )
