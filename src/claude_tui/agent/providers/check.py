"""Whether the configured provider answers: its models list, fetched with the stored key."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claude_tui.agent.providers import (
    ProviderNotConfiguredError,
    _anthropic_key,
    ensure_provider_configured,
)
from claude_tui.settings import Settings

if TYPE_CHECKING:
    import anthropic
    import openai

#: A check is interactive: a dead server must not keep the admin waiting for the task timeout.
CHECK_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    provider: str | None
    models: int | None
    detail: str


def _without(secret: str | None, text: str) -> str:
    # Some servers quote the rejected key back in their error message.
    return text.replace(secret, "…") if secret else text


def _status_detail(exc: anthropic.APIStatusError | openai.APIStatusError) -> str:
    body = exc.body
    message = ""
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            message = str(error["message"])
    return f"HTTP {exc.status_code}: {message or exc.message}"


def _connection_detail(exc: Exception, base_url: str | None) -> str:
    cause = exc.__cause__ or exc.__context__
    where = f" to {base_url}" if base_url else ""
    return f"could not connect{where}: {cause or exc}"


async def check_connection(settings: Settings) -> ConnectionCheck:
    """List the provider's models with the effective settings; the error text when that fails."""
    try:
        provider = ensure_provider_configured(settings)
    except ProviderNotConfiguredError as exc:
        return ConnectionCheck(False, None, None, str(exc))
    if provider == "claude-code":
        return ConnectionCheck(
            True, provider, None, "the claude CLI was found (it signs in on its own)"
        )
    base_url = settings.agent_base_url
    # The SDKs load only when an admin asks: the server reaches /ready without them.
    if provider == "openai":
        import openai

        stored = settings.agent_api_key.get_secret_value() if settings.agent_api_key else None
        key = stored or os.environ.get("OPENAI_API_KEY")
        client = openai.AsyncOpenAI(
            api_key=key or "not-needed",
            base_url=base_url,
            timeout=CHECK_TIMEOUT_SECONDS,
            max_retries=0,
        )
        try:
            page = await client.models.list()
            count = len(page.data)
        except openai.APIStatusError as exc:
            return ConnectionCheck(False, provider, None, _without(key, _status_detail(exc)))
        except openai.APIError as exc:
            return ConnectionCheck(
                False, provider, None, _without(key, _connection_detail(exc, base_url))
            )
        finally:
            await client.close()
        return ConnectionCheck(True, provider, count, f"connected: {count} models")
    import anthropic

    key = _anthropic_key(settings)
    a_client = anthropic.AsyncAnthropic(
        api_key=key, base_url=base_url, timeout=CHECK_TIMEOUT_SECONDS, max_retries=0
    )
    try:
        a_page = await a_client.models.list()
        count = len(a_page.data)
    except anthropic.APIStatusError as exc:
        return ConnectionCheck(False, provider, None, _without(key, _status_detail(exc)))
    except anthropic.APIError as exc:
        return ConnectionCheck(
            False, provider, None, _without(key, _connection_detail(exc, base_url))
        )
    finally:
        await a_client.close()
    return ConnectionCheck(True, provider, count, f"connected: {count} models")
