"""OpenAI-compatible chat completions (Ollama, vLLM, llama.cpp server, LM Studio, OpenAI)."""

from __future__ import annotations

import json
from typing import Any

import openai

from claude_tui.agent.providers.base import (
    INVALID_ARGUMENTS_KEY,
    Message,
    ModelTurn,
    ProviderError,
    TextSink,
    ToolCall,
    ToolSpec,
    Usage,
)

__all__ = ["INVALID_ARGUMENTS_KEY", "OpenAICompatibleProvider"]


class OpenAICompatibleProvider:
    """Any server that speaks ``/v1/chat/completions`` with streamed tool calls.

    ``context_tokens`` is sent as Ollama's ``options.num_ctx``: Ollama otherwise loads the
    model with a small default window and silently drops the start of long conversations.
    Other servers ignore the field.
    """

    name = "openai"

    def __init__(
        self,
        model: str,
        api_key: str | None,
        base_url: str | None = None,
        timeout_seconds: float = 120.0,
        max_retries: int = 4,
        max_output_tokens: int = 8192,
        context_tokens: int | None = None,
    ) -> None:
        self.model = model
        self.max_output_tokens = max_output_tokens
        self.context_tokens = context_tokens
        # Local servers need no key, but the SDK insists on one.
        self.client = openai.AsyncOpenAI(
            api_key=api_key or "not-needed",
            base_url=base_url,
            timeout=timeout_seconds,
            max_retries=max_retries,
        )

    async def close(self) -> None:
        await self.client.close()

    def build_request(
        self, system: str, messages: list[Message], tools: list[ToolSpec]
    ) -> dict[str, Any]:
        """The keyword arguments of ``chat.completions.create`` for this conversation."""
        wire: list[dict[str, Any]] = [{"role": "system", "content": system}]
        for message in messages:
            wire.extend(_to_wire(message))
        request: dict[str, Any] = {
            "model": self.model,
            "messages": wire,
            "max_tokens": self.max_output_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if tools:
            request["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.input_schema,
                    },
                }
                for t in tools
            ]
        if self.context_tokens:
            request["extra_body"] = {"options": {"num_ctx": self.context_tokens}}
        return request

    async def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        on_text: TextSink | None = None,
    ) -> ModelTurn:
        """One streamed turn; the SDK retries 429/5xx honouring ``retry-after``."""
        request = self.build_request(system, messages, tools)
        texts: list[str] = []
        calls: dict[int, dict[str, str]] = {}
        usage = Usage()
        finish = ""
        model = self.model
        try:
            stream = await self.client.chat.completions.create(**request)
            async for chunk in stream:
                model = chunk.model or model
                if chunk.usage is not None:
                    cached = 0
                    details = getattr(chunk.usage, "prompt_tokens_details", None)
                    if details is not None and details.cached_tokens:
                        cached = details.cached_tokens
                    usage = Usage(
                        input_tokens=(chunk.usage.prompt_tokens or 0) - cached,
                        output_tokens=chunk.usage.completion_tokens or 0,
                        cache_read_tokens=cached,
                    )
                for choice in chunk.choices:
                    if choice.finish_reason:
                        finish = choice.finish_reason
                    delta = choice.delta
                    if delta.content:
                        texts.append(delta.content)
                        if on_text is not None:
                            await on_text(delta.content)
                    for part in delta.tool_calls or []:
                        slot = calls.setdefault(part.index, {"id": "", "name": "", "args": ""})
                        if part.id:
                            slot["id"] = part.id
                        if part.function is not None:
                            slot["name"] += part.function.name or ""
                            slot["args"] += part.function.arguments or ""
        except openai.APIStatusError as exc:
            raise ProviderError(
                f"model server error {exc.status_code}: {_message_of(exc)}"
            ) from exc
        except openai.APIConnectionError as exc:
            raise ProviderError(f"cannot reach the model server: {exc}") from exc
        tool_calls = [
            ToolCall(
                id=slot["id"] or f"call_{index}",
                name=slot["name"],
                arguments=_parse_arguments(slot["args"]),
            )
            for index, slot in sorted(calls.items())
        ]
        return ModelTurn(
            text="".join(texts),
            tool_calls=tool_calls,
            usage=usage,
            stop_reason=finish,
            model=model,
        )


def _parse_arguments(raw: str) -> dict[str, Any]:
    # Small local models sometimes emit broken JSON; the tool reports it back to the model.
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return {INVALID_ARGUMENTS_KEY: raw}
    return value if isinstance(value, dict) else {INVALID_ARGUMENTS_KEY: raw}


def _to_wire(message: Message) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if message.role == "assistant":
        entry: dict[str, Any] = {"role": "assistant", "content": message.text or None}
        if message.tool_calls:
            entry["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
                }
                for call in message.tool_calls
            ]
        return [entry]
    for result in message.tool_results:
        content = result.content or "(no output)"
        if result.is_error:
            content = f"ERROR: {content}"
        out.append({"role": "tool", "tool_call_id": result.call_id, "content": content})
    if message.text:
        out.append({"role": "user", "content": message.text})
    return out


def _message_of(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
    return exc.message
