"""``claude-tui task run|list|show|cancel|undo`` and ``claude-tui worker``.

The task commands are clients of the API (see ``cli/connect.py``): the server authorizes,
queues and runs the work, and its events are shown with the terminal UI's sentences.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claude_tui.cli.common import CliError, load_settings, one_line_errors
from claude_tui.cli.connect import Session
from claude_tui.cli.project_cmd import (
    add_directory,
    check_mode,
    find_project,
    local_path,
    looks_like_path,
    project_of,
    run_with_server,
)

if TYPE_CHECKING:
    from rich.console import Console

    from claude_tui.client import ApiClient
    from claude_tui.settings import Settings
    from claude_tui.storage.database import Database

app = typer.Typer(help="Run AI tasks and look at them.", no_args_is_help=True)

EXIT_SUCCEEDED = 0
EXIT_FAILED = 1
EXIT_CANCELLED = 3
FINAL = ("succeeded", "failed", "cancelled")
#: Events ``task run`` does not print as they come.
QUIET = frozenset({"created", "progress"})


def register(root: typer.Typer) -> None:
    """Add ``task`` and ``worker`` to the root command."""
    root.add_typer(app, name="task")
    root.command("worker", help="Run tasks from the Redis queue until stopped.")(worker)


def _database(settings: Settings) -> Database:
    from claude_tui.storage.database import Database

    return Database(settings.database_url, pool_size=2, max_overflow=2)


def _with_stored_provider(settings: Settings) -> Settings:
    """The settings with the provider an administrator stored on the server applied.

    When the database cannot tell (not created or not migrated yet), the environment decides.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from claude_tui.services.provider_settings import effective_settings_of

    async def read() -> Settings:
        db = _database(settings)
        try:
            return await effective_settings_of(db, settings)
        finally:
            await db.dispose()

    try:
        return asyncio.run(read())
    except (SQLAlchemyError, OSError):
        return settings


def _exit_code(status: str) -> int:
    if status == "succeeded":
        return EXIT_SUCCEEDED
    return EXIT_CANCELLED if status == "cancelled" else EXIT_FAILED


def _console() -> Console:
    from rich.console import Console

    # Colour on a terminal, plain sentences in a pipe or a log file.
    return Console(highlight=False, soft_wrap=True)


@app.command("run")
@one_line_errors
def run(
    project: Annotated[
        str, typer.Argument(help="Project name or id, or a directory (registered if new)")
    ],
    instruction: Annotated[str, typer.Argument(help="What the agent should do")],
    mode: Annotated[
        str | None,
        typer.Option(help="read-only, ask or auto: sets the project's permission mode"),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model to use for this task")] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Approve every step of an ask-mode project")
    ] = False,
) -> None:
    """Create an AI task, run it, and stream its steps; the exit code says how it ended."""
    check_mode(mode)
    console = _console()

    async def work(session: Session) -> str:
        # The provider first: without one, no project or instruction can help.
        agent = await session.client.agent_status()
        if not agent.get("configured"):
            raise CliError(str(agent.get("detail") or "no AI model provider is configured"))
        found = await find_project(session, project)
        if found is None:
            if not looks_like_path(project):
                raise CliError(f"no project named {project!r}")
            found = await add_directory(session, project, name=None, mode=mode, tests=None)
            typer.echo(f"registered {local_path(project)} as project {found['name']}")
        settings = found.get("settings") or {}
        if mode is not None and settings.get("permission_mode") != mode:
            found = await session.client.update_project(
                int(found["id"]), {"settings": {"permission_mode": mode}}
            )
        return await _run(session.client, console, found, instruction, model, yes)

    try:
        status = run_with_server(work)
    except KeyboardInterrupt:
        # The task was cancelled on the server on the way out (see ``_run``).
        raise typer.Exit(130) from None
    raise typer.Exit(_exit_code(status))


async def _run(
    client: ApiClient,
    console: Console,
    project: dict[str, Any],
    instruction: str,
    model: str | None,
    yes: bool,
) -> str:
    project_id = int(project["id"])
    # Events from here on: the task's own come after this id.
    history = await client.list_events(project_id)
    after = int(history[-1]["id"]) if history else 0
    task = await client.create_agent_task(project_id, instruction, model=model)
    task_id = int(task["id"])
    typer.echo(f"task {task_id} queued in project {project['name']}")
    try:
        return await _follow(client, console, project_id, task_id, after, yes)
    except (KeyboardInterrupt, asyncio.CancelledError):
        from claude_tui.client import ApiError

        try:
            await client.cancel_task(task_id)
            typer.echo(f"task {task_id} cancelled")
        except ApiError as exc:
            typer.echo(f"task {task_id} could not be cancelled: {exc.detail or exc.title}")
        raise


async def _follow(
    client: ApiClient, console: Console, project_id: int, task_id: int, after: int, yes: bool
) -> str:
    from rich.text import Text

    from claude_tui.client.steps import describe_event, event_kind

    streaming = False
    async for event in client.stream_events(project_id, after=after):
        if event.get("task_id") != task_id:
            continue
        kind = event_kind(event)
        payload = event.get("payload") or {}
        if kind == "model_text":
            # Printed as it comes, on one line that the turn's end closes.
            if not streaming:
                console.print(Text("The model is writing: ", "bold cyan"), end="")
            console.print(str(payload.get("text", "")), end="", markup=False)
            streaming = True
            continue
        if streaming:
            console.print()
            streaming = False
            if kind == "model_message":
                continue  # the message repeats the streamed text whole
        # Progress is summed up once at the end; each step's figures would bury the steps.
        line = None if kind in QUIET else describe_event(event)
        if line is not None:
            console.print(line)
        if kind == "approval_requested":
            refused = await _decide(client, task_id, payload, yes)
            if refused:
                typer.echo(refused)
        if kind == "status" and payload.get("to") in FINAL:
            break
    shown = await client.get_task(task_id)
    status = str(shown["status"])
    error = shown.get("error")
    tokens = int(shown.get("tokens_in") or 0) + int(shown.get("tokens_out") or 0)
    typer.echo(
        f"verified {float(shown.get('verified_progress') or 0):.0f}%, claimed "
        f"{float(shown.get('claimed_progress') or 0):.0f}%; {tokens:,} tokens, "
        f"${float(shown.get('cost_usd') or 0):.4f}"
    )
    typer.echo(f"task {task_id} {status}" + (f": {error}" if error else ""))
    return status


def _ask(question: str) -> asyncio.Future[bool]:
    """The terminal's answer, read in a daemon thread so the server in this process runs on.

    A daemon thread, not the loop's executor: a prompt nobody answers must not keep the
    program from exiting on Ctrl-C.
    """
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[bool] = loop.create_future()

    def read() -> None:
        try:
            result = bool(typer.confirm(question, default=False))
        except (typer.Abort, EOFError, OSError):
            result = False

        def settle() -> None:
            if not answer.done():
                answer.set_result(result)

        loop.call_soon_threadsafe(settle)

    threading.Thread(target=read, name="approval-prompt", daemon=True).start()
    return answer


async def _decide(client: ApiClient, task_id: int, call: dict[str, Any], yes: bool) -> str | None:
    """Ask and send the decision; the line to print instead when the server refused it."""
    from claude_tui.client import ApiError
    from claude_tui.client.steps import describe_call

    name = str(call.get("name", ""))
    approved = yes or (
        sys.stdin.isatty()
        and await _ask(f"allow {name}: {describe_call(name, call.get('arguments'))}?")
    )
    try:
        reason = "" if approved else "declined at the terminal"
        await client.decide_approval(task_id, str(call.get("id")), approved, reason)
    except ApiError as exc:
        if exc.status == 409:
            return f"{exc.detail} The decision was not recorded."
        raise
    return None


@app.command("list")
@one_line_errors
def list_cmd(
    project: Annotated[str | None, typer.Option(help="Only this project (name or id)")] = None,
    status: Annotated[str | None, typer.Option(help="Only tasks with this status")] = None,
) -> None:
    """Tasks, newest last: id, status, verified/claimed progress, title."""
    from claude_tui.domain.task_status import TaskStatus

    if status is not None and status not in {s.value for s in TaskStatus}:
        raise CliError(f"unknown status {status!r}")

    async def work(session: Session) -> list[dict[str, Any]]:
        project_id = int((await project_of(session, project))["id"]) if project else None
        found: list[dict[str, Any]] = await session.client.find_tasks(
            project_id=project_id, statuses=[status] if status else None
        )
        return sorted(found, key=lambda task: int(task["id"]))

    for task in run_with_server(work):
        typer.echo(
            f"{task['id']:>5}  {task['status']:<10}  {float(task['verified_progress']):>5.1f}%/"
            f"{float(task['claimed_progress']):>5.1f}%  {task['title']}"
        )


@app.command("show")
@one_line_errors
def show(task_id: Annotated[int, typer.Argument(help="Task id")]) -> None:
    """A task and its steps."""
    from claude_tui.client.steps import describe_event

    async def work(session: Session) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        task: dict[str, Any] = await session.client.get_task(task_id)
        events = await session.client.list_events(int(task["project_id"]))
        return task, [e for e in events if e.get("task_id") == task_id]

    task, events = run_with_server(work)
    console = _console()
    console.print(f"task {task['id']}: {task['title']}", markup=False)
    console.print(
        f"status {task['status']}; verified {float(task['verified_progress'])}%, claimed "
        f"{float(task['claimed_progress'])}%; tokens {task['tokens_in']} in / "
        f"{task['tokens_out']} out; cost ${task['cost_usd']}",
        markup=False,
    )
    if task.get("error"):
        console.print(f"error: {task['error']}", markup=False)
    for event in events:
        line = describe_event(event)
        if line is not None:
            console.print(line)


@app.command("cancel")
@one_line_errors
def cancel(task_id: Annotated[int, typer.Argument(help="Task id")]) -> None:
    """Cancel a task; a running one stops its model request at once."""

    async def work(session: Session) -> None:
        await session.client.cancel_task(task_id)

    run_with_server(work)
    typer.echo(f"task {task_id} cancelled")


@app.command("undo")
@one_line_errors
def undo(task_id: Annotated[int, typer.Argument(help="Task id")]) -> None:
    """Drop the task's last accepted step (its newest commit on the task branch)."""

    async def work(session: Session) -> str:
        result: dict[str, Any] = await session.client.undo_task(task_id)
        return str(result["undone"])

    typer.echo(f"undone: {run_with_server(work)}")


@one_line_errors
def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Tasks run at once")] = 2,
) -> None:
    """Consume the Redis task stream (needs CLAUDE_TUI_REDIS_URL and a model provider)."""
    from claude_tui.agent.providers import ProviderNotConfiguredError, ensure_provider_configured
    from claude_tui.observability.logging import configure_logging
    from claude_tui.worker.service import run_worker

    settings = load_settings()
    if not settings.redis_url:
        raise CliError(
            "the worker needs Redis: set CLAUDE_TUI_REDIS_URL (without Redis the server runs "
            "tasks itself)"
        )
    try:
        ensure_provider_configured(_with_stored_provider(settings))
    except ProviderNotConfiguredError as exc:
        raise CliError(str(exc)) from exc
    configure_logging(settings.log_level, settings.log_format, settings.log_file)
    try:
        asyncio.run(run_worker(settings, concurrency))
    except KeyboardInterrupt:
        typer.echo("worker stopped")
    except RuntimeError as exc:
        raise CliError(str(exc)) from exc
