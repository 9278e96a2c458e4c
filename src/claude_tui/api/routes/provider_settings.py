"""The server's model provider settings: read by anyone signed in, changed by administrators.

The provider API key goes in and never comes out: responses say only whether one is set and,
for long keys, its last four characters.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import FastAPI, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from claude_tui.agent.providers import ProviderNotConfiguredError, ensure_provider_configured
from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.events import broadcaster_of
from claude_tui.api.routes.problem_docs import problems
from claude_tui.api.routing import api_router
from claude_tui.observability.logging import get_logger
from claude_tui.services import provider_settings
from claude_tui.services.provider_settings import (
    ProviderSettingsChange,
    ProviderSettingsView,
    effective_settings_of,
)

log = get_logger(__name__)

router = api_router(prefix="/api/v1/settings", tags=["settings"])

READ_PROBLEMS = problems({401: "Not authenticated (problem+json)."})
WRITE_PROBLEMS = problems(
    {
        401: "Not authenticated (problem+json).",
        403: "Not an administrator, or the API key lacks settings:write (problem+json).",
    }
)


class ProviderSettingsOut(BaseModel):
    provider: str | None = Field(description="The provider; null: the server's default.")
    model: str | None = Field(description="The model; null: the server's default.")
    base_url: str | None = Field(
        description="The provider's URL (credentials in it masked); null: the server's default."
    )
    api_key_set: bool = Field(description="Whether an API key is stored on the server.")
    api_key_last4: str | None = Field(
        description="The key's last four characters (only for keys of 12 characters or more)."
    )
    api_key_readable: bool = Field(
        description="False when the stored key was encrypted under another secret key."
    )
    updated_by: int | None
    updated_at: datetime | None

    @classmethod
    def of(cls, view: ProviderSettingsView) -> ProviderSettingsOut:
        return cls.model_validate(view, from_attributes=True)


class ProviderSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: Annotated[str | None, Field(max_length=32)] = Field(
        default=None, description=f"One of {', '.join(provider_settings.PROVIDERS)}, or null."
    )
    model: Annotated[str | None, Field(max_length=provider_settings.MAX_MODEL_LENGTH)] = None
    base_url: Annotated[str | None, Field(max_length=provider_settings.MAX_URL_LENGTH)] = Field(
        default=None,
        description="http(s) URL of the provider, without credentials (give them as api_key).",
    )
    api_key: Annotated[str | None, Field(max_length=provider_settings.MAX_KEY_LENGTH)] = Field(
        default=None,
        description="A new API key; omitted or null keeps the stored one. Never returned.",
    )


@router.get(
    "/provider",
    response_model=ProviderSettingsOut,
    summary="The model provider set on the server (never the API key)",
    responses=READ_PROBLEMS,
)
async def get_provider_settings(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> ProviderSettingsOut:
    return ProviderSettingsOut.of(
        await provider_settings.read(session, request.app.state.secret_key)
    )


@router.put(
    "/provider",
    response_model=ProviderSettingsOut,
    summary="Set the model provider, model, base URL and API key (admins)",
    responses={
        **WRITE_PROBLEMS,
        **problems(
            {
                409: "Changed by someone else at the same moment (problem+json).",
                422: "Unknown provider, empty key or a base URL that is not http(s).",
            }
        ),
    },
)
async def put_provider_settings(
    request: Request,
    response: Response,
    session: DbSession,
    principal: CurrentPrincipal,
    body: ProviderSettingsIn,
) -> ProviderSettingsOut:
    view = await provider_settings.update(
        session,
        principal,
        request.app.state.secret_key,
        ProviderSettingsChange(body.provider, body.model, body.base_url, body.api_key),
    )
    response.headers["Cache-Control"] = "no-store"
    await _start_execution_if_needed(request.app)
    return ProviderSettingsOut.of(view)


@router.delete(
    "/provider/api-key",
    response_model=ProviderSettingsOut,
    summary="Remove the stored provider API key (admins)",
    responses=WRITE_PROBLEMS,
)
async def delete_provider_api_key(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> ProviderSettingsOut:
    view = await provider_settings.clear_api_key(session, principal, request.app.state.secret_key)
    return ProviderSettingsOut.of(view)


class ConnectionCheckOut(BaseModel):
    ok: bool = Field(description="Whether the provider answered with its models list.")
    provider: str | None = Field(description="The provider tried; null: none is configured.")
    models: int | None = Field(description="How many models the provider listed.")
    detail: str = Field(description="'connected: N models', or the provider's error (no key).")


@router.post(
    "/provider/test",
    response_model=ConnectionCheckOut,
    summary="Try the configured provider with a models list request (admins)",
    responses=WRITE_PROBLEMS,
)
async def test_provider_connection(
    request: Request, response: Response, session: DbSession, principal: CurrentPrincipal
) -> ConnectionCheckOut:
    check = await provider_settings.check_connection(session, principal, request.app.state.settings)
    response.headers["Cache-Control"] = "no-store"
    return ConnectionCheckOut(
        ok=check.ok, provider=check.provider, models=check.models, detail=check.detail
    )


async def _start_execution_if_needed(app: FastAPI) -> None:
    """Start running tasks when the stored settings configured the first usable provider."""
    if getattr(app.state, "execution", None) is not None or not hasattr(app.state, "db"):
        return
    lock: asyncio.Lock | None = getattr(app.state, "execution_start_lock", None)
    if lock is None:
        lock = app.state.execution_start_lock = asyncio.Lock()
    async with lock:
        if app.state.execution is not None:
            return
        try:
            ensure_provider_configured(
                await effective_settings_of(app.state.db, app.state.settings)
            )
        except ProviderNotConfiguredError:
            return
        from claude_tui.worker.service import start_execution

        app.state.execution = await start_execution(
            app.state.settings, app.state.db, broadcaster_of(app), getattr(app.state, "redis", None)
        )
        if app.state.execution is not None:
            log.info("task_execution_on", reason="provider settings stored")
