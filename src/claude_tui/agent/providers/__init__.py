"""Model providers, chosen from the settings."""

from __future__ import annotations

import os
from decimal import Decimal

from claude_tui.agent.providers.base import (
    Message,
    ModelProvider,
    ModelTurn,
    ProviderError,
    ProviderNotConfiguredError,
    ToolCall,
    ToolResult,
    ToolSpec,
    Usage,
)
from claude_tui.agent.providers.pricing import Budget, BudgetExceededError
from claude_tui.settings import Settings

__all__ = [
    "NO_PROVIDER_MESSAGE",
    "Budget",
    "BudgetExceededError",
    "Message",
    "ModelProvider",
    "ModelTurn",
    "ProviderError",
    "ProviderNotConfiguredError",
    "ToolCall",
    "ToolResult",
    "ToolSpec",
    "Usage",
    "budget_from_settings",
    "ensure_provider_configured",
    "provider_from_settings",
]

NO_PROVIDER_MESSAGE = (
    "no AI model provider is configured: either set ANTHROPIC_API_KEY (or "
    "CLAUDE_TUI_AGENT_API_KEY) with CLAUDE_TUI_AGENT_PROVIDER=anthropic, or point "
    "CLAUDE_TUI_AGENT_PROVIDER=openai and CLAUDE_TUI_AGENT_BASE_URL at an OpenAI-compatible "
    "server such as Ollama (http://localhost:11434/v1) with CLAUDE_TUI_AGENT_MODEL"
)
DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-6"


def _anthropic_key(settings: Settings) -> str | None:
    if settings.agent_api_key is not None and settings.agent_api_key.get_secret_value():
        return settings.agent_api_key.get_secret_value()
    return os.environ.get("ANTHROPIC_API_KEY") or None


def ensure_provider_configured(settings: Settings) -> str:
    """The provider's name; raise ``ProviderNotConfiguredError`` when none can be used."""
    provider = settings.agent_provider
    if provider is None and _anthropic_key(settings):
        provider = "anthropic"
    if provider == "anthropic" and not _anthropic_key(settings):
        raise ProviderNotConfiguredError(NO_PROVIDER_MESSAGE)
    if provider == "openai" and not (settings.agent_base_url and settings.agent_model):
        raise ProviderNotConfiguredError(NO_PROVIDER_MESSAGE)
    if provider == "claude-code":
        from claude_tui.agent.claude_code import find_claude_cli

        if find_claude_cli(settings.agent_claude_cli) is None:
            raise ProviderNotConfiguredError(
                "the claude-code backend is selected but the claude CLI was not found: install "
                "Claude Code or set CLAUDE_TUI_AGENT_CLAUDE_CLI to its path"
            )
    if provider is None:
        raise ProviderNotConfiguredError(NO_PROVIDER_MESSAGE)
    return provider


def provider_from_settings(settings: Settings) -> ModelProvider:
    """The configured model provider for our own loop (not the Claude Code backend)."""
    from claude_tui.agent.providers.anthropic_provider import AnthropicProvider
    from claude_tui.agent.providers.openai_provider import OpenAICompatibleProvider

    name = ensure_provider_configured(settings)
    common = {
        "timeout_seconds": settings.agent_timeout_seconds,
        "max_retries": settings.agent_max_retries,
        "max_output_tokens": settings.agent_max_output_tokens,
    }
    if name == "openai":
        key = settings.agent_api_key.get_secret_value() if settings.agent_api_key else None
        return OpenAICompatibleProvider(
            model=settings.agent_model or "",
            api_key=key or os.environ.get("OPENAI_API_KEY"),
            base_url=settings.agent_base_url,
            context_tokens=settings.agent_context_tokens,
            **common,  # type: ignore[arg-type]
        )
    if name == "claude-code":
        raise ProviderError("the claude-code backend runs whole tasks; it is not a chat provider")
    return AnthropicProvider(
        model=settings.agent_model or DEFAULT_ANTHROPIC_MODEL,
        api_key=_anthropic_key(settings),
        base_url=settings.agent_base_url,
        **common,  # type: ignore[arg-type]
    )


def budget_from_settings(settings: Settings) -> Budget:
    """The per-task token and cost budget."""
    cost = settings.agent_max_cost_usd_per_task
    return Budget(
        max_tokens=settings.agent_max_tokens_per_task,
        max_cost_usd=Decimal(str(cost)) if cost is not None else None,
    )
