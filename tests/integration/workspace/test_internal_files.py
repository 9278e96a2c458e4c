"""Version-control internals of a workspace (remote URLs with tokens, hooks) are never shown
through the files API, by whatever path they are reached; a refusal looks like a missing
file."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

TOKEN = "ghp_tok3nSecretValue"

READ_REFUSED = [
    ".git/config",
    ".git",
    ".git/",
    ".GIT/config",
    ".Git/config",
    "./.git/config",
    "/.git/config",
    ".git/./config",
    "src/../.git/config",
    "nowhere/../.git/config",
    "src/../../ws/.git/config",
    "link/config",
    "config-link",
    "sub/.git/config",
    "sub/.GIT/config",
    "wt/.git",
    ".hg/hgrc",
    ".svn/entries",
    ".bzr/branch/branch.conf",
    ".git-credentials",
]

LIST_REFUSED = [".git", ".GIT", "./.git", "src/../.git", "link", "sub/.git", ".hg", ".svn"]


def _build(workspace: Path) -> None:
    secret = f'[remote "origin"]\n\turl = https://bot:{TOKEN}@example.test/r.git\n'
    (workspace / ".git" / "refs").mkdir(parents=True)
    (workspace / ".git" / "config").write_text(secret)
    (workspace / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (workspace / "sub" / ".git").mkdir(parents=True)
    (workspace / "sub" / ".git" / "config").write_text(secret)
    (workspace / "sub" / "lib.py").write_text("x = 1\n")
    (workspace / "wt").mkdir()
    (workspace / "wt" / ".git").write_text(f"gitdir: /srv/{TOKEN}\n")
    (workspace / ".hg").mkdir()
    (workspace / ".hg" / "hgrc").write_text(f"[paths]\ndefault = https://u:{TOKEN}@h/r\n")
    (workspace / ".svn").mkdir()
    (workspace / ".svn" / "entries").write_text(TOKEN)
    (workspace / ".bzr" / "branch").mkdir(parents=True)
    (workspace / ".bzr" / "branch" / "branch.conf").write_text(TOKEN)
    (workspace / ".git-credentials").write_text(f"https://bot:{TOKEN}@example.test\n")
    (workspace / "link").symlink_to(".git")
    (workspace / "config-link").symlink_to(".git/config")
    (workspace / "src").mkdir()
    (workspace / "src" / "main.py").write_text("print('hello')\n")
    (workspace / ".gitignore").write_text("*.pyc\n")
    (workspace / ".github" / "workflows").mkdir(parents=True)
    (workspace / ".github" / "workflows" / "ci.yml").write_text("on: push\n")


async def _setup(
    app: FastAPI, client: httpx.AsyncClient, make_user: Callable[..., Awaitable[Any]]
) -> tuple[str, dict[str, str]]:
    owner = await make_user()
    created = await client.post(
        "/api/v1/projects", json={"name": "ws", "workspace_path": "ws"}, headers=owner.headers
    )
    assert created.status_code == 201, created.text
    workspace = app.state.settings.effective_workspace_root / "ws"
    workspace.mkdir(parents=True, exist_ok=True)
    _build(workspace)
    return f"/api/v1/projects/{created.json()['id']}/files", owner.headers


def _assert_looks_missing(response: httpx.Response, path: str, missing: dict[str, Any]) -> None:
    assert response.status_code == 404, (path, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert TOKEN not in response.text
    body = response.json()
    assert body["title"] == missing["title"]
    assert body["detail"].replace(path, "<path>") == missing["detail"], (path, body)


async def test_version_control_internals_cannot_be_read(
    app: FastAPI, client: httpx.AsyncClient, make_user: Callable[..., Awaitable[Any]]
) -> None:
    base, headers = await _setup(app, client, make_user)
    content = f"{base}/content"
    missing = (await client.get(content, params={"path": "nope.txt"}, headers=headers)).json()
    missing["detail"] = missing["detail"].replace("nope.txt", "<path>")
    for path in READ_REFUSED:
        response = await client.get(content, params={"path": path}, headers=headers)
        _assert_looks_missing(response, path, missing)
    for path, text in (
        ("src/main.py", "print('hello')\n"),
        (".gitignore", "*.pyc\n"),
        (".github/workflows/ci.yml", "on: push\n"),
        ("sub/lib.py", "x = 1\n"),
    ):
        response = await client.get(content, params={"path": path}, headers=headers)
        assert response.status_code == 200, (path, response.text)
        assert response.json()["text"] == text


async def test_version_control_internals_are_not_listed(
    app: FastAPI, client: httpx.AsyncClient, make_user: Callable[..., Awaitable[Any]]
) -> None:
    base, headers = await _setup(app, client, make_user)
    missing = (await client.get(base, params={"path": "nope"}, headers=headers)).json()
    missing["detail"] = missing["detail"].replace("nope", "<path>")
    for path in LIST_REFUSED:
        response = await client.get(base, params={"path": path}, headers=headers)
        _assert_looks_missing(response, path, missing)
    top = {e["name"] for e in (await client.get(base, headers=headers)).json()}
    assert top == {"src", "sub", "wt", ".github", ".gitignore"}
    for directory, expected in (("sub", {"lib.py"}), ("wt", set())):
        listed = await client.get(base, params={"path": directory}, headers=headers)
        assert {e["name"] for e in listed.json()} == expected
