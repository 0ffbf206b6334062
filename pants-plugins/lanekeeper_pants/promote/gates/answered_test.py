"""RuleRunner test of the answered-process wrapper: a tool's answer, findings or an error, is
kept after its run and reused in the next run (a new run id, as pantsd's next run); a killed
tool, or one that names its report and wrote none, runs again. A bare failing process, as
Pants' own lint rules make, runs in every run."""

from __future__ import annotations

from typing import Any

from pants.engine.process import FallibleProcessResult, Process
from pants.testutil.rule_runner import QueryRule, RuleRunner
from pants.util.logging import LogLevel

from lanekeeper_pants.promote.gates import answered
from lanekeeper_pants.promote.gates.answered import AnsweredProcess, ToolAnswer
from lanekeeper_pants.testutil import next_run


def test_an_answer_is_reused_and_a_killed_tool_runs_again() -> None:
    rule_runner = RuleRunner(
        rules=[
            *answered.rules(),
            QueryRule(ToolAnswer, [AnsweredProcess]),
            QueryRule(FallibleProcessResult, [Process]),
        ],
    )

    def run(request: Any, product: type = ToolAnswer) -> tuple[int, Any]:
        """The processes the engine ran or took from the disk cache (not from its memory) in
        a next run of `request`, and the result."""
        result, started = next_run(rule_runner, product, request)
        return len(started), result

    def tool(script: str) -> Process:
        return Process(("/bin/sh", "-c", script), description=script, level=LogLevel.DEBUG)

    findings = AnsweredProcess(tool("echo 'a.py:1: E1 finding'; exit 1"))
    ran, answer = run(findings)
    assert (ran, answer.exit_code, answer.output) == (1, 1, "a.py:1: E1 finding\n\n")
    assert run(findings)[0] == 0
    # A deterministic error (mypy's 2 on a bad config) is an answer too.
    error = AnsweredProcess(tool("echo 'bad config' >&2; exit 2"))
    ran, answer = run(error)
    assert (ran, answer.exit_code, answer.output) == (1, 2, "\nbad config\n")
    assert run(error)[0] == 0
    # Killed (the OOM killer's signal): no answer, so nothing is kept.
    killed = AnsweredProcess(tool("kill -9 $$"))
    ran, answer = run(killed)
    assert (ran, answer.exit_code) == (1, 137)
    assert run(killed)[0] == 1
    # A tool whose answer is its report (pip-audit): a run that wrote none is asked again.
    report = Process(
        ("/bin/sh", "-c", "echo '{}' > audit.json; exit 1"),
        description="report",
        output_files=("audit.json",),
    )
    assert run(AnsweredProcess(report, report="audit.json"))[0] == 1
    assert run(AnsweredProcess(report, report="audit.json"))[0] == 0
    unanswered = AnsweredProcess(tool("echo 'ConnectionError' >&2; exit 1"), report="audit.json")
    ran, answer = run(unanswered)
    assert (ran, answer.exit_code, answer.stderr) == (1, 1, "ConnectionError\n")
    assert run(unanswered)[0] == 1
    # The same failing tool without the wrapper, as Pants' lint rules run it: every run.
    bare = tool("echo 'a.py:1: E1 finding'; exit 1")
    assert run(bare, FallibleProcessResult)[0] == 1
    assert run(bare, FallibleProcessResult)[0] == 1
