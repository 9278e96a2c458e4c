"""Creating a task costs the same statements in a project of 3 tasks and of 400.

The project's task graph is what a new task could be checked against; a task with no
prerequisites, or with prerequisites (nothing can depend on a task that did not exist, so it
cannot close a cycle), needs none of it. Statements are counted on the app's own engine,
on SQLite and PostgreSQL, through the real API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event

from claude_tui.storage.models import Task, TaskDependency
from conftest import AuthUser

SMALL, LARGE = 3, 400


@contextmanager
def counting(app: FastAPI) -> Iterator[list[str]]:
    """Statements the app's engine sends while the block runs."""
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


async def _grow(app: FastAPI, project_id: int, owner: AuthUser, count: int, root: int) -> None:
    """Tasks straight into the database, each depending on ``root``: a graph with edges."""
    async with app.state.db.session() as session:
        tasks = [
            Task(project_id=project_id, title=f"seeded {i}", created_by=owner.id)
            for i in range(count)
        ]
        session.add_all(tasks)
        await session.flush()
        session.add_all(TaskDependency(task_id=t.id, depends_on_id=root) for t in tasks)
        await session.commit()


async def _create(
    app: FastAPI,
    client: httpx.AsyncClient,
    owner: AuthUser,
    project_id: int,
    body: dict[str, object],
) -> tuple[list[str], dict[str, object]]:
    with counting(app) as statements:
        response = await client.post(
            f"/api/v1/projects/{project_id}/tasks", json=body, headers=owner.headers
        )
    assert response.status_code == 201, response.text
    return list(statements), response.json()


async def test_creating_a_task_does_not_load_the_project(
    app: FastAPI,
    client: httpx.AsyncClient,
    make_user: Callable[..., Awaitable[AuthUser]],
) -> None:
    owner = await make_user()
    response = await client.post(
        "/api/v1/projects",
        json={"name": "large", "workspace_path": "large"},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    project_id = response.json()["id"]
    _, root = await _create(app, client, owner, project_id, {"title": "root"})

    await _grow(app, project_id, owner, SMALL, int(str(root["id"])))
    few_plain, _ = await _create(app, client, owner, project_id, {"title": "plain, few"})
    few_deps, _ = await _create(
        app, client, owner, project_id, {"title": "after root, few", "depends_on": [root["id"]]}
    )
    await _grow(app, project_id, owner, LARGE, int(str(root["id"])))
    many_plain, plain = await _create(app, client, owner, project_id, {"title": "plain, many"})
    many_deps, after = await _create(
        app, client, owner, project_id, {"title": "after root, many", "depends_on": [root["id"]]}
    )

    assert plain["depends_on"] == []
    assert after["depends_on"] == [root["id"]]
    assert len(many_plain) == len(few_plain), "\n".join(many_plain)
    assert len(many_deps) == len(few_deps), "\n".join(many_deps)
    # The old code read every task id of the project and then every edge among them.
    for statement in many_plain + many_deps:
        assert not ("FROM task_dependencies" in statement and " IN " in statement), statement
        assert not (
            statement.lstrip().startswith("SELECT tasks.id")
            and "tasks.project_id =" in statement
            and "tasks.id IN" not in statement
        ), statement
