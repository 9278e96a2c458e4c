"""Accounts: your own, and (for administrators) everyone's."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from claude_tui.api.deps import CurrentPrincipal, DbSession, revocation_cache
from claude_tui.api.routes.page_params import IdPath
from claude_tui.api.routes.problem_docs import problems
from claude_tui.api.routing import api_router
from claude_tui.services import identity
from claude_tui.services.identifiers import MAX_ROW_ID
from claude_tui.services.identity import UserView

router = api_router(prefix="/api/v1/users", tags=["users"])

PROBLEMS = problems(
    {
        401: "Not authenticated (problem+json).",
        403: "Not allowed (problem+json).",
        404: "No such user visible to you (problem+json).",
    }
)


class UserOut(BaseModel):
    id: int
    username: str
    email: str
    full_name: str
    is_admin: bool
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, view: UserView) -> UserOut:
        return cls.model_validate(view, from_attributes=True)


class UserCreate(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    full_name: str = Field(default="", max_length=200)
    is_admin: bool = False


class UserUpdate(BaseModel):
    full_name: str | None = Field(default=None, max_length=200)
    is_admin: bool | None = None
    is_active: bool | None = None


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class UserPage(BaseModel):
    items: list[UserOut]
    next_after_id: int | None = Field(
        description="Pass as after_id for the next page; null on the last page."
    )


@router.get("/me", response_model=UserOut, summary="Your account", responses=PROBLEMS)
async def me(session: DbSession, principal: CurrentPrincipal) -> UserOut:
    return UserOut.of(await identity.get_user(session, principal, principal.user_id))


@router.put(
    "/me/password",
    status_code=204,
    summary="Change your password (ends all your sessions)",
    responses={**PROBLEMS, **problems({422: "The new password breaks a rule."})},
)
async def change_my_password(
    request: Request, session: DbSession, principal: CurrentPrincipal, body: PasswordChange
) -> Response:
    await identity.change_password(
        session,
        principal,
        principal.user_id,
        current_password=body.current_password,
        new_password=body.new_password,
        cache=revocation_cache(request),
    )
    return Response(status_code=204)


@router.get("", response_model=UserPage, summary="All accounts (admins)", responses=PROBLEMS)
async def list_users(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    after_id: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> UserPage:
    views = await identity.list_users(session, principal, limit=limit + 1, after_id=after_id)
    items = [UserOut.of(v) for v in views[:limit]]
    return UserPage(items=items, next_after_id=items[-1].id if len(views) > limit else None)


@router.post(
    "",
    response_model=UserOut,
    status_code=201,
    summary="Create an account (admins)",
    responses={**PROBLEMS, **problems({409: "Username or email taken."})},
)
async def create_user(session: DbSession, principal: CurrentPrincipal, body: UserCreate) -> UserOut:
    view = await identity.create_user(
        session,
        principal,
        username=body.username,
        email=body.email,
        password=body.password,
        full_name=body.full_name,
        is_admin=body.is_admin,
    )
    return UserOut.of(view)


@router.get(
    "/{user_id}",
    response_model=UserOut,
    summary="One account (yours, or any for admins)",
    responses=PROBLEMS,
)
async def get_user(session: DbSession, principal: CurrentPrincipal, user_id: IdPath) -> UserOut:
    return UserOut.of(await identity.get_user(session, principal, user_id))


@router.patch(
    "/{user_id}",
    response_model=UserOut,
    summary="Change an account; role and active status are for admins",
    responses={**PROBLEMS, **problems({409: "You cannot demote or deactivate yourself."})},
)
async def update_user(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    user_id: IdPath,
    body: UserUpdate,
) -> UserOut:
    view = await identity.update_user(
        session,
        principal,
        user_id,
        full_name=body.full_name,
        is_admin=body.is_admin,
        is_active=body.is_active,
        cache=revocation_cache(request),
    )
    return UserOut.of(view)
