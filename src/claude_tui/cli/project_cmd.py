"""``claude-tui project add|list|show|remove``: the projects of the server, by name, id or path."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claude_tui.cli.common import CliError, load_settings, one_line_errors
from claude_tui.cli.connect import Session, api_failure, connect

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

app = typer.Typer(help="Register directories as projects and look at them.", no_args_is_help=True)

MODES = ("read-only", "ask", "auto")
_NAME_CHARS = re.compile(r"[^A-Za-z0-9 ._-]+")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="project")


def run_with_server(work: Callable[[Session], Awaitable[Any]]) -> Any:
    """Run ``work`` against the server; its error answers become one line."""
    from claude_tui.client import ApiError

    settings = load_settings()

    async def session() -> Any:
        async with connect(settings) as opened:
            return await work(opened)

    try:
        return asyncio.run(session())
    except ApiError as exc:
        raise api_failure(exc) from exc


def check_mode(mode: str | None) -> str | None:
    if mode is not None and mode not in MODES:
        raise CliError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
    return mode


def _workspace_of(project: dict[str, Any], root: Path | None) -> Path | None:
    path = Path(str(project.get("workspace_path", "")))
    if path.is_absolute():
        return path.resolve()
    return (root / path).resolve() if root is not None else None


def local_path(reference: str) -> Path:
    """The directory a reference names, absolute (a quick local lookup)."""
    return Path(reference).expanduser().resolve()


def _is_dir(path: Path) -> bool:
    return path.is_dir()


def looks_like_path(reference: str) -> bool:
    return reference in (".", "..") or "/" in reference or Path(reference).expanduser().is_dir()


async def find_project(session: Session, reference: str) -> dict[str, Any] | None:
    """The project named ``reference``, with that id, or whose workspace is that directory."""
    listed = await session.client.list_projects()
    for project in listed:
        if project["name"] == reference:
            return project
    if reference.isdigit():
        for project in listed:
            if project["id"] == int(reference):
                return project
    if looks_like_path(reference):
        wanted = local_path(reference)
        for project in listed:
            if _workspace_of(project, session.workspace_root) == wanted:
                return project
    return None


async def project_of(session: Session, reference: str) -> dict[str, Any]:
    found = await find_project(session, reference)
    if found is None:
        raise CliError(f"no project named {reference!r}")
    return found


def _name_for(directory: Path, taken: set[str]) -> str:
    base = _NAME_CHARS.sub("-", directory.name).strip(" ._-")[:90] or "project"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


async def add_directory(
    session: Session, directory: str, *, name: str | None, mode: str | None, tests: str | None
) -> dict[str, Any]:
    """Register a directory as a project; the server checks it lies inside its workspace root."""
    path = local_path(directory)
    if session.workspace_root is not None and not _is_dir(path):
        raise CliError(f"{directory} is not a directory")
    taken = {str(p["name"]) for p in await session.client.list_projects()}
    settings: dict[str, Any] = {"permission_mode": mode or "ask"}
    if tests:
        settings["test_command"] = tests
    created: dict[str, Any] = await session.client.create_project(
        {
            "name": name or _name_for(path, taken),
            "workspace_path": str(path),
            "settings": settings,
        }
    )
    return created


def _describe(project: dict[str, Any]) -> list[str]:
    settings = project.get("settings") or {}
    return [
        f"project {project['id']}: {project['name']}",
        f"workspace {project['workspace_path']}",
        f"mode {settings.get('permission_mode')}; model {settings.get('ai_model') or 'default'}; "
        f"tests {settings.get('test_command') or 'detected'}",
    ]


@app.command("add")
@one_line_errors
def add(
    directory: Annotated[str, typer.Argument(help="Directory inside the workspace root")],
    name: Annotated[str | None, typer.Option(help="Name (default: the directory's)")] = None,
    mode: Annotated[str | None, typer.Option(help="read-only, ask (default) or auto")] = None,
    test_command: Annotated[
        str | None, typer.Option("--test-command", help="Command that runs its tests")
    ] = None,
) -> None:
    """Register a directory as a project."""
    check_mode(mode)

    async def work(session: Session) -> dict[str, Any]:
        existing = await find_project(session, directory) if looks_like_path(directory) else None
        if existing is not None:
            raise CliError(f"{directory} is already project {existing['name']!r}")
        return await add_directory(session, directory, name=name, mode=mode, tests=test_command)

    created = run_with_server(work)
    typer.echo(f"project {created['id']} {created['name']} added: {local_path(directory)}")


@app.command("list")
@one_line_errors
def list_cmd() -> None:
    """Projects: id, name, permission mode, workspace."""

    async def work(session: Session) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = await session.client.list_projects()
        return listed

    listed = run_with_server(work)
    if not listed:
        typer.echo("no projects yet: add one with 'claude-tui project add DIRECTORY'")
    for project in listed:
        mode = (project.get("settings") or {}).get("permission_mode", "?")
        typer.echo(
            f"{project['id']:>5}  {project['name']:<24}  {mode:<9}  {project['workspace_path']}"
        )


@app.command("show")
@one_line_errors
def show(project: Annotated[str, typer.Argument(help="Name, id or directory")]) -> None:
    """A project's settings and its tasks."""

    async def work(session: Session) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        found = await project_of(session, project)
        return found, await session.client.find_tasks(project_id=int(found["id"]))

    found, tasks = run_with_server(work)
    for line in _describe(found):
        typer.echo(line)
    typer.echo(f"{len(tasks)} task(s)")
    for task in tasks:
        typer.echo(f"{task['id']:>5}  {task['status']:<10}  {task['title']}")


@app.command("remove")
@one_line_errors
def remove(
    project: Annotated[str, typer.Argument(help="Name, id or directory")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask")] = False,
) -> None:
    """Forget a project with its tasks and events; its files stay where they are."""

    async def work(session: Session) -> dict[str, Any] | None:
        found = await project_of(session, project)
        if not yes:
            question = f"forget project {found['name']!r} and its tasks? (its files stay)"
            if not await asyncio.to_thread(typer.confirm, question):
                return None
        await session.client.delete_project(int(found["id"]))
        return found

    found = run_with_server(work)
    if found is None:
        raise CliError("nothing removed", exit_code=1)
    typer.echo(f"project {found['name']} removed; its files stay in {found['workspace_path']}")
