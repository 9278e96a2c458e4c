"""Project members: who belongs to a project and with which role."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.domain.roles import Action, Role
from claude_tui.services import audit_trail
from claude_tui.services.authorization import PROJECTS_READ, PROJECTS_WRITE, authorize_project
from claude_tui.services.errors import ConflictError, NotFoundError
from claude_tui.services.identity import normalize_username
from claude_tui.services.principal import Principal
from claude_tui.storage.models import ProjectMember, User


class MemberAdd(BaseModel):
    """A user to add, by exact username or e-mail address."""

    model_config = ConfigDict(extra="forbid")

    username: str | None = Field(default=None, min_length=1, max_length=64)
    email: str | None = Field(default=None, min_length=3, max_length=254)
    role: Role

    @model_validator(mode="after")
    def _one_identity(self) -> MemberAdd:
        if (self.username is None) == (self.email is None):
            raise ValueError("give either username or email")
        return self


class MemberAddAccepted(BaseModel):
    """The one answer to adding a member, whether or not the account exists."""

    detail: str
    role: Role


class MemberUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class MemberView(BaseModel):
    user_id: int
    username: str
    role: Role
    created_at: datetime


async def _member_view(session: AsyncSession, member: ProjectMember) -> MemberView:
    username = await session.scalar(select(User.username).where(User.id == member.user_id))
    return MemberView(
        user_id=member.user_id,
        username=username or "",
        role=Role(member.role),
        created_at=member.created_at,
    )


async def list_members(
    session: AsyncSession, principal: Principal, project_id: int
) -> list[MemberView]:
    await authorize_project(session, principal, project_id, Action.VIEW, scope=PROJECTS_READ)
    rows = await session.execute(
        select(ProjectMember, User.username)
        .join(User, User.id == ProjectMember.user_id)
        .where(ProjectMember.project_id == project_id)
        .order_by(User.username)
    )
    return [
        MemberView(
            user_id=member.user_id,
            username=username,
            role=Role(member.role),
            created_at=member.created_at,
        )
        for member, username in rows.all()
    ]


async def add_member(
    session: AsyncSession, principal: Principal, project_id: int, data: MemberAdd
) -> MemberAddAccepted:
    """Add an active account as a member; the answer is the same whether one matched or not.

    An answer that differed would tell any maintainer which names and addresses have
    accounts. An existing member keeps their role (changing it is ``change_role``).
    """
    await authorize_project(
        session, principal, project_id, Action.MANAGE_MEMBERS, scope=PROJECTS_WRITE
    )
    accepted = MemberAddAccepted(
        detail="If an active account has this username or e-mail address, it is a member of "
        "the project now; a member already keeps their role.",
        role=data.role,
    )
    stmt = select(User).where(User.is_active.is_(True))
    if data.username is not None:
        stmt = stmt.where(User.username == normalize_username(data.username))
    else:
        stmt = stmt.where(User.email == (data.email or "").strip().lower())
    user = await session.scalar(stmt)
    if user is None or await session.get(ProjectMember, (project_id, user.id)) is not None:
        return accepted
    session.add(ProjectMember(project_id=project_id, user_id=user.id, role=data.role.value))
    audit_trail.record(
        session,
        "member.added",
        actor_id=principal.user_id,
        target_type="project",
        target_id=project_id,
        detail={"user_id": user.id, "username": user.username, "role": data.role.value},
    )
    try:
        await session.commit()
    except IntegrityError:
        # A concurrent request added the same member: the outcome is the one asked for.
        await session.rollback()
    return accepted


async def _existing_member(session: AsyncSession, project_id: int, user_id: int) -> ProjectMember:
    member = await session.get(ProjectMember, (project_id, user_id))
    if member is None:
        raise NotFoundError(f"User {user_id} is not a member of project {project_id}.")
    return member


async def _ensure_other_maintainer(session: AsyncSession, project_id: int, user_id: int) -> None:
    others = await session.scalar(
        select(func.count())
        .select_from(ProjectMember)
        .where(
            ProjectMember.project_id == project_id,
            ProjectMember.role == Role.MAINTAINER.value,
            ProjectMember.user_id != user_id,
        )
    )
    if not others:
        raise ConflictError(
            "A project keeps at least one maintainer; make someone else maintainer first."
        )


async def change_role(
    session: AsyncSession,
    principal: Principal,
    project_id: int,
    user_id: int,
    data: MemberUpdate,
) -> MemberView:
    await authorize_project(
        session, principal, project_id, Action.MANAGE_MEMBERS, scope=PROJECTS_WRITE, lock=True
    )
    member = await _existing_member(session, project_id, user_id)
    previous = member.role
    if previous == data.role.value:
        return await _member_view(session, member)
    if previous == Role.MAINTAINER.value:
        await _ensure_other_maintainer(session, project_id, user_id)
    member.role = data.role.value
    audit_trail.record(
        session,
        "member.role_changed",
        actor_id=principal.user_id,
        target_type="project",
        target_id=project_id,
        detail={"user_id": user_id, "from": previous, "to": data.role.value},
    )
    await session.commit()
    return await _member_view(session, member)


async def remove_member(
    session: AsyncSession, principal: Principal, project_id: int, user_id: int
) -> None:
    await authorize_project(
        session, principal, project_id, Action.MANAGE_MEMBERS, scope=PROJECTS_WRITE, lock=True
    )
    member = await _existing_member(session, project_id, user_id)
    if member.role == Role.MAINTAINER.value:
        await _ensure_other_maintainer(session, project_id, user_id)
    audit_trail.record(
        session,
        "member.removed",
        actor_id=principal.user_id,
        target_type="project",
        target_id=project_id,
        detail={"user_id": user_id, "role": member.role},
    )
    await session.delete(member)
    await session.commit()
