"""Anthropic Messages API through the official SDK: streaming, tool use, prompt caching."""

from __future__ import annotations

from typing import Any

import anthropic

from claude_tui.agent.providers.base import (
    Message,
    ModelTurn,
    ProviderError,
    TextSink,
    ToolCall,
    ToolSpec,
    Usage,
)
from claude_tui.agent.providers.retry import with_retries

TRANSIENT_STREAM_ERRORS = frozenset({"overloaded_error", "rate_limit_error", "api_error"})
EPHEMERAL = {"type": "ephemeral"}


class AnthropicProvider:
    """Claude models. System prompt, tool list and the latest turn are marked for caching."""

    name = "anthropic"

    def __init__(
        self,
        model: str,
        api_key: str | None,
        base_url: str | None = None,
        timeout_seconds: float = 120.0,
        max_retries: int = 4,
        max_output_tokens: int = 8192,
        retry_base_delay: float = 0.5,
    ) -> None:
        self.model = model
        self.max_output_tokens = max_output_tokens
        self.max_retries = max_retries
        self.retry_base_delay = retry_base_delay
        self.client = anthropic.AsyncAnthropic(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout_seconds,
            max_retries=max_retries,
        )

    async def close(self) -> None:
        await self.client.close()

    async def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        on_text: TextSink | None = None,
    ) -> ModelTurn:
        """One streamed turn; transient errors (HTTP or mid-stream) are retried with backoff."""
        request = self.build_request(system, messages, tools)

        async def attempt() -> ModelTurn:
            async with self.client.messages.stream(**request) as stream:
                async for event in stream:
                    if event.type == "text" and on_text is not None:
                        await on_text(event.text)
                final = await stream.get_final_message()
            return self._turn(final)

        try:
            return await with_retries(attempt, _transient, self.max_retries, self.retry_base_delay)
        except anthropic.APIStatusError as exc:
            raise ProviderError(f"Anthropic API error {_describe(exc)}") from exc
        except anthropic.APIConnectionError as exc:
            raise ProviderError(f"cannot reach the Anthropic API: {exc}") from exc

    def build_request(
        self, system: str, messages: list[Message], tools: list[ToolSpec]
    ) -> dict[str, Any]:
        """The keyword arguments of ``messages.stream`` for this conversation."""
        tool_params: list[dict[str, Any]] = [
            {"name": t.name, "description": t.description, "input_schema": t.input_schema}
            for t in tools
        ]
        if tool_params:
            # One breakpoint after the tools caches tools and system prompt together.
            tool_params[-1]["cache_control"] = EPHEMERAL
        wire = [_to_wire(m) for m in messages]
        if wire and wire[-1]["content"]:
            # A breakpoint on the newest turn lets the next turn read the whole history from cache.
            wire[-1]["content"][-1]["cache_control"] = EPHEMERAL
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_output_tokens,
            "system": [{"type": "text", "text": system, "cache_control": EPHEMERAL}],
            "messages": wire,
        }
        if tool_params:
            request["tools"] = tool_params
        return request

    def _turn(self, final: Any) -> ModelTurn:
        texts: list[str] = []
        calls: list[ToolCall] = []
        for block in final.content:
            if block.type == "text":
                texts.append(block.text)
            elif block.type == "tool_use":
                arguments = block.input if isinstance(block.input, dict) else {}
                calls.append(ToolCall(id=block.id, name=block.name, arguments=arguments))
        usage = final.usage
        return ModelTurn(
            text="".join(texts),
            tool_calls=calls,
            usage=Usage(
                input_tokens=usage.input_tokens or 0,
                output_tokens=usage.output_tokens or 0,
                cache_read_tokens=getattr(usage, "cache_read_input_tokens", None) or 0,
                cache_write_tokens=getattr(usage, "cache_creation_input_tokens", None) or 0,
            ),
            stop_reason=str(final.stop_reason or ""),
            model=str(final.model or self.model),
        )


def _to_wire(message: Message) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    for result in message.tool_results:
        content.append(
            {
                "type": "tool_result",
                "tool_use_id": result.call_id,
                "content": result.content or "(no output)",
                "is_error": result.is_error,
            }
        )
    if message.text:
        content.append({"type": "text", "text": message.text})
    for call in message.tool_calls:
        content.append(
            {"type": "tool_use", "id": call.id, "name": call.name, "input": call.arguments}
        )
    return {"role": message.role, "content": content}


def _error_type(exc: anthropic.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("type", ""))
    return ""


def _transient(exc: BaseException) -> bool:
    # HTTP-level errors were already retried by the SDK; only a 200 stream that failed
    # half-way is retried again here.
    return (
        isinstance(exc, anthropic.APIStatusError)
        and exc.status_code == 200
        and _error_type(exc) in TRANSIENT_STREAM_ERRORS
    )


def _describe(exc: anthropic.APIStatusError) -> str:
    kind = _error_type(exc) or "error"
    body = exc.body
    message = ""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = str(body["error"].get("message", ""))
    status = "" if exc.status_code == 200 else f"{exc.status_code} "
    return f"{status}{kind}: {message or exc.message}"
