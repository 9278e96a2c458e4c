"""Login (OAuth2 password grant), refresh-token rotation and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request, Response
from pydantic import BaseModel, Field

from claude_tui.api.deps import (
    DbSession,
    access_claims,
    login_guard,
    revocation_cache,
    token_policy,
)
from claude_tui.api.routes.problem_docs import problems
from claude_tui.api.routing import api_router
from claude_tui.observability.context import client_addr_var
from claude_tui.services import identity, tokens
from claude_tui.services.login_guard import LoginGuard
from claude_tui.services.tokens import AccessClaims

router = api_router(prefix="/api/v1/auth", tags=["auth"])

PROBLEMS = problems({401: "Wrong credentials or an invalid token (problem+json)."})


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=512)


def _out(pair: tokens.TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token,
        token_type=pair.token_type,
        expires_in=pair.expires_in,
        refresh_token=pair.refresh_token,
    )


@router.post(
    "/token",
    response_model=TokenOut,
    summary="Log in with username and password (OAuth2 password grant, form body)",
    responses={
        **PROBLEMS,
        **problems({429: "Rate limited or locked; see Retry-After (problem+json)."}),
    },
)
async def issue_token(
    request: Request,
    response: Response,
    session: DbSession,
    guard: Annotated[LoginGuard, Depends(login_guard)],
    username: Annotated[str, Form(min_length=1, max_length=254)],
    password: Annotated[str, Form(min_length=1, max_length=1024)],
    grant_type: Annotated[
        str, Form(pattern="^password$", description="OAuth2 grant type: always 'password'.")
    ] = "password",
) -> TokenOut:
    pair = await identity.password_login(
        session,
        guard,
        token_policy(request),
        username=username,
        password=password,
        client_addr=client_addr_var.get(),
    )
    response.headers["Cache-Control"] = "no-store"
    return _out(pair)


@router.post(
    "/refresh",
    response_model=TokenOut,
    summary="Exchange a refresh token for a new pair (the old refresh token is spent)",
    responses=PROBLEMS,
)
async def refresh_token(
    request: Request, response: Response, session: DbSession, body: RefreshIn
) -> TokenOut:
    pair = await tokens.refresh_session(
        session, token_policy(request), body.refresh_token, revocation_cache(request)
    )
    response.headers["Cache-Control"] = "no-store"
    return _out(pair)


@router.post(
    "/logout",
    status_code=204,
    summary="End this session: the access token and its refresh tokens stop working",
    responses=PROBLEMS,
)
async def logout(
    request: Request,
    session: DbSession,
    claims: Annotated[AccessClaims, Depends(access_claims)],
) -> Response:
    await tokens.logout(session, claims, revocation_cache(request))
    return Response(status_code=204)
