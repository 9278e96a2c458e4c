"""``claude-tui task run|list|show|cancel|undo`` and ``claude-tui worker``."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claude_tui.cli.common import CliError, load_settings, one_line_errors

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from claude_tui.services.principal import Principal
    from claude_tui.settings import Settings
    from claude_tui.storage.database import Database
    from claude_tui.storage.models import Project

app = typer.Typer(help="Run AI tasks and look at them.", no_args_is_help=True)

EXIT_SUCCEEDED = 0
EXIT_FAILED = 1
EXIT_CANCELLED = 3
FINAL = ("succeeded", "failed", "cancelled")
MODEL_TEXT = "agent.model_text"
MODEL_MESSAGE = "agent.model_message"


def register(root: typer.Typer) -> None:
    """Add ``task`` and ``worker`` to the root command."""
    root.add_typer(app, name="task")
    root.command("worker", help="Run tasks from the Redis queue until stopped.")(worker)


def _operator() -> Principal:
    from claude_tui.services.principal import Principal

    return Principal(user_id=0, username="local-operator", is_admin=True, via="local")


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


def _storage_error(exc: Exception) -> CliError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = first.lower()
    if "no such table" in lowered or "does not exist" in lowered or "unable to open" in lowered:
        return CliError(f"the database is not ready ({first}): run 'claude-tui db upgrade' first")
    return CliError(f"database error: {first}")


async def _with_db(settings: Settings, work: Any) -> Any:
    from sqlalchemy.exc import SQLAlchemyError

    from claude_tui.services.errors import ServiceError

    db = _database(settings)
    try:
        return await work(db)
    except ServiceError as exc:
        raise CliError(exc.detail) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise _storage_error(exc) from exc
    finally:
        await db.dispose()


async def _project(session: AsyncSession, name_or_id: str) -> Project:
    from sqlalchemy import select

    from claude_tui.storage.models import Project

    query = select(Project).where(Project.name == name_or_id)
    project = await session.scalar(query)
    if project is None and name_or_id.isdigit():
        project = await session.get(Project, int(name_or_id))
    if project is None:
        raise CliError(f"no project named {name_or_id!r}")
    return project


async def _owner(session: AsyncSession, project: Project) -> Principal:
    from claude_tui.services.principal import Principal
    from claude_tui.storage.models import User

    user = await session.get(User, project.created_by) if project.created_by else None
    if user is None:
        raise CliError(f"project {project.name!r} has no owner to run tasks as")
    return Principal(user_id=user.id, username=user.username, is_admin=user.is_admin, via="local")


def _line(kind: str, payload: dict[str, Any]) -> str | None:
    """One terminal line for an event, or None for events not worth a line."""
    if kind == MODEL_MESSAGE:
        text = " ".join(str(payload.get("text", "")).split())
        calls = ", ".join(c["name"] for c in payload.get("tool_calls", []))
        return f"model: {text[:160]}" + (f"  -> {calls}" if calls else "")
    if kind == "agent.tool_result":
        state = "error" if payload.get("is_error") else "ok"
        first = str(payload.get("content", "")).strip().splitlines()
        return f"  {payload.get('name')} [{state}] {first[0][:140] if first else ''}"
    if kind == "agent.validation":
        verdict = "passed" if payload.get("passed") else "FAILED"
        tests = payload.get("tests")
        extra = ""
        if tests:
            c = tests["counts"]
            extra = f"; tests {c['passed']} passed, {c['failed']} failed"
        return f"  validation ({payload.get('scope')}): {verdict}{extra}"
    if kind == "agent.commit":
        return f"  commit {str(payload.get('sha'))[:10]} {payload.get('message')}"
    if kind == "agent.reflection":
        return f"reflection {payload.get('reflection')}: validation sent back to the model"
    if kind == "task.status":
        reason = f" ({payload['reason']})" if payload.get("reason") else ""
        return f"status: {payload.get('from')} -> {payload.get('to')}{reason}"
    if kind == "agent.finished":
        return (
            f"verified progress {payload.get('verified_progress')}%, claimed "
            f"{payload.get('claimed_progress')}%"
        )
    return None


@app.command("run")
@one_line_errors
def run(
    project: Annotated[str, typer.Argument(help="Project name or id")],
    instruction: Annotated[str, typer.Argument(help="What the agent should do")],
    model: Annotated[str | None, typer.Option(help="Model to use for this task")] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Approve every step of an ask-mode project")
    ] = False,
) -> None:
    """Create an AI task, run it, and stream its steps; the exit code says how it ended."""
    from claude_tui.agent.providers import ProviderNotConfiguredError, ensure_provider_configured

    settings = load_settings()
    try:
        ensure_provider_configured(_with_stored_provider(settings))
    except ProviderNotConfiguredError as exc:
        raise CliError(str(exc)) from exc
    status = asyncio.run(
        _with_db(settings, lambda db: _run(settings, db, project, instruction, model, yes))
    )
    raise typer.Exit(
        EXIT_SUCCEEDED
        if status == "succeeded"
        else EXIT_CANCELLED
        if status == "cancelled"
        else EXIT_FAILED
    )


async def _run(
    settings: Settings,
    db: Database,
    project_name: str,
    instruction: str,
    model: str | None,
    yes: bool,
) -> str:
    from claude_tui.api.routes.agent import _title_of
    from claude_tui.services import tasks
    from claude_tui.services.tasks import StatusChange, TaskCreate
    from claude_tui.worker.service import ExecutionService

    async with db.session() as session:
        project = await _project(session, project_name)
        owner = await _owner(session, project)
        created = await tasks.create_task(
            session,
            None,
            owner,
            project.id,
            TaskCreate(title=_title_of(instruction), description=instruction, model=model),
        )
        await tasks.change_status(session, None, owner, created.id, StatusChange(status="queued"))
    typer.echo(f"task {created.id} queued in project {project.name}")
    redis = None
    if settings.redis_url:
        from redis.asyncio import Redis

        redis = Redis.from_url(settings.redis_url, socket_timeout=10)
    # With Redis a worker runs the task; embedded, this process runs it.
    service = ExecutionService(settings, db, None, redis, consume=redis is None)
    await service.start()
    runner: asyncio.Task[Any] | None = None
    try:
        if redis is None:
            runner = asyncio.create_task(service.runner.execute(created.id))
        else:
            await service.enqueue(created.id)
        return await _follow(db, created.id, yes)
    except (KeyboardInterrupt, asyncio.CancelledError):
        await _cancel(db, created.id)
        raise
    finally:
        if runner is not None:
            await asyncio.gather(runner, return_exceptions=True)
        await service.stop()
        if redis is not None:
            await redis.aclose()


async def _follow(db: Database, task_id: int, yes: bool) -> str:
    from sqlalchemy import select

    from claude_tui.agent.permissions import APPROVAL_REQUEST
    from claude_tui.storage.models import Task, TaskEvent

    last = 0
    # Streamed model text is printed as it comes, on one line that the turn's end closes.
    streaming = False
    while True:
        async with db.session() as session:
            rows = list(
                await session.scalars(
                    select(TaskEvent)
                    .where(TaskEvent.task_id == task_id, TaskEvent.id > last)
                    .order_by(TaskEvent.id)
                )
            )
            status = await session.scalar(select(Task.status).where(Task.id == task_id))
            error = await session.scalar(select(Task.error).where(Task.id == task_id))
        for row in rows:
            last = row.id
            if row.kind == MODEL_TEXT:
                text = str(row.payload.get("text", ""))
                typer.echo(text if streaming else f"model: {text}", nl=False)
                streaming = True
                continue
            if streaming and row.kind == MODEL_MESSAGE:
                streaming = False
                calls = ", ".join(c["name"] for c in row.payload.get("tool_calls", []))
                typer.echo(f"  -> {calls}" if calls else "")
                continue
            line = _line(row.kind, row.payload)
            if line:
                if streaming:
                    typer.echo()
                    streaming = False
                typer.echo(line)
            if row.kind == APPROVAL_REQUEST:
                approved = yes or (
                    sys.stdin.isatty()
                    and typer.confirm(
                        f"allow {row.payload.get('name')} "
                        f"{json.dumps(row.payload.get('arguments'))[:300]}?"
                    )
                )
                reason = "" if approved else "declined at the terminal"
                refused = await _decide(db, task_id, str(row.payload.get("id")), approved, reason)
                if refused:
                    typer.echo(refused)
        if status in FINAL:
            if streaming:
                typer.echo()
            typer.echo(f"task {task_id} {status}" + (f": {error}" if error else ""))
            return str(status)
        await asyncio.sleep(0.3)


async def _decide(
    db: Database, task_id: int, call_id: str, approved: bool, reason: str
) -> str | None:
    """Record the terminal's decision; the line to print instead when it was refused."""
    from claude_tui.services import approvals
    from claude_tui.services.errors import ServiceError

    try:
        async with db.session() as session:
            await approvals.decide(session, None, _operator(), task_id, call_id, approved, reason)
    except approvals.TaskStoppedError as exc:
        return f"task {task_id} is {exc.task_status}: the decision was not recorded"
    except approvals.AlreadyDecidedError:
        return f"call {call_id!r} was already decided: the decision was not recorded"
    except ServiceError as exc:
        return f"{exc.detail} The decision was not recorded."
    return None


async def _cancel(db: Database, task_id: int) -> None:
    from claude_tui.services import tasks
    from claude_tui.services.tasks import StatusChange

    async with db.session() as session:
        await tasks.change_status(
            session, None, _operator(), task_id, StatusChange(status="cancelled")
        )


@app.command("list")
@one_line_errors
def list_cmd(
    project: Annotated[str | None, typer.Option(help="Only this project (name or id)")] = None,
    status: Annotated[str | None, typer.Option(help="Only tasks with this status")] = None,
) -> None:
    """Tasks, newest last: id, status, verified/claimed progress, title."""
    settings = load_settings()

    async def work(db: Database) -> list[Any]:
        from claude_tui.domain.task_status import TaskStatus
        from claude_tui.services import tasks
        from claude_tui.services.pagination import PageRequest

        try:
            statuses = [TaskStatus(status)] if status else None
        except ValueError as exc:
            raise CliError(f"unknown status {status!r}") from exc
        async with db.session() as session:
            project_id = (await _project(session, project)).id if project else None
            page = await tasks.list_tasks(
                session,
                _operator(),
                PageRequest(limit=200),
                project_id=project_id,
                statuses=statuses,
            )
            return list(page.items)

    for task in asyncio.run(_with_db(settings, work)):
        typer.echo(
            f"{task.id:>5}  {task.status.value:<10}  {task.verified_progress:>5.1f}%/"
            f"{task.claimed_progress:>5.1f}%  {task.title}"
        )


@app.command("show")
@one_line_errors
def show(task_id: Annotated[int, typer.Argument(help="Task id")]) -> None:
    """A task and its steps."""
    settings = load_settings()

    async def work(db: Database) -> tuple[Any, list[Any]]:
        from sqlalchemy import select

        from claude_tui.services import tasks
        from claude_tui.storage.models import TaskEvent

        async with db.session() as session:
            view = await tasks.get_task(session, _operator(), task_id)
            rows = list(
                await session.scalars(
                    select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(TaskEvent.id)
                )
            )
            return view, rows

    view, rows = asyncio.run(_with_db(settings, work))
    typer.echo(f"task {view.id}: {view.title}")
    typer.echo(
        f"status {view.status.value}; verified {view.verified_progress}%, claimed "
        f"{view.claimed_progress}%; tokens {view.tokens_in} in / {view.tokens_out} out; "
        f"cost ${view.cost_usd}"
    )
    if view.error:
        typer.echo(f"error: {view.error}")
    for row in rows:
        line = _line(row.kind, row.payload)
        if line:
            typer.echo(line)


@app.command("cancel")
@one_line_errors
def cancel(task_id: Annotated[int, typer.Argument(help="Task id")]) -> None:
    """Cancel a task; a running one stops its model request at once."""
    settings = load_settings()
    asyncio.run(_with_db(settings, lambda db: _cancel(db, task_id)))
    typer.echo(f"task {task_id} cancelled")


@app.command("undo")
@one_line_errors
def undo(task_id: Annotated[int, typer.Argument(help="Task id")]) -> None:
    """Drop the task's last accepted step (its newest commit on the task branch)."""
    from claude_tui.agent.git import GitError, TaskRepository
    from claude_tui.services.projects import workspace_directory

    settings = load_settings()

    async def work(db: Database) -> str:
        from claude_tui.services import tasks
        from claude_tui.storage.models import Project

        async with db.session() as session:
            view = await tasks.get_task(session, _operator(), task_id)
            if view.status.is_active:
                raise CliError(f"task {task_id} is {view.status.value}; undo works once it stopped")
            project = await session.get(Project, view.project_id)
            assert project is not None
            root = workspace_directory(settings.effective_workspace_root, project)
        try:
            subject = await TaskRepository(root, task_id).undo_last_step()
        except GitError as exc:
            raise CliError(str(exc)) from exc
        # What the engine verified was the state just undone.
        async with db.session() as session:
            await tasks.record_progress(session, None, task_id, verified=0.0)
        return subject

    typer.echo(f"undone: {asyncio.run(_with_db(settings, work))}")


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
