"""The dashboard: each visible project's state at a glance, in a fixed number of queries."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.services.authorization import require_scope, visible_filter
from claude_tui.services.principal import Principal
from claude_tui.storage.models import Project, Task, ValidationReport

ACTIVE_STATUSES = ("queued", "running", "validating")


class ProjectSummary(BaseModel):
    project_id: int
    name: str
    tasks: int
    running_tasks: int
    succeeded_tasks: int
    failed_tasks: int
    verified_progress: float | None
    claimed_progress: float | None
    last_validation_score: float | None
    last_validation_passed: bool | None


async def project_summaries(session: AsyncSession, principal: Principal) -> list[ProjectSummary]:
    """One summary per project the principal may see, ordered by name."""
    require_scope(principal, "projects:read")
    projects = (
        await session.execute(
            select(Project.id, Project.name)
            .where(visible_filter(principal, Project.id))
            .order_by(Project.name)
        )
    ).all()
    if not projects:
        return []
    ids = [row.id for row in projects]
    task_rows = (
        await session.execute(
            select(
                Task.project_id,
                func.count(Task.id).label("tasks"),
                func.sum(case((Task.status.in_(ACTIVE_STATUSES), 1), else_=0)).label("running"),
                func.sum(case((Task.status == "succeeded", 1), else_=0)).label("succeeded"),
                func.sum(case((Task.status == "failed", 1), else_=0)).label("failed"),
                func.avg(Task.verified_progress).label("verified"),
                func.avg(Task.claimed_progress).label("claimed"),
            )
            .where(Task.project_id.in_(ids))
            .group_by(Task.project_id)
        )
    ).all()
    by_project = {row.project_id: row for row in task_rows}
    latest = (
        select(func.max(ValidationReport.id))
        .where(ValidationReport.project_id.in_(ids))
        .group_by(ValidationReport.project_id)
    )
    reports = {
        row.project_id: row
        for row in (
            await session.execute(
                select(
                    ValidationReport.project_id, ValidationReport.score, ValidationReport.passed
                ).where(ValidationReport.id.in_(latest))
            )
        ).all()
    }
    summaries = []
    for project in projects:
        tasks = by_project.get(project.id)
        report = reports.get(project.id)
        summaries.append(
            ProjectSummary(
                project_id=project.id,
                name=project.name,
                tasks=int(tasks.tasks) if tasks else 0,
                running_tasks=int(tasks.running or 0) if tasks else 0,
                succeeded_tasks=int(tasks.succeeded or 0) if tasks else 0,
                failed_tasks=int(tasks.failed or 0) if tasks else 0,
                verified_progress=round(float(tasks.verified), 1) if tasks else None,
                claimed_progress=round(float(tasks.claimed), 1) if tasks else None,
                last_validation_score=float(report.score) if report else None,
                last_validation_passed=bool(report.passed) if report else None,
            )
        )
    return summaries
