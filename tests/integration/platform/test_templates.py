"""Project templates: listed with their questions, rendered by copier, and the generated
projects pass their own tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from claude_tui.services.templates import TemplateRenderError, render_template


async def test_templates_are_listed_with_their_questions(
    client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    listed = (await client.get("/api/v1/templates", headers=team.viewer.headers)).json()
    by_name = {t["name"]: t for t in listed}
    assert set(by_name) == {"python-package", "fastapi-service"}
    questions = {q["name"]: q for q in by_name["python-package"]["questions"]}
    assert list(questions)[:2] == ["project_name", "package_name"]
    assert questions["python_version"]["choices"] == ["3.11", "3.12", "3.13"]
    assert questions["project_name"]["help"]
    port = next(q for q in by_name["fastapi-service"]["questions"] if q["name"] == "port")
    assert (port["type"], port["default"]) == ("int", 8000)
    one = await client.get("/api/v1/templates/fastapi-service", headers=team.viewer.headers)
    assert one.json() == by_name["fastapi-service"]
    missing = await client.get("/api/v1/templates/nope", headers=team.viewer.headers)
    assert "python-package" in api.problem(missing, 404)["detail"]


async def test_a_project_is_created_from_a_template(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    response = await client.post(
        "/api/v1/templates/python-package/projects",
        json={
            "project": {"name": "lib", "workspace_path": "libs/lib"},
            "answers": {"project_name": "Tiny Lib", "author": "Ada"},
        },
        headers=team.developer.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["role"] == "maintainer"
    workspace = app.state.settings.effective_workspace_root / "libs" / "lib"
    assert (workspace / "src" / "tiny_lib" / "__init__.py").is_file()
    assert 'authors = [{ name = "Ada" }]' in (workspace / "pyproject.toml").read_text()
    assert "project_name: Tiny Lib" in (workspace / ".copier-answers.yml").read_text()


async def test_bad_answers_leave_no_project_and_no_files(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    root: Path = app.state.settings.effective_workspace_root
    invalid = await client.post(
        "/api/v1/templates/python-package/projects",
        json={
            "project": {"name": "bad", "workspace_path": "bad"},
            "answers": {"package_name": "Not-Valid"},
        },
        headers=team.developer.headers,
    )
    assert "lowercase Python identifier" in api.problem(invalid, 422)["detail"]
    unknown = await client.post(
        "/api/v1/templates/python-package/projects",
        json={"project": {"name": "bad", "workspace_path": "bad"}, "answers": {"colour": "red"}},
        headers=team.developer.headers,
    )
    assert "no question 'colour'" in api.problem(unknown, 422)["detail"]
    port = await client.post(
        "/api/v1/templates/fastapi-service/projects",
        json={"project": {"name": "bad", "workspace_path": "bad"}, "answers": {"port": 70000}},
        headers=team.developer.headers,
    )
    api.problem(port, 422)
    assert not (root / "bad").exists()
    names = [
        p["name"]
        for p in (await client.get("/api/v1/projects", headers=team.admin.headers)).json()["items"]
    ]
    assert "bad" not in names
    (root / "full").mkdir(parents=True)
    (root / "full" / "keep.txt").write_text("mine")
    occupied = await client.post(
        "/api/v1/templates/python-package/projects",
        json={"project": {"name": "full", "workspace_path": "full"}},
        headers=team.developer.headers,
    )
    api.problem(occupied, 409)
    (root / "empty").mkdir()
    empty_but_bad = await client.post(
        "/api/v1/templates/python-package/projects",
        json={
            "project": {"name": "e", "workspace_path": "empty"},
            "answers": {"package_name": "9lives"},
        },
        headers=team.developer.headers,
    )
    api.problem(empty_but_bad, 422)
    assert (root / "empty").is_dir()
    assert list((root / "empty").iterdir()) == []
    traversal = await client.post(
        "/api/v1/templates/python-package/projects",
        json={"project": {"name": "t", "workspace_path": "../t"}},
        headers=team.developer.headers,
    )
    api.problem(traversal, 422)


@pytest.mark.parametrize(
    ("template", "answers"),
    [
        ("python-package", {"project_name": "Gen Lib", "python_version": "3.11"}),
        ("fastapi-service", {"project_name": "Gen Service", "port": 8123}),
    ],
)
def test_generated_projects_pass_their_own_tests(
    tmp_path: Path, template: str, answers: dict[str, Any]
) -> None:
    target = tmp_path / "generated"
    render_template(template, target, answers)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-p",
            "no:randomly",
            "-o",
            "addopts=",
        ],
        cwd=target,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_render_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(TemplateRenderError, match="port must be between"):
        render_template("fastapi-service", tmp_path / "x", {"port": 0})


async def test_a_name_conflict_after_rendering_removes_the_rendered_files(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    response = await client.post(
        "/api/v1/templates/fastapi-service/projects",
        json={"project": {"name": "alpha", "workspace_path": "fresh"}},
        headers=team.developer.headers,
    )
    assert "already exists" in api.problem(response, 409)["detail"]
    assert not (app.state.settings.effective_workspace_root / "fresh").exists()
