"""Workspace files and the dashboard, as the terminal UI reads them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI


async def _project(client: httpx.AsyncClient, headers: dict[str, str], name: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/projects", json={"name": name, "workspace_path": name}, headers=headers
    )
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


def _workspace(app: FastAPI, project: dict[str, Any]) -> Path:
    root: Path = app.state.settings.effective_workspace_root
    path = root / project["workspace_path"]
    path.mkdir(parents=True, exist_ok=True)
    return path


async def test_files_are_listed_and_read_inside_the_workspace(
    app: FastAPI, client: httpx.AsyncClient, make_user: Callable[..., Awaitable[Any]]
) -> None:
    owner = await make_user()
    project = await _project(client, owner.headers, "demo")
    workspace = _workspace(app, project)
    (workspace / "src").mkdir()
    (workspace / "src" / "main.py").write_text("print('hello')\n")
    (workspace / "README.md").write_text("# demo\n")
    (workspace / ".git").mkdir()
    (workspace / "blob.bin").write_bytes(b"\x00\x01\x02")
    (workspace / "escape").symlink_to("/etc")

    base = f"/api/v1/projects/{project['id']}/files"
    top = (await client.get(base, headers=owner.headers)).json()
    assert [(e["name"], e["type"]) for e in top] == [
        ("src", "directory"),
        ("blob.bin", "file"),
        ("README.md", "file"),
    ]
    nested = (await client.get(base, params={"path": "src"}, headers=owner.headers)).json()
    assert nested == [{"name": "main.py", "path": "src/main.py", "type": "file", "size": 15}]

    content = await client.get(
        f"{base}/content", params={"path": "src/main.py"}, headers=owner.headers
    )
    assert content.status_code == 200
    assert content.json()["text"] == "print('hello')\n"

    for bad, status in (
        ("../../etc/passwd", 422),
        ("escape/hostname", 422),
        ("blob.bin", 422),
        ("nope.txt", 404),
    ):
        response = await client.get(f"{base}/content", params={"path": bad}, headers=owner.headers)
        assert response.status_code == status, (bad, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_non_members_cannot_see_files_or_summaries(
    app: FastAPI, client: httpx.AsyncClient, make_user: Callable[..., Awaitable[Any]]
) -> None:
    owner = await make_user()
    stranger = await make_user()
    project = await _project(client, owner.headers, "secret-project")
    (_workspace(app, project) / "keys.txt").write_text("nothing to see\n")
    response = await client.get(f"/api/v1/projects/{project['id']}/files", headers=stranger.headers)
    assert response.status_code == 404
    summaries = (await client.get("/api/v1/dashboard", headers=stranger.headers)).json()
    assert summaries == []
    assert (await client.get("/api/v1/dashboard")).status_code == 401


async def test_dashboard_summarises_tasks_per_project(
    client: httpx.AsyncClient, make_user: Callable[..., Awaitable[Any]]
) -> None:
    owner = await make_user()
    first = await _project(client, owner.headers, "alpha")
    await _project(client, owner.headers, "beta")
    for title in ("one", "two"):
        created = await client.post(
            f"/api/v1/projects/{first['id']}/tasks",
            json={"title": title, "description": "do it"},
            headers=owner.headers,
        )
        assert created.status_code == 201, created.text
    summaries = (await client.get("/api/v1/dashboard", headers=owner.headers)).json()
    assert [s["name"] for s in summaries] == ["alpha", "beta"]
    alpha, beta = summaries
    assert alpha["tasks"] == 2
    assert alpha["running_tasks"] == 0
    assert alpha["verified_progress"] == 0.0
    assert beta["tasks"] == 0
    assert beta["verified_progress"] is None


async def test_symlink_loops_and_overlong_names_are_client_errors(
    app: FastAPI, client: httpx.AsyncClient, make_user: Callable[..., Awaitable[Any]]
) -> None:
    owner = await make_user()
    project = await _project(client, owner.headers, "loops")
    workspace = _workspace(app, project)
    (workspace / "loop").symlink_to("loop")
    (workspace / "a").symlink_to("b")
    (workspace / "b").symlink_to("a")
    (workspace / "ok.txt").write_text("fine\n")
    long_name = "x" * 256
    wide_name = "é" * 128  # 128 characters, 256 bytes in UTF-8

    base = f"/api/v1/projects/{project['id']}/files"
    listing = await client.get(base, headers=owner.headers)
    assert listing.status_code == 200, listing.text
    assert [e["name"] for e in listing.json()] == ["ok.txt"]
    for path in ("loop", "a", "a/inner.txt", "loop/x", long_name, f"src/{wide_name}"):
        for url, status in ((base, 404), (f"{base}/content", 404)):
            response = await client.get(url, params={"path": path}, headers=owner.headers)
            assert response.status_code in (status, 422), (url, path, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
    too_long = await client.get(
        f"{base}/content", params={"path": long_name}, headers=owner.headers
    )
    assert too_long.status_code == 422
    assert "255 bytes" in too_long.json()["detail"]
    looped = await client.get(f"{base}/content", params={"path": "a"}, headers=owner.headers)
    assert looped.status_code == 422
    assert "symbolic link" in looped.json()["detail"]
