"""``POST /api/v1/validations`` and ``GET /api/v1/projects/{id}/validations``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conftest import AuthUser

MakeUser = Callable[..., Awaitable[AuthUser]]


@pytest.fixture
async def project(app: FastAPI, client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, Any]:
    owner, viewer, outsider = await make_user(), await make_user(), await make_user()
    created = await client.post(
        "/api/v1/projects", json={"name": "calc", "workspace_path": "calc"}, headers=owner.headers
    )
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]
    added = await client.post(
        f"/api/v1/projects/{project_id}/members",
        json={"username": viewer.username, "role": "viewer"},
        headers=owner.headers,
    )
    assert added.status_code == 202, added.text
    workspace: Path = app.state.settings.effective_workspace_root / "calc"
    (workspace / "pyproject.toml").write_text(
        '[project]\nname = "calc"\ndependencies = ["attrs"]\n'
    )
    (workspace / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (workspace / "todo.py").write_text("def mul(a, b):\n    pass\n")
    return {"id": project_id, "owner": owner, "viewer": viewer, "outsider": outsider}


async def test_a_snippet_is_validated_and_stored(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user = await make_user()
    response = await client.post(
        "/api/v1/validations",
        json={"code": "import leftpadzz\n\ndef f():\n    pass\n", "language": "python"},
        headers=user.headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["passed"] is False
    assert body["project_id"] is None
    assert {f["rule"] for f in body["findings"]} == {"imports.unresolved", "placeholder.stub-body"}
    assert body["summary"]["counts"]["high"] == 2


async def test_project_validation_is_listed_for_members(
    client: httpx.AsyncClient, project: dict[str, Any]
) -> None:
    owner, viewer = project["owner"], project["viewer"]
    response = await client.post(
        "/api/v1/validations", json={"project_id": project["id"]}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["passed"], report["score"]) == (False, 0.5)
    assert [(f["path"], f["rule"]) for f in report["findings"]] == [
        ("todo.py", "placeholder.stub-body")
    ]
    again = await client.post(
        "/api/v1/validations", json={"project_id": project["id"]}, headers=owner.headers
    )
    summary = again.json()["summary"]
    assert summary["files_from_cache"] == summary["files_checked"] == 2
    assert again.json()["findings"] == report["findings"]
    snippet = await client.post(
        "/api/v1/validations",
        json={"project_id": project["id"], "code": "import attrs\nimport calc\n", "language": "py"},
        headers=owner.headers,
    )
    assert snippet.json()["passed"] is True

    listed = await client.get(
        f"/api/v1/projects/{project['id']}/validations", headers=viewer.headers
    )
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 3
    assert [r["id"] for r in listed.json()["items"]] == [
        report["id"],
        again.json()["id"],
        snippet.json()["id"],
    ]


async def test_who_may_validate(client: httpx.AsyncClient, project: dict[str, Any]) -> None:
    body = {"project_id": project["id"]}
    denied = await client.post("/api/v1/validations", json=body, headers=project["viewer"].headers)
    assert denied.status_code == 403
    hidden = await client.post(
        "/api/v1/validations", json=body, headers=project["outsider"].headers
    )
    assert hidden.status_code == 404
    listing = await client.get(
        f"/api/v1/projects/{project['id']}/validations", headers=project["outsider"].headers
    )
    assert listing.status_code == 404
    anonymous = await client.post("/api/v1/validations", json=body)
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"code": "x = 1\n"},
        {"code": "x = 1\n", "language": "klingon"},
        {"code": "x = 1\n", "language": "python", "run_tests": True},
    ],
)
async def test_bad_requests_are_problems(
    client: httpx.AsyncClient, make_user: MakeUser, body: dict[str, Any]
) -> None:
    user = await make_user()
    response = await client.post("/api/v1/validations", json=body, headers=user.headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_bad_revision_is_a_problem(
    client: httpx.AsyncClient, project: dict[str, Any]
) -> None:
    response = await client.post(
        "/api/v1/validations",
        json={"project_id": project["id"], "changed_since": "nope"},
        headers=project["owner"].headers,
    )
    assert response.status_code == 422
    assert "revision" in response.json()["detail"]
