"""API keys for automation: create (shown once), list, revoke."""

from __future__ import annotations

from datetime import datetime

from fastapi import Response
from pydantic import BaseModel, Field

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import IdPath
from claude_tui.api.routes.problem_docs import problems
from claude_tui.api.routing import api_router
from claude_tui.services import api_keys
from claude_tui.services.api_keys import ApiKeyView

router = api_router(prefix="/api/v1/api-keys", tags=["api keys"])

PROBLEMS = problems(
    {
        401: "Not authenticated (problem+json).",
        403: "Not allowed (problem+json).",
    }
)


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The public start of the key, to recognise it.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, view: ApiKeyView) -> ApiKeyOut:
        return cls.model_validate(view, from_attributes=True)


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The full key. It is shown only in this response.")


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] = Field(min_length=1, max_length=len(api_keys.SCOPES))
    expires_at: datetime | None = Field(
        default=None, description="When the key stops working (with a time zone)."
    )


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=201,
    summary="Create an API key for yourself; the key is shown once",
    responses={**PROBLEMS, **problems({422: "Unknown scope or bad expiry."})},
)
async def create_key(
    response: Response, session: DbSession, principal: CurrentPrincipal, body: ApiKeyCreate
) -> ApiKeyCreated:
    created = await api_keys.create_key(
        session, principal, name=body.name, scopes=body.scopes, expires_at=body.expires_at
    )
    response.headers["Cache-Control"] = "no-store"
    return ApiKeyCreated(**ApiKeyOut.of(created.key).model_dump(), key=created.secret)


@router.get("", response_model=ApiKeyList, summary="Your API keys", responses=PROBLEMS)
async def list_keys(session: DbSession, principal: CurrentPrincipal) -> ApiKeyList:
    return ApiKeyList(items=[ApiKeyOut.of(v) for v in await api_keys.list_keys(session, principal)])


@router.delete(
    "/{key_id}",
    status_code=204,
    summary="Revoke an API key (yours; admins: anyone's)",
    responses={**PROBLEMS, **problems({404: "No such key visible to you."})},
)
async def revoke_key(session: DbSession, principal: CurrentPrincipal, key_id: IdPath) -> Response:
    await api_keys.revoke_key(session, principal, key_id)
    return Response(status_code=204)
