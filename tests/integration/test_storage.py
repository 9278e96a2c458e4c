"""Migrations and the schema, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from claude_tui.storage import migrate
from claude_tui.storage.database import Database, create_engine
from claude_tui.storage.models import (
    Base,
    Project,
    ProjectMember,
    Task,
    TaskDependency,
    TaskEvent,
    User,
)

TABLES = {
    "users",
    "api_keys",
    "projects",
    "project_members",
    "tasks",
    "task_dependencies",
    "task_events",
    "task_leases",
    "validation_reports",
    "audit_log",
    "token_families",
    "refresh_tokens",
    "revoked_access_tokens",
    "workflows",
    "provider_settings",
}


async def _tables(url: str) -> set[str]:
    engine = create_engine(url, create=True)
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    return names - {"alembic_version"}


async def test_migrations_run_forward_and_backward(database_url: str) -> None:
    migrate.upgrade(database_url)
    assert await _tables(database_url) == TABLES
    assert migrate.current(database_url).strip().startswith(migrate.head_revision() or "?")
    migrate.downgrade(database_url, "base")
    assert await _tables(database_url) == set()
    migrate.upgrade(database_url)
    assert await _tables(database_url) == TABLES


async def test_models_and_migrations_agree(database_url: str) -> None:
    """A model change without a migration fails here."""
    migrate.upgrade(database_url)
    engine = create_engine(database_url, create=True)
    try:
        async with engine.connect() as conn:
            diffs = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
    finally:
        await engine.dispose()
    assert diffs == []


async def test_round_trip_keeps_values_and_timezones(database_url: str) -> None:
    migrate.upgrade(database_url)
    db = Database(database_url)
    stamp = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    try:
        async with db.session() as session:
            user = User(username="ann", email="ann@example.com", password_hash="x")
            session.add(user)
            await session.flush()
            project = Project(name="demo", workspace_path="demo", created_by=user.id)
            session.add(project)
            await session.flush()
            session.add(ProjectMember(project_id=project.id, user_id=user.id, role="maintainer"))
            first = Task(project_id=project.id, title="a", cost_usd=Decimal("0.123456"))
            second = Task(project_id=project.id, title="b", started_at=stamp)
            session.add_all([first, second])
            await session.flush()
            session.add(TaskDependency(task_id=second.id, depends_on_id=first.id))
            session.add(
                TaskEvent(project_id=project.id, task_id=first.id, kind="state", payload={"k": 1})
            )
            await session.commit()
        async with db.session() as session:
            tasks = (await session.scalars(select(Task).order_by(Task.id))).all()
            assert [t.title for t in tasks] == ["a", "b"]
            assert tasks[0].cost_usd == Decimal("0.123456")
            assert tasks[0].status == "pending"
            assert tasks[1].started_at == stamp
            assert tasks[1].started_at is not None
            assert tasks[1].started_at.tzinfo is not None
            event = (await session.scalars(select(TaskEvent))).one()
            assert event.payload == {"k": 1}
    finally:
        await db.dispose()


async def test_schema_rejects_illegal_rows(database_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    migrate.upgrade(database_url)
    db = Database(database_url)
    try:
        async with db.session() as session:
            session.add(Project(name="p", workspace_path="p"))
            await session.commit()
        async with db.session() as session:
            session.add(Task(project_id=1, title="t", status="exploded"))
            with pytest.raises(IntegrityError):
                await session.commit()
        async with db.session() as session:
            session.add(Task(project_id=999, title="orphan"))
            with pytest.raises(IntegrityError):
                await session.commit()
    finally:
        await db.dispose()
