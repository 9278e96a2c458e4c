"""FastAPI dependencies: the database session, who is calling, and the admin gate.

Routes declare ``principal: Principal = Depends(current_principal)`` and pass the principal
to services, which make the authorization decisions. Credentials are accepted as
``Authorization: Bearer <JWT access token>``, ``Authorization: Bearer ctui_...`` (an API
key) or ``X-API-Key: ctui_...``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.services import api_keys, tokens
from claude_tui.services.errors import AuthenticationError, PermissionDeniedError
from claude_tui.services.login_guard import LoginGuard
from claude_tui.services.principal import Principal
from claude_tui.services.tokens import AccessClaims, RevocationCache, TokenPolicy
from claude_tui.settings import Settings

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a route, not a secret

bearer_scheme = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    auto_error=False,
    description="An access token from /api/v1/auth/token, or an API key (ctui_...).",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key (ctui_...)."
)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request, shared by every dependency that asks for it.

    Reads (GET, HEAD) run without a transaction: on PostgreSQL that saves the BEGIN and the
    ROLLBACK round trips, a third of what a small read costs.
    """
    db = request.app.state.db
    opener = db.read_session if request.method in READ_METHODS else db.session
    async with opener() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(db_session)]


def policy_for(app: FastAPI) -> TokenPolicy:
    """How the app signs tokens and how long they live, from its settings."""
    settings: Settings = app.state.settings
    return TokenPolicy(
        secret_key=app.state.secret_key,
        access_ttl=timedelta(minutes=settings.access_token_minutes),
        refresh_ttl=timedelta(days=settings.refresh_token_days),
    )


def token_policy(request: Request) -> TokenPolicy:
    return policy_for(request.app)


def revocation_cache(request: Request) -> RevocationCache | None:
    cache: RevocationCache | None = getattr(request.app.state, "redis", None)
    return cache


async def login_guard(request: Request) -> LoginGuard:
    """The app's login guard, built on first use from the app's settings.

    async, so that FastAPI runs it on the event loop rather than in a worker thread.
    """
    guard: LoginGuard | None = getattr(request.app.state, "login_guard", None)
    if guard is None:
        guard = LoginGuard.from_settings(request.app.state.settings)
        request.app.state.login_guard = guard
    return guard


async def current_principal(
    request: Request,
    session: DbSession,
    bearer: Annotated[str | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    """The authenticated caller; 401 (problem+json) without valid credentials."""
    credential = bearer or api_key
    if not credential:
        raise AuthenticationError(
            "Authentication required: send 'Authorization: Bearer <token>' or 'X-API-Key'."
        )
    if api_keys.looks_like_api_key(credential):
        return await api_keys.principal_for_key(session, credential)
    if bearer is None:
        raise AuthenticationError("X-API-Key takes an API key (ctui_...).")
    principal, claims = await tokens.principal_for_access_token(
        session, token_policy(request), credential, revocation_cache(request)
    )
    request.state.access_claims = claims
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def access_claims(request: Request, principal: CurrentPrincipal) -> AccessClaims:
    """The verified claims of the access token in use; 401 for API keys (they have no session)."""
    claims: AccessClaims | None = getattr(request.state, "access_claims", None)
    if claims is None or principal.via != "token":
        raise AuthenticationError("This needs a session access token, not an API key.")
    return claims


async def require_admin(principal: CurrentPrincipal) -> Principal:
    """The caller, who must be an administrator (services check again)."""
    if not principal.is_admin:
        raise PermissionDeniedError("Only administrators may do this.")
    return principal


AdminPrincipal = Annotated[Principal, Depends(require_admin)]
