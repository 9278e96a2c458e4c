"""Project members: who belongs to a project and with which role."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.domain.roles import Action, Role
from claude_tui.services import audit_trail
from claude_tui.services.authorization import PROJECTS_READ, PROJECTS_WRITE, authorize_project
from claude_tui.services.errors import ConflictError, NotFoundError
from claude_tui.services.identifiers import RowId
from claude_tui.services.principal import Principal
from claude_tui.storage.models import ProjectMember, User


class MemberAdd(BaseModel):
    """A user to add, by id or by username."""

    model_config = ConfigDict(extra="forbid")

    user_id: RowId | None = None
    username: str | None = Field(default=None, min_length=1, max_length=64)
    role: Role

    @model_validator(mode="after")
    def _one_identity(self) -> MemberAdd:
        if (self.user_id is None) == (self.username is None):
            raise ValueError("give either user_id or username")
        return self


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
) -> MemberView:
    await authorize_project(
        session, principal, project_id, Action.MANAGE_MEMBERS, scope=PROJECTS_WRITE
    )
    stmt = select(User).where(User.is_active.is_(True))
    if data.user_id is not None:
        stmt = stmt.where(User.id == data.user_id)
    else:
        stmt = stmt.where(User.username == data.username)
    user = await session.scalar(stmt)
    if user is None:
        raise NotFoundError("No active user with that id or username.")
    existing = await session.get(ProjectMember, (project_id, user.id))
    if existing is not None:
        raise ConflictError(
            f"{user.username} is already a member (as {existing.role}); change the role instead."
        )
    member = ProjectMember(project_id=project_id, user_id=user.id, role=data.role.value)
    session.add(member)
    audit_trail.record(
        session,
        "member.added",
        actor_id=principal.user_id,
        target_type="project",
        target_id=project_id,
        detail={"user_id": user.id, "username": user.username, "role": data.role.value},
    )
    await session.commit()
    return MemberView(
        user_id=user.id, username=user.username, role=data.role, created_at=member.created_at
    )


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
