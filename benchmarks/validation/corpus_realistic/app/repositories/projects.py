from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Project


class ProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, project_id: int) -> Project | None:
        return await self.session.get(Project, project_id)

    async def list_for_owner(self, owner_id: int) -> list[Project]:
        result = await self.session.scalars(
            select(Project).where(Project.owner_id == owner_id).order_by(Project.name)
        )
        return list(result)

    async def add(self, project: Project) -> Project:
        self.session.add(project)
        await self.session.flush()
        return project

    async def archive(self, project_id: int) -> None:
        pass

    async def delete(self, project_id: int) -> None:
        project = await self.get(project_id)
        if project is not None:
            await self.session.delete(project)
