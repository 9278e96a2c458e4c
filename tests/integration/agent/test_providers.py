"""Both official SDKs against the scripted model server: streaming, tools, retries, cancel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest

from claude_tui.agent.providers import (
    Budget,
    BudgetExceededError,
    Message,
    ModelProvider,
    ProviderError,
    ToolCall,
    ToolResult,
    ToolSpec,
    Usage,
)
from claude_tui.agent.providers.anthropic_provider import AnthropicProvider
from claude_tui.agent.providers.openai_provider import (
    INVALID_ARGUMENTS_KEY,
    OpenAICompatibleProvider,
)
from model_server import HttpError, MidStreamError, ModelServer, Reply, Stall, ToolUse

READ = ToolSpec(
    "read_file",
    "Read a file",
    {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
)


@pytest.fixture
def server() -> Iterator[ModelServer]:
    with ModelServer() as srv:
        yield srv


def make(kind: str, server: ModelServer, **kw: object) -> ModelProvider:
    if kind == "anthropic":
        return AnthropicProvider(
            "claude-sonnet-4-6", "test-key", base_url=server.base_url, retry_base_delay=0.01, **kw
        )  # type: ignore[arg-type]
    return OpenAICompatibleProvider(
        "qwen2.5-coder:7b", None, base_url=server.openai_base_url, context_tokens=16384, **kw
    )  # type: ignore[arg-type]


KINDS = ["anthropic", "openai"]


@pytest.mark.parametrize("kind", KINDS)
async def test_streams_text_and_tool_calls_and_sends_tool_results_back(
    kind: str, server: ModelServer
) -> None:
    server.add(
        Reply(
            text="Let me look at the file first.",
            tool_calls=[ToolUse("read_file", {"path": "a.py"})],
            input_tokens=120,
            output_tokens=30,
        ),
        Reply(text="All good."),
    )
    provider = make(kind, server)
    streamed: list[str] = []

    async def sink(piece: str) -> None:
        streamed.append(piece)

    turn = await provider.complete("You edit code.", [Message("user", "fix a.py")], [READ], sink)
    assert turn.text == "Let me look at the file first."
    assert len(streamed) > 1, "text must arrive in several streamed pieces"
    assert "".join(streamed) == turn.text
    assert [(c.name, c.arguments) for c in turn.tool_calls] == [("read_file", {"path": "a.py"})]
    assert turn.usage.output_tokens == 30
    assert turn.usage.input_tokens == 120

    history = [
        Message("user", "fix a.py"),
        Message("assistant", turn.text, tool_calls=turn.tool_calls),
        Message("user", tool_results=[ToolResult(turn.tool_calls[0].id, "print('hi')\n")]),
    ]
    second = await provider.complete("You edit code.", history, [READ])
    assert second.text == "All good."
    assert second.tool_calls == []
    assert server.requests[1].tool_results() == ["print('hi')\n"]
    await provider.close()


async def test_anthropic_request_marks_prompt_cache_breakpoints(server: ModelServer) -> None:
    server.add(Reply(text="ok"))
    provider = make("anthropic", server)
    await provider.complete("system prompt", [Message("user", "hi")], [READ])
    body = server.requests[0].body
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert body["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    headers = server.requests[0].headers
    assert "test-key" in (headers.get("x-api-key", "") + headers.get("authorization", ""))


async def test_openai_request_sets_the_ollama_context_size(server: ModelServer) -> None:
    server.add(Reply(text="ok"))
    provider = make("openai", server)
    await provider.complete("system prompt", [Message("user", "hi")], [READ])
    body = server.requests[0].body
    assert body["options"] == {"num_ctx": 16384}
    assert body["messages"][0] == {"role": "system", "content": "system prompt"}
    assert body["tools"][0]["function"]["name"] == "read_file"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "error",
    [
        HttpError(429, "rate_limit_error", "slow down", retry_after=0.4),
        HttpError(529, "overloaded_error", "Overloaded", retry_after=0.4),
        HttpError(503, "api_error", "upstream busy", retry_after=0.4),
    ],
    ids=["429", "529-overloaded", "503"],
)
async def test_rate_limit_and_overload_are_retried_after_the_announced_delay(
    kind: str, error: HttpError, server: ModelServer
) -> None:
    server.add(error, error, Reply(text="finally"))
    provider = make(kind, server)
    started = time.monotonic()
    turn = await provider.complete("s", [Message("user", "hi")], [])
    elapsed = time.monotonic() - started
    assert turn.text == "finally"
    assert len(server.requests) == 3
    assert elapsed >= 0.75, f"retry-after of 0.4 s was not honoured twice ({elapsed:.2f}s)"


@pytest.mark.parametrize("kind", KINDS)
async def test_persistent_overload_gives_up_with_a_readable_error(
    kind: str, server: ModelServer
) -> None:
    server.add(*[HttpError(529, "overloaded_error", "Overloaded", retry_after=0.01)] * 3)
    provider = make(kind, server, max_retries=2)
    with pytest.raises(ProviderError, match=r"529.*Overloaded"):
        await provider.complete("s", [Message("user", "hi")], [])
    assert len(server.requests) == 3


async def test_anthropic_overload_in_the_middle_of_a_stream_is_retried(server: ModelServer) -> None:
    server.add(MidStreamError(), Reply(text="recovered"))
    provider = make("anthropic", server)
    turn = await provider.complete("s", [Message("user", "hi")], [])
    assert turn.text == "recovered"
    assert len(server.requests) == 2


async def test_authentication_failure_is_not_retried(server: ModelServer) -> None:
    server.add(HttpError(401, "authentication_error", "invalid x-api-key"))
    provider = make("anthropic", server)
    with pytest.raises(ProviderError, match="401 authentication_error: invalid x-api-key"):
        await provider.complete("s", [Message("user", "hi")], [])
    assert len(server.requests) == 1


@pytest.mark.parametrize("kind", KINDS)
async def test_cancellation_closes_the_stream_in_flight(kind: str, server: ModelServer) -> None:
    server.add(Stall(max_seconds=20))
    provider = make(kind, server)
    got_text = asyncio.Event()

    async def sink(piece: str) -> None:
        got_text.set()

    request = asyncio.create_task(provider.complete("s", [Message("user", "hi")], [], sink))
    await asyncio.wait_for(got_text.wait(), 10)
    request.cancel()
    with pytest.raises(asyncio.CancelledError):
        await request
    assert await asyncio.to_thread(server.disconnected.wait, 5), "server kept streaming"


async def test_broken_tool_arguments_from_a_local_model_are_kept_for_the_error(
    server: ModelServer,
) -> None:
    def broken(body: dict[str, object]) -> Reply:
        return Reply(tool_calls=[ToolUse("read_file", {"path": "a.py"})])

    server.add(broken)
    provider = make("openai", server)
    turn = await provider.complete("s", [Message("user", "hi")], [READ])
    assert turn.tool_calls[0].arguments == {"path": "a.py"}
    assert INVALID_ARGUMENTS_KEY == "__invalid_json__"


def test_budget_counts_tokens_and_cost_from_the_price_table() -> None:
    budget = Budget(max_tokens=10_000, max_cost_usd=Decimal("1"))
    budget.charge("claude-sonnet-4-5-20250929", Usage(input_tokens=1000, output_tokens=1000))
    assert budget.cost_usd == Decimal("0.018000")
    budget.charge("llama3.1:8b", Usage(input_tokens=1000, output_tokens=1000))
    assert budget.cost_usd == Decimal("0.018000"), "unknown models cost nothing"
    assert budget.usage.total_tokens == 4000
    with pytest.raises(BudgetExceededError, match="token budget exhausted: 10000 of 10000"):
        budget.charge("llama3.1:8b", Usage(input_tokens=6000))


def test_cost_budget_stops_a_task() -> None:
    budget = Budget(max_cost_usd=Decimal("0.01"))
    with pytest.raises(BudgetExceededError, match="cost budget exhausted"):
        budget.charge("claude-opus-4-1", Usage(input_tokens=1000))


def test_tool_call_is_a_value() -> None:
    assert ToolCall("1", "x", {}) == ToolCall("1", "x", {})
