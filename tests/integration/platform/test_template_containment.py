"""Template answers are an attacker's input: they land escaped in every rendered file, or
are refused; template code (tasks, migrations, Jinja extensions) never runs."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml
from fastapi import FastAPI
from sqlalchemy import text

from claude_tui.services import templates
from claude_tui.services.templates import TemplateRenderError, render_template

INJECTED_TOML = 'x"\n[tool.claude-tui.validation]\ntest-command = "touch {marker}"\nz = "'

HOSTILE = [
    INJECTED_TOML,
    "{{ 7 * 7 }} {% if true %}evaluated{% endif %} {# gone #} {%- raw %}",
    'back\\slash \\" \\n \\u0041 \\\\ trailing\\',
    '"""\nimport os; os.system("touch pwned")\n"""',
    "'''\n''' + __import__('os').getcwd() + '''",
    "tab\there\r\ncarriage\rvt\x0bff\x0cesc\x1b[31mdel\x7fend",
    "unicode: café ☃ 𝄞 \u2028 \u2029 \u00a0 \ufeff \u202e reversed",
    "---\nkey: &a [*a]\n... !!python/object/apply:os.system ['touch pwned']",
    "]] }} [[tool.claude-tui]] # not a comment",
    "",
]

#: Answers that must be refused before anything is written.
REFUSED = [
    ("description", "nul\x00byte"),
    ("author", "\x00"),
    ("description", "lone \ud800 surrogate"),
    ("project_name", 'Evil"\n[tool.claude-tui]'),
    ("project_name", "two\nlines"),
    ("project_name", "{{ 7 * 7 }}"),
    ("package_name", "pkg\n"),
    ("package_name", "pkg; import os"),
]


def _answers(template: str, value: str) -> dict[str, Any]:
    answers: dict[str, Any] = {"project_name": "Safe Name", "description": value}
    if template == "python-package":
        answers["author"] = value
    return answers


def _docstring(path: Path) -> str | None:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=False)


def assert_rendered_faithfully(root: Path, template: str, answers: dict[str, Any]) -> None:
    """Parse every rendered file with its own parser; each answer comes back unchanged."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert files, "nothing was rendered"
    package = "safe_name"
    checked: set[Path] = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            ast.parse(text, filename=str(path))
            checked.add(path)
        elif path.suffix == ".toml":
            tomllib.loads(text)
            checked.add(path)
        elif path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
            checked.add(path)
        elif path.name in ("README.md", ".gitignore"):
            checked.add(path)
    assert checked == set(files), f"files with no parser: {set(files) - checked}"

    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert set(pyproject) == {"build-system", "project", "tool"}
    assert set(pyproject["tool"]) == {"setuptools", "pytest"}
    assert "claude-tui" not in pyproject["tool"]
    project = pyproject["project"]
    assert project["name"] == "safe-name"
    assert project["description"] == answers["description"]
    if template == "python-package":
        expected_authors = [{"name": answers["author"]}] if answers["author"] else None
        assert project.get("authors") == expected_authors
        assert project["requires-python"] == ">=3.11"

    recorded = yaml.safe_load((root / ".copier-answers.yml").read_text(encoding="utf-8"))
    for key, value in answers.items():
        assert recorded[key] == value, key

    assert _docstring(root / "src" / package / "__init__.py") == answers["description"]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {answers['project_name']}\n")
    if template == "fastapi-service":
        app_py = root / "src" / package / "app.py"
        assert _docstring(app_py) == f"The HTTP application of {answers['project_name']}."
        titles = [
            keyword.value.value
            for node in ast.walk(ast.parse(app_py.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
            for keyword in node.keywords
            if keyword.arg == "title" and isinstance(keyword.value, ast.Constant)
        ]
        assert titles == [answers["project_name"]]


@pytest.mark.parametrize("template", ["python-package", "fastapi-service"])
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_answers_are_escaped_in_every_rendered_file(
    tmp_path: Path, template: str, value: str
) -> None:
    marker = tmp_path / "marker"
    text = value.replace("{marker}", str(marker))
    answers = _answers(template, text)
    render_template(template, tmp_path / "out", answers)
    assert_rendered_faithfully(tmp_path / "out", template, answers)
    assert not marker.exists()


@pytest.mark.parametrize(("question", "value"), REFUSED, ids=range(len(REFUSED)))
def test_unrenderable_answers_are_refused_before_anything_is_written(
    tmp_path: Path, question: str, value: str
) -> None:
    with pytest.raises(TemplateRenderError):
        render_template("python-package", tmp_path / "out", {question: value})
    assert not (tmp_path / "out").exists()


async def test_hostile_answers_through_the_api_land_escaped(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    root: Path = app.state.settings.effective_workspace_root
    marker = root / "marker"
    value = HOSTILE[0].replace("{marker}", str(marker)) + HOSTILE[1] + HOSTILE[3]
    for template in ("python-package", "fastapi-service"):
        answers = _answers(template, value)
        response = await client.post(
            f"/api/v1/templates/{template}/projects",
            json={"project": {"name": template, "workspace_path": template}, "answers": answers},
            headers=team.developer.headers,
        )
        assert response.status_code == 201, response.text
        assert_rendered_faithfully(root / template, template, answers)
    assert not marker.exists()


async def test_refused_answers_through_the_api_are_422_and_leave_nothing(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    root: Path = app.state.settings.effective_workspace_root
    for number, (question, value) in enumerate(REFUSED):
        body = {
            "project": {"name": f"r{number}", "workspace_path": f"r{number}"},
            "answers": {question: value},
        }
        # Encoded by hand: a lone surrogate only exists as a JSON escape on the wire.
        response = await client.post(
            "/api/v1/templates/python-package/projects",
            content=json.dumps(body),
            headers={**team.developer.headers, "content-type": "application/json"},
        )
        problem = api.problem(response, 422)
        # Named in the message, or (NUL, refused for every field) in the error's location.
        located = [e.get("location", [])[-1:] for e in problem.get("errors", [])]
        assert question in problem["detail"] or [question] in located, problem
        assert not (root / f"r{number}").exists()
    listed = (await client.get("/api/v1/projects", headers=team.admin.headers)).json()["items"]
    assert not [p for p in listed if p["name"].startswith("r")]


async def test_only_shipped_templates_can_be_selected(
    tmp_path: Path, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    evil = _template_with(tmp_path / "evil", {})
    for name in ("evil", "%2E%2E", quote(str(evil), safe=""), "python-package%2F..%2F..%2Fevil"):
        response = await client.post(
            f"/api/v1/templates/{name}/projects",
            json={"project": {"name": "x", "workspace_path": "x"}},
            headers=team.developer.headers,
        )
        assert response.status_code == 404, (name, response.text)
    for name in ("..", "../python-package", str(evil), "evil", ""):
        with pytest.raises(TemplateRenderError, match="No template named"):
            render_template(name, tmp_path / "out", {})
        assert not (tmp_path / "out").exists()


def _template_with(directory: Path, settings: dict[str, Any]) -> Path:
    (directory / "template").mkdir(parents=True)
    (directory / "template" / "hello.txt.jinja").write_text("{{ name }}\n")
    config = {"_subdirectory": "template", "name": {"type": "str", "default": "n"}, **settings}
    (directory / "copier.yml").write_text(yaml.safe_dump(config))
    return directory


@pytest.mark.parametrize("feature", ["_tasks", "_migrations", "_jinja_extensions"])
def test_template_code_never_runs_even_in_the_shipped_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, feature: str
) -> None:
    marker = tmp_path / "marker"
    command = f"touch {marker}"
    values: dict[str, Any] = {
        "_tasks": [command],
        "_migrations": [{"version": "v0", "command": command}],
        "_jinja_extensions": ["jinja2.ext.do"],
    }
    # A template that made it into the shipped directory is refused all the same.
    shipped = tmp_path / "shipped"
    _template_with(shipped / "python-package", {feature: values[feature]})
    monkeypatch.setattr(templates, "TEMPLATES_DIR", shipped)
    with pytest.raises(TemplateRenderError, match=f"declares {feature}"):
        render_template("python-package", tmp_path / "out", {})
    assert not (tmp_path / "out").exists()
    assert not marker.exists()


def test_copier_user_settings_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copier reads trusted templates and default answers from a user file; not here."""
    settings_file = tmp_path / "copier-settings.yml"
    settings_file.write_text(
        yaml.safe_dump({"trust": ["/"], "defaults": {"description": INJECTED_TOML}})
    )
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(settings_file))
    render_template("python-package", tmp_path / "out", {"project_name": "Safe Name"})
    pyproject = tomllib.loads((tmp_path / "out" / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == "A Python package."


async def test_a_database_failure_after_rendering_leaves_no_files(
    app: FastAPI, client: httpx.AsyncClient, team: Any
) -> None:
    async with app.state.db.session() as session:
        await session.execute(text("ALTER TABLE projects RENAME TO projects_away"))
        await session.commit()
    response = await client.post(
        "/api/v1/templates/python-package/projects",
        json={"project": {"name": "lost", "workspace_path": "lost"}},
        headers=team.developer.headers,
    )
    assert response.status_code == 500, response.text
    assert not (app.state.settings.effective_workspace_root / "lost").exists()
