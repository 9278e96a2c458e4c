"""No list endpoint issues a number of SQL statements that grows with the rows it returns.

Every list of /api/v1 is called on the real app, with real SQLite and PostgreSQL, first with
5 rows of everything (page size 5), then with 60 rows of everything (page sizes 5 and 50).
Statements are counted on the app's own engine with a ``before_cursor_execute`` listener.
An N+1 (a query per item of the page) makes the counts differ and fails the test.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, select

from claude_tui.storage.models import (
    ApiKey,
    AuditLogEntry,
    Project,
    ProjectMember,
    Task,
    TaskDependency,
    TaskEvent,
    User,
    ValidationReport,
    Workflow,
)
from conftest import AuthUser

SMALL, LARGE = 5, 60


@dataclass
class World:
    """What the seeding made: the caller's project, one of its tasks, and row counts so far."""

    project_id: int
    task_id: int
    rows: int = 0


@contextmanager
def counting(app: FastAPI) -> Iterator[list[str]]:
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


async def _grow(app: FastAPI, world: World, owner: AuthUser, target: int) -> None:
    """Add rows of every listed kind until there are ``target`` of each."""
    extra = target - world.rows
    tag = secrets.token_hex(3)
    async with app.state.db.session() as session:
        users = [
            User(
                username=f"seed-{tag}-{i}",
                email=f"seed-{tag}-{i}@example.test",
                password_hash="not-a-login",
            )
            for i in range(extra)
        ]
        projects = [
            Project(name=f"seed-{tag}-{i}", workspace_path=f"seed-{tag}-{i}", created_by=owner.id)
            for i in range(extra)
        ]
        session.add_all(users + projects)
        await session.flush()
        session.add_all(
            ProjectMember(project_id=world.project_id, user_id=u.id, role="viewer") for u in users
        )
        session.add_all(
            ProjectMember(project_id=p.id, user_id=owner.id, role="maintainer") for p in projects
        )
        workflows = [
            Workflow(project_id=world.project_id, name=f"wf-{tag}-{i}", created_by=owner.id)
            for i in range(extra)
        ]
        session.add_all(workflows)
        await session.flush()
        tasks = [
            Task(
                project_id=world.project_id,
                workflow_id=workflows[i].id,
                title=f"task {tag} {i}",
                created_by=owner.id,
            )
            for i in range(extra)
        ] + [Task(project_id=p.id, title=f"task of {p.name}") for p in projects]
        session.add_all(tasks)
        await session.flush()
        session.add_all(
            TaskDependency(task_id=tasks[i].id, depends_on_id=world.task_id) for i in range(extra)
        )
        session.add_all(
            TaskEvent(
                project_id=world.project_id,
                task_id=world.task_id,
                kind="agent.approval_requested",
                payload={"id": f"call-{tag}-{i}", "name": "edit", "arguments": {"path": "a.py"}},
            )
            for i in range(extra)
        )
        session.add_all(
            ValidationReport(
                project_id=pid,
                target=".",
                passed=True,
                score=1.0,
                engine_version="1",
                created_by=owner.id,
            )
            for pid in [world.project_id] * extra + [p.id for p in projects]
        )
        session.add_all(
            ApiKey(
                user_id=owner.id,
                name=f"key {tag} {i}",
                prefix=f"p{tag}{i}",
                key_hash="0" * 64,
                scopes=["projects:read"],
            )
            for i in range(extra)
        )
        session.add_all(
            AuditLogEntry(actor_id=owner.id, action="seed.row", target_id=str(i))
            for i in range(extra)
        )
        await session.commit()
    world.rows = target


ENDPOINTS = {
    "projects": "/api/v1/projects?limit={limit}",
    "projects (admin)": "/api/v1/projects?limit={limit}",
    "tasks": "/api/v1/tasks?limit={limit}",
    "tasks (admin)": "/api/v1/tasks?limit={limit}",
    "tasks of a project": "/api/v1/tasks?project_id={project}&limit={limit}",
    "workflows": "/api/v1/workflows?limit={limit}",
    "workflows of a project": "/api/v1/workflows?project_id={project}&limit={limit}",
    "task events": "/api/v1/projects/{project}/events?limit={limit}",
    "validations": "/api/v1/projects/{project}/validations?limit={limit}",
    "members": "/api/v1/projects/{project}/members",
    "approvals": "/api/v1/tasks/{task}/approvals",
    "api keys": "/api/v1/api-keys",
    "users (admin)": "/api/v1/users?limit={limit}",
    "audit log (admin)": "/api/v1/audit?limit={limit}",
    "templates": "/api/v1/templates",
    "dashboard": "/api/v1/dashboard",
    "dashboard (admin)": "/api/v1/dashboard",
}


async def _count(
    app: FastAPI, client: httpx.AsyncClient, world: World, caller: AuthUser, admin: AuthUser
) -> dict[tuple[str, int], int]:
    counts: dict[tuple[str, int], int] = {}
    for name, template in ENDPOINTS.items():
        who = admin if "(admin)" in name else caller
        for limit in (SMALL, 50):
            url = template.format(limit=limit, project=world.project_id, task=world.task_id)
            with counting(app) as statements:
                response = await client.get(url, headers=who.headers)
            assert response.status_code == 200, f"{name}: {response.text}"
            body = response.json()
            items = body["items"] if isinstance(body, dict) and "items" in body else body
            if name not in ("templates",) and isinstance(items, list):
                assert len(items) >= min(limit, world.rows), f"{name}: too few items to count"
            counts[(name, limit)] = len(statements)
    return counts


async def test_list_query_counts_do_not_grow_with_the_page(
    app: FastAPI,
    client: httpx.AsyncClient,
    make_user: Callable[..., Awaitable[AuthUser]],
    admin: AuthUser,
) -> None:
    owner = await make_user()
    response = await client.post(
        "/api/v1/projects",
        json={"name": "counted", "workspace_path": "counted"},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    project_id = response.json()["id"]
    response = await client.post(
        f"/api/v1/projects/{project_id}/tasks",
        json={"title": "root", "description": "the task others depend on"},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    world = World(project_id=project_id, task_id=response.json()["id"])

    await _grow(app, world, owner, SMALL)
    few = await _count(app, client, world, owner, admin)
    await _grow(app, world, owner, LARGE)
    many = await _count(app, client, world, owner, admin)

    growing = {
        f"{name} limit={limit}: {few[(name, limit)]} -> {many[(name, limit)]} statements"
        for (name, limit) in few
        if many[(name, limit)] != few[(name, limit)]
    }
    growing |= {
        f"{name}: limit=5 {many[(name, 5)]} vs limit=50 {many[(name, 50)]} statements"
        for (name, limit) in many
        if limit == 50 and many[(name, 5)] != many[(name, 50)]
    }
    assert not growing, "statement count grows with the rows listed:\n" + "\n".join(sorted(growing))


@pytest.mark.parametrize("limit", [SMALL])
async def test_the_counter_sees_the_app_statements(
    app: FastAPI, client: httpx.AsyncClient, admin: AuthUser, limit: int
) -> None:
    """The listener is on the engine the app uses: a list request issues statements."""
    with counting(app) as statements:
        response = await client.get(f"/api/v1/projects?limit={limit}", headers=admin.headers)
    assert response.status_code == 200
    assert any("projects" in s for s in statements), statements


_FULL_SORT = re.compile(r"(^|->)\s*Sort\s+\(", re.MULTILINE)

# Index checks: every statement the list and get endpoints issue on PostgreSQL is planned with
# sequential scans disabled; a table still read by a "Seq Scan" has no index for the statement.

GETS = [
    "/api/v1/projects/{project}",
    "/api/v1/tasks/{task}",
    "/api/v1/users/me",
    "/api/v1/projects?sort=name&limit=20",
    "/api/v1/projects?sort=created_at&order=desc&limit=20",
    "/api/v1/tasks?project_id={project}&status=pending&limit=20",
    "/api/v1/tasks?sort=created_at&order=desc&limit=20",
    "/api/v1/tasks?project_id={project}&sort=created_at&order=desc&limit=20",
    "/api/v1/tasks?workflow_id={workflow}",
    "/api/v1/workflows/{workflow}",
    "/api/v1/projects/{project}/validations?sort=created_at&order=desc&limit=20",
    "/api/v1/projects/{project}/events?after=3&limit=20",
]
ADMIN_GETS = [
    "/api/v1/users/{owner}",
    "/api/v1/audit?actor_id={owner}&limit=20",
    "/api/v1/audit?action=seed.row&limit=20",
]


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
async def test_list_and_get_statements_are_served_by_indexes(
    app: FastAPI,
    client: httpx.AsyncClient,
    make_user: Callable[..., Awaitable[AuthUser]],
    admin: AuthUser,
) -> None:
    owner = await make_user()
    response = await client.post(
        "/api/v1/projects",
        json={"name": "explained", "workspace_path": "explained"},
        headers=owner.headers,
    )
    project_id = response.json()["id"]
    response = await client.post(
        f"/api/v1/projects/{project_id}/tasks",
        json={"title": "root", "description": "the task others depend on"},
        headers=owner.headers,
    )
    world = World(project_id=project_id, task_id=response.json()["id"])
    await _grow(app, world, owner, LARGE)
    async with app.state.db.session() as session:
        workflow_id = await session.scalar(
            select(Workflow.id).where(Workflow.project_id == project_id).limit(1)
        )

    seen: dict[str, tuple[Any, str]] = {}

    def listener(*args: Any) -> None:
        statement, parameters = str(args[2]), args[3]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.setdefault(statement, (parameters, current))

    urls = [t for n, t in ENDPOINTS.items() if "(admin)" not in n]
    calls = [(owner, u) for u in urls + GETS] + [
        (admin, t) for t in [*ENDPOINTS.values(), *ADMIN_GETS]
    ]
    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for who, template in calls:
            current = template.format(
                limit=50,
                project=project_id,
                task=world.task_id,
                workflow=workflow_id,
                owner=owner.id,
            )
            response = await client.get(current, headers=who.headers)
            assert response.status_code == 200, f"{current}: {response.text}"
    finally:
        event.remove(engine, "before_cursor_execute", listener)

    scanned: list[str] = []
    async with app.state.db.engine.connect() as conn:
        await conn.exec_driver_sql("SET enable_seqscan = off")
        await conn.exec_driver_sql("SET enable_sort = off")
        await conn.exec_driver_sql("ANALYZE")
        for statement, (parameters, url) in seen.items():
            plan = "\n".join(
                row[0] for row in await conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
            )
            # A Sort node means no index gives the order; an Incremental Sort only breaks ties
            # of a key an index already orders (a unique name, then id), which is fine.
            if "Seq Scan" in plan or _FULL_SORT.search(plan):
                scanned.append(f"{url}\n{statement}\n{plan}")
    assert len(seen) > 20, "too few statements seen to check"
    assert not scanned, "statements read whole tables:\n\n" + "\n\n".join(scanned)


# Foreign keys without an index make ON DELETE (SET NULL or CASCADE) scan the referring table.
SINGLE_ROW_TABLES = {"provider_settings"}


def test_every_foreign_key_leads_an_index() -> None:
    from claude_tui.storage.models import Base

    missing = []
    for table in Base.metadata.sorted_tables:
        if table.name in SINGLE_ROW_TABLES:
            continue
        leading = {index.columns.values()[0].name for index in table.indexes}
        leading |= {c.name for c in table.columns if c.unique}
        if table.primary_key.columns:
            leading.add(table.primary_key.columns.values()[0].name)
        for fk in table.foreign_key_constraints:
            column = fk.columns.values()[0].name
            if column not in leading:
                missing.append(f"{table.name}.{column}")
    assert not missing, f"foreign keys with no index starting with them: {missing}"
