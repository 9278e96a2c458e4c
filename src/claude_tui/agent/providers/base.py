"""What every model provider speaks: a neutral conversation, tool specs, turns and usage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

# The arguments a provider hands over when the model's tool-call arguments are not valid JSON:
# the raw text under this key, so the tool can answer with the parse error.
INVALID_ARGUMENTS_KEY = "__invalid_json__"


class ProviderError(Exception):
    """The model could not be reached or refused the request; the message says why."""


class ProviderNotConfiguredError(ProviderError):
    """No model provider is configured."""


@dataclass(frozen=True)
class ToolSpec:
    """A tool offered to the model: its name, what it does, and a JSON schema of its input."""

    name: str
    description: str
    input_schema: dict[str, Any]


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ToolResult:
    call_id: str
    content: str
    is_error: bool = False


@dataclass
class Message:
    """One turn of the conversation, in a form both wire protocols can be built from."""

    role: Literal["user", "assistant"]
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_results: list[ToolResult] = field(default_factory=list)


@dataclass
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_read_tokens
            + self.cache_write_tokens
        )

    def add(self, other: Usage) -> None:
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cache_read_tokens += other.cache_read_tokens
        self.cache_write_tokens += other.cache_write_tokens


@dataclass
class ModelTurn:
    """What the model answered: its text, the tools it wants to call, and what it cost."""

    text: str
    tool_calls: list[ToolCall]
    usage: Usage
    stop_reason: str
    model: str


TextSink = Callable[[str], Awaitable[None]]


class ModelProvider(Protocol):
    """A chat model that can call tools. ``complete`` streams text to ``on_text`` as it comes."""

    name: str
    model: str

    async def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        on_text: TextSink | None = None,
    ) -> ModelTurn:
        """One model turn. Cancelling the awaiting task stops the request in flight."""
        ...

    async def close(self) -> None:
        """Release the HTTP connections."""
        ...
