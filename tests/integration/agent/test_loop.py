"""The validate-and-fix loop end to end: real SDKs, the scripted model server, the real engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claude_tui.agent.git import TaskRepository
from claude_tui.agent.loop import AgentLoop, LoopLimits, LoopOutcome
from claude_tui.agent.permissions import PermissionMode
from claude_tui.agent.providers import Budget, ModelProvider, ToolCall
from claude_tui.agent.providers.anthropic_provider import AnthropicProvider
from claude_tui.agent.providers.openai_provider import OpenAICompatibleProvider
from claude_tui.agent.sandbox import EngineVerifier, SandboxCommands
from claude_tui.agent.tools import Toolbox, Workspace
from model_server import ModelServer, Reply, ToolUse

BUGGY = "def add(a, b):\n    return a - b\n"
FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}


@pytest.fixture
def project(tmp_path: Path, calc_project: Callable[[Path], Path]) -> Path:
    (tmp_path / "secret.env").write_text("API_TOKEN=hunter2\n")
    return calc_project(tmp_path / "proj")


@pytest.fixture
def server(model_server: ModelServer) -> ModelServer:
    return model_server


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        self.events.append((kind, payload))

    def kinds(self) -> list[str]:
        return [k for k, _ in self.events]

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [p for k, p in self.events if k == kind]


def provider_for(kind: str, server: ModelServer) -> ModelProvider:
    if kind == "anthropic":
        return AnthropicProvider("claude-sonnet-4-6", "k", base_url=server.base_url)
    return OpenAICompatibleProvider("qwen2.5-coder", None, base_url=server.openai_base_url)


async def run_loop(
    kind: str,
    server: ModelServer,
    project: Path,
    *,
    mode: PermissionMode = PermissionMode.AUTO,
    budget: Budget | None = None,
    approve: Any = None,
    max_reflections: int = 3,
) -> tuple[LoopOutcome, Recorder, TaskRepository]:
    repo = TaskRepository(project, 1)
    await repo.start()
    events = Recorder()
    loop = AgentLoop(
        provider_for(kind, server),
        Toolbox(Workspace(project), SandboxCommands(project), repo),
        EngineVerifier(project),
        events,
        mode=mode,
        approve=approve,
        repo=repo,
        budget=budget,
        limits=LoopLimits(max_reflections=max_reflections, max_steps=12),
    )
    outcome = await loop.run("Fix add() in calc.py so the tests pass.")
    return outcome, events, repo


KINDS = ["anthropic", "openai"]


@pytest.mark.sandbox
@pytest.mark.parametrize("kind", KINDS)
async def test_a_task_that_edits_a_file_and_passes_the_tests(
    kind: str, server: ModelServer, project: Path
) -> None:
    server.add(
        Reply(text="Reading.", tool_calls=[ToolUse("read_file", {"path": "calc.py"})]),
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "Fixed add", "claimed_progress": 100})]),
    )
    outcome, events, repo = await run_loop(kind, server, project)
    assert outcome.status == "succeeded", outcome.error
    assert outcome.verified_progress == 100.0
    assert (project / "calc.py").read_text() == "def add(a, b):\n    return a + b\n"
    assert [s for _, s in await repo.steps()] == ["claude-tui task 1: edit_file calc.py"]
    full = [v for v in events.of("validation") if v["scope"] == "full"]
    assert full[-1]["passed"] is True
    assert full[-1]["tests"]["counts"]["passed"] == 1
    assert "     1| def add(a, b):" in server.requests[1].tool_results()[0] or (
        "1| def add(a, b):" in server.requests[1].tool_results()[0]
    )
    assert events.kinds()[0] == "model_message"
    assert events.kinds()[-1] == "finished"
    assert "commit" in events.kinds()
    assert server.remaining == 0


@pytest.mark.sandbox
@pytest.mark.parametrize("kind", KINDS)
async def test_a_pass_stub_is_reported_and_the_model_is_made_to_fix_it(
    kind: str, server: ModelServer, project: Path
) -> None:
    stub = {"path": "calc.py", "edits": [{"search": "    return a - b\n", "replace": "    pass\n"}]}
    server.add(
        Reply(tool_calls=[ToolUse("edit_file", stub)]),
        Reply(
            tool_calls=[
                ToolUse(
                    "edit_file",
                    {
                        "path": "calc.py",
                        "edits": [{"search": "    pass\n", "replace": "    return a + b\n"}],
                    },
                )
            ]
        ),
        Reply(tool_calls=[ToolUse("finish", {"summary": "done"})]),
    )
    outcome, events, repo = await run_loop(kind, server, project)
    feedback = server.requests[1].tool_results()[-1]
    assert "Validation FAILED" in feedback
    assert "placeholder" in feedback.lower()
    first_check = events.of("validation")[0]
    assert first_check["passed"] is False
    assert outcome.status == "succeeded", outcome.error
    # The stub was never committed as an accepted step.
    assert [s for _, s in await repo.steps()] == ["claude-tui task 1: edit_file calc.py"]
    assert "return a + b" in (project / "calc.py").read_text()


@pytest.mark.sandbox
@pytest.mark.parametrize("kind", KINDS)
async def test_a_model_claiming_success_while_a_test_fails_never_succeeds(
    kind: str, server: ModelServer, project: Path
) -> None:
    claim = Reply(
        text="All tests pass now, the task is complete.",
        tool_calls=[ToolUse("finish", {"summary": "Everything works", "claimed_progress": 100})],
    )
    server.add(claim, claim, claim)
    outcome, events, _ = await run_loop(kind, server, project, max_reflections=2)
    assert outcome.status == "failed"
    assert outcome.claimed_progress == 100.0
    assert outcome.verified_progress < 100.0
    assert "still fails validation after 2 reflections" in (outcome.error or "")
    assert "tests failed" in (outcome.error or "")
    assert len(events.of("reflection")) == 2
    feedback = server.requests[1].tool_results()[-1]
    assert "Tests FAILED: 0 passed, 1 failed" in feedback
    assert events.of("finished")[-1]["status"] == "failed"


STUB = "def helper(a, b):\n    pass  # TODO write it\n"
STUB_WRITES = {
    "write_file": ToolUse("write_file", {"path": "helper.py", "content": STUB}),
    "run_command": ToolUse(
        "run_command", {"command": f"cat > helper.py <<'X'\n{STUB}X\necho written"}
    ),
}


@pytest.mark.sandbox
@pytest.mark.parametrize("tool", sorted(STUB_WRITES))
async def test_a_stub_written_by_a_command_is_validated_like_an_edit(
    tool: str, server: ModelServer, project: Path
) -> None:
    server.add(
        Reply(tool_calls=[STUB_WRITES[tool]]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "done"})]),
    )
    _, events, repo = await run_loop("anthropic", server, project, max_reflections=0)
    assert (project / "helper.py").read_text() == STUB
    # The model reads the findings in the result of the very call that wrote the stub.
    result = server.requests[1].tool_results()[-1]
    assert "Validation FAILED" in result, result
    assert "- helper.py:1: [placeholder.stub-body]" in result, result
    check = events.of("validation")[0]
    assert check["scope"] == "changes"
    assert check["files"] == ["helper.py"]
    assert check["passed"] is False
    rules = sorted({(f["path"], f["line"], f["rule"]) for f in check["findings"]})
    assert ("helper.py", 1, "placeholder.stub-body") in rules, rules
    recorded = next(p for p in events.of("tool_result") if p["name"] == tool)
    assert "Validation FAILED" in recorded["content"]
    # A stub is not committed as an accepted step, whichever tool wrote it.
    assert await repo.steps() == []


@pytest.mark.sandbox
@pytest.mark.parametrize(
    "reply",
    [
        Reply(text="I cannot complete this task: the requirements contradict each other."),
        Reply(
            text="Stopping here.",
            tool_calls=[ToolUse("finish", {"summary": "I was unable to fix the failing test."})],
        ),
    ],
    ids=["plain-answer", "finish-call"],
)
async def test_a_model_that_gives_up_claims_nothing(
    reply: Reply, server: ModelServer, project: Path
) -> None:
    server.add(reply, Reply(text="spare turn that must not be asked for"))
    outcome, events, _ = await run_loop("anthropic", server, project)
    assert outcome.status == "failed"
    assert outcome.claimed_progress == 0.0
    assert outcome.verified_progress < 100.0
    assert (outcome.error or "").startswith("the model gave up: I ")
    finished = events.of("finished")[-1]
    assert finished["claimed_progress"] == 0.0
    assert finished["status"] == "failed"
    # Its findings are not sent back to a model that stopped trying.
    assert events.of("reflection") == []
    assert len(server.requests) == 1


@pytest.mark.sandbox
@pytest.mark.parametrize("kind", KINDS)
async def test_a_search_replace_that_does_not_match_goes_back_to_the_model(
    kind: str, server: ModelServer, project: Path
) -> None:
    wrong = {"path": "calc.py", "edits": [{"search": "return a-b", "replace": "return a+b"}]}
    server.add(
        Reply(tool_calls=[ToolUse("edit_file", wrong)]),
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(text="Fixed."),
    )
    outcome, _, _ = await run_loop(kind, server, project)
    error = server.requests[1].tool_results()[-1]
    assert "the search text was not found in calc.py" in error
    assert "2|     return a - b" in error
    assert outcome.status == "succeeded", outcome.error


@pytest.mark.sandbox
@pytest.mark.parametrize("kind", KINDS)
async def test_a_model_reading_outside_the_workspace_gets_nothing(
    kind: str, server: ModelServer, project: Path
) -> None:
    server.add(
        Reply(
            tool_calls=[
                ToolUse("read_file", {"path": "../secret.env"}),
                ToolUse("run_command", {"command": "cat ../secret.env"}),
            ]
        ),
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "done"})]),
    )
    outcome, _, _ = await run_loop(kind, server, project)
    results = server.requests[1].tool_results()
    assert "outside the workspace" in results[0]
    assert all("hunter2" not in r for r in results), "the sandbox leaked a file outside"
    assert outcome.status == "succeeded"


async def test_budget_exhaustion_stops_the_task(server: ModelServer, project: Path) -> None:
    server.add(
        Reply(tool_calls=[ToolUse("read_file", {"path": "calc.py"})], input_tokens=900),
        Reply(tool_calls=[ToolUse("read_file", {"path": "calc.py"})], input_tokens=900),
    )
    outcome, events, _ = await run_loop(
        "anthropic", server, project, budget=Budget(max_tokens=1500)
    )
    assert outcome.status == "failed"
    assert events.of("finished")[-1]["error"].startswith("token budget exhausted")
    assert outcome.error is not None
    assert outcome.error.startswith("token budget exhausted")
    assert len(server.requests) == 2


@pytest.mark.sandbox
async def test_read_only_mode_refuses_changes(server: ModelServer, project: Path) -> None:
    server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(text="I cannot edit."),
    )
    outcome, _, _ = await run_loop("openai", server, project, mode=PermissionMode.READ_ONLY)
    assert "read-only" in server.requests[1].tool_results()[0]
    assert (project / "calc.py").read_text() == BUGGY
    assert "edit_file" not in {t["function"]["name"] for t in server.requests[0].body["tools"]}
    assert outcome.status == "failed"


@pytest.mark.sandbox
async def test_ask_mode_waits_for_each_decision(server: ModelServer, project: Path) -> None:
    asked: list[str] = []

    async def approve(call: ToolCall) -> tuple[bool, str]:
        asked.append(call.name)
        return (call.name != "run_command", "no shell please")

    server.add(
        Reply(
            tool_calls=[ToolUse("run_command", {"command": "rm -rf ."}), ToolUse("edit_file", FIX)]
        ),
        Reply(tool_calls=[ToolUse("finish", {"summary": "done"})]),
    )
    outcome, events, _ = await run_loop(
        "anthropic", server, project, mode=PermissionMode.ASK, approve=approve
    )
    assert asked == ["run_command", "edit_file"]
    assert "the user declined run_command: no shell please" in server.requests[1].tool_results()[0]
    assert (project / "tests").is_dir()
    assert outcome.status == "succeeded"
    assert [p["approved"] for p in events.of("approval_decided")] == [False, True]
