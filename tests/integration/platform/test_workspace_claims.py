"""Workspaces through the API: no two projects share files, and refusals are no path oracle.

A project's workspace may not be equal to, inside or above another project's workspace, also
when a symbolic link makes two different strings name the same directory. A user who is not
an administrator gets one answer for every refusal that depends on what exists on the server,
so that creating projects cannot be used to probe the disk.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from claude_tui.api import create_app
from claude_tui.settings import Settings


def _root(app: FastAPI) -> Path:
    root: Path = app.state.settings.effective_workspace_root
    root.mkdir(parents=True, exist_ok=True)
    return root


def _comparable(response: httpx.Response) -> tuple[int, dict[str, Any]]:
    """Status and body without the parts that differ per request."""
    body = dict(response.json())
    body.pop("request_id", None)
    body.pop("instance", None)
    return response.status_code, body


async def _create(
    client: httpx.AsyncClient, user: Any, name: str, workspace: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/projects",
        json={"name": name, "workspace_path": workspace},
        headers=user.headers,
    )


async def test_a_workspace_may_not_be_equal_to_inside_or_above_another(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any, api: Any
) -> None:
    owner = await quick_user()
    intruder = await quick_user()
    admin = await quick_user(is_admin=True)
    shop = await api.new_project(owner, "shop", workspace_path="teams/shop")
    root = _root(app)
    os.symlink(root / "teams", root / "alias")
    (root / "teams" / "shop" / ".env").write_text("TOKEN=secret\n")

    for index, workspace in enumerate(
        [
            "teams/shop",
            "teams/shop/",
            "./teams/shop",
            str(root / "teams" / "shop"),
            "teams/shop/src",
            "teams/shop/src/deep",
            "teams",
            "alias/shop",
            "alias/shop/new",
            "alias",
        ]
    ):
        refused = await _create(client, intruder, f"grab-{index}", workspace)
        api.problem(refused, 409)
        by_admin = await _create(client, admin, f"admin-{index}", workspace)
        detail = api.problem(by_admin, 409)["detail"]
        assert "'shop'" in detail, (workspace, detail)
    assert not (root / "teams" / "shop" / "src").exists()

    # A sibling that merely shares a prefix of the name is a different directory.
    neighbour = await _create(client, intruder, "shopping", "teams/shopping")
    assert neighbour.status_code == 201, neighbour.text
    listed = await client.get("/api/v1/projects", headers=admin.headers)
    assert sorted(p["name"] for p in listed.json()["items"]) == ["shop", "shopping"]
    # Nor can a workspace be moved afterwards.
    moved = await client.patch(
        f"/api/v1/projects/{shop['id']}", json={"workspace_path": "x"}, headers=owner.headers
    )
    api.problem(moved, 422)


async def test_adopting_a_non_empty_directory_is_for_administrators(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any, api: Any
) -> None:
    user = await quick_user()
    admin = await quick_user(is_admin=True)
    root = _root(app)
    (root / "legacy").mkdir()
    (root / "legacy" / "main.py").write_text("print('hello')\n")
    (root / "blank").mkdir()

    api.problem(await _create(client, user, "legacy", "legacy"), 409)
    empty = await _create(client, user, "blank", "blank")
    assert empty.status_code == 201, empty.text
    adopted = await _create(client, admin, "legacy", "legacy")
    assert adopted.status_code == 201, adopted.text
    assert adopted.json()["workspace_path"] == "legacy"
    assert (root / "legacy" / "main.py").read_text() == "print('hello')\n"


async def test_a_deleted_projects_files_are_not_handed_to_the_next_user(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any, api: Any
) -> None:
    owner = await quick_user()
    successor = await quick_user()
    project = await api.new_project(owner, "old", workspace_path="old")
    (_root(app) / "old" / "secrets.txt").write_text("mine\n")
    deleted = await client.delete(f"/api/v1/projects/{project['id']}", headers=owner.headers)
    assert deleted.status_code == 204
    api.problem(await _create(client, successor, "new", "old"), 409)


async def test_refusals_give_a_non_admin_one_answer_whether_or_not_the_path_exists(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any, api: Any, tmp_path: Path
) -> None:
    owner = await quick_user()
    prober = await quick_user()
    await api.new_project(owner, "target", workspace_path="target")
    root = _root(app)
    (root / "target" / "src").mkdir()
    (root / "notes.txt").write_text("x")
    (root / "full").mkdir()
    (root / "full" / "a.txt").write_text("x")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / "escape")
    os.symlink(tmp_path / "missing", root / "dangling")
    os.symlink(root / "loop-b", root / "loop-a")
    os.symlink(root / "loop-a", root / "loop-b")

    answers = {}
    for workspace in [
        "target/src",  # exists, inside another project's workspace
        "target/not-there",  # does not exist, inside another project's workspace
        "notes.txt",  # a file
        "notes.txt/below",  # below a file
        "full",  # a non-empty directory
        "escape/x",  # through a link that leaves the root, to a directory that exists
        "dangling/x",  # through a link that leaves the root, to nothing
        "loop-a/x",  # through a symbolic link loop
    ]:
        response = await _create(client, prober, "probe", workspace)
        api.problem(response, 409)
        answers[workspace] = _comparable(response)
    first = next(iter(answers.values()))
    different = {path: answer for path, answer in answers.items() if answer != first}
    assert not different, (first, different)


async def test_a_template_is_not_rendered_into_another_projects_workspace(
    app: FastAPI, client: httpx.AsyncClient, quick_user: Any, api: Any
) -> None:
    owner = await quick_user()
    intruder = await quick_user()
    await api.new_project(owner, "victim", workspace_path="victim")
    root = _root(app)
    (root / "victim" / "empty").mkdir()
    for workspace in ["victim/empty", "victim/new"]:
        response = await client.post(
            "/api/v1/templates/python-package/projects",
            json={"project": {"name": "t", "workspace_path": workspace}},
            headers=intruder.headers,
        )
        api.problem(response, 409)
    assert list((root / "victim" / "empty").iterdir()) == []
    assert not (root / "victim" / "new").exists()


@pytest.fixture
async def second_worker(migrated_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second app on the same database and workspace root, as another server process has."""
    other = create_app(migrated_settings)
    async with other.router.lifespan_context(other):
        transport = httpx.ASGITransport(app=other, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
            yield ac


async def test_concurrent_overlapping_claims_on_two_workers_give_one_project(
    client: httpx.AsyncClient,
    second_worker: httpx.AsyncClient,
    quick_user: Any,
    api: Any,
) -> None:
    first = await quick_user()
    second = await quick_user()
    rounds = 8
    results = await asyncio.gather(
        *(
            call
            for index in range(rounds)
            for call in (
                _create(client, first, f"outer-{index}", f"race-{index}"),
                _create(second_worker, second, f"inner-{index}", f"race-{index}/inner"),
                _create(second_worker, second, f"same-{index}", f"race-{index}"),
            )
        )
    )
    for index in range(rounds):
        trio = results[3 * index : 3 * index + 3]
        statuses = sorted(r.status_code for r in trio)
        assert statuses == [201, 409, 409], [r.text for r in trio]
    listed = await client.get("/api/v1/projects", params={"limit": 100}, headers=first.headers)
    mine = listed.json()["total"]
    listed = await client.get("/api/v1/projects", params={"limit": 100}, headers=second.headers)
    assert mine + listed.json()["total"] == rounds
