"""Whether AI tasks can run here: the configured model provider, as the UI shows it."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel

from claude_tui.agent.providers import ProviderNotConfiguredError, ensure_provider_configured
from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import NOT_AUTHENTICATED
from claude_tui.api.routing import api_router
from claude_tui.services.provider_settings import effective_settings
from claude_tui.settings import Settings

router = api_router(prefix="/api/v1/agent", tags=["agent"], responses=NOT_AUTHENTICATED)


class AgentStatus(BaseModel):
    configured: bool
    provider: str | None
    model: str | None
    detail: str


@router.get("/status", response_model=AgentStatus, summary="The AI provider tasks would use")
async def agent_status(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> AgentStatus:
    settings: Settings = request.app.state.settings
    try:
        settings = await effective_settings(session, settings)
        provider = ensure_provider_configured(settings)
    except ProviderNotConfiguredError as exc:
        return AgentStatus(configured=False, provider=None, model=None, detail=str(exc))
    return AgentStatus(
        configured=True,
        provider=provider,
        model=settings.agent_model,
        detail=f"tasks run with {provider}"
        + (f" ({settings.agent_model})" if settings.agent_model else ""),
    )
