"""Runs one queued task: claim it once, run the agent, record every step and the outcome."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from claude_tui.agent.claude_code import ClaudeCodeRun, cli_sandbox, find_claude_cli
from claude_tui.agent.git import GitError, TaskRepository
from claude_tui.agent.loop import AgentLoop, LoopLimits, LoopOutcome
from claude_tui.agent.permissions import PermissionMode, parse_mode
from claude_tui.agent.providers import (
    Budget,
    ProviderError,
    ToolCall,
    Usage,
    budget_from_settings,
    ensure_provider_configured,
    provider_from_settings,
)
from claude_tui.agent.providers.anthropic_provider import AnthropicProvider
from claude_tui.agent.providers.openai_provider import OpenAICompatibleProvider
from claude_tui.agent.sandbox import EngineVerifier, SandboxCommands
from claude_tui.agent.tools import Toolbox, Workspace
from claude_tui.domain.task_status import TaskStatus
from claude_tui.observability import metrics
from claude_tui.observability.correlation import task_scope
from claude_tui.observability.logging import get_logger
from claude_tui.sandbox.bwrap import SandboxUnavailableError, require_sandbox
from claude_tui.services import approvals, events, tasks
from claude_tui.services.errors import ConflictError
from claude_tui.services.events import Broadcaster
from claude_tui.services.projects import workspace_directory
from claude_tui.services.provider_settings import effective_settings_of
from claude_tui.settings import Settings
from claude_tui.storage.database import Database
from claude_tui.storage.models import Project, Task, ValidationReport
from claude_tui.worker.leases import LeaseStore

log = get_logger(__name__)

# The SDKs are imported here, at start-up, rather than on a task's first model call: an import
# that takes seconds inside the event loop would stall the lease keeper of running tasks.
PROVIDER_CLASSES = (AnthropicProvider, OpenAICompatibleProvider)

EVENT_PREFIX = "agent."
#: Streamed model text is stored and sent at most this often per task, not once per token.
TEXT_FLUSH_SECONDS = 0.1
#: A longer stretch of streamed text goes out at once, whatever the time.
TEXT_FLUSH_CHARS = 2000
POLL_SECONDS = 0.5
ABANDONED = "the worker running this task stopped before it finished; retry the task"


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class RunResult:
    task_id: int
    status: str
    detail: str = ""


class TaskRunner:
    """Executes tasks for one process (the embedded server or a ``claude-tui worker``)."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        broadcaster: Broadcaster | None,
        leases: LeaseStore,
        enqueue: Callable[[int], Awaitable[None]],
    ) -> None:
        self.settings = settings
        self.db = db
        self.broadcaster = broadcaster
        self.leases = leases
        self.enqueue = enqueue
        self.holder = worker_identity()

    async def execute(self, task_id: int) -> RunResult:
        """Run the task if it is queued; any other status means another run owns it."""
        with task_scope(str(task_id)):
            return await self._execute(task_id)

    async def _execute(self, task_id: int) -> RunResult:
        claimed = await self._claim(task_id)
        if claimed is None:
            log.info("task_skipped", reason="not queued (already run or owned elsewhere)")
            return RunResult(task_id, "skipped", "not queued (already run or owned elsewhere)")
        project, task = claimed
        log.info("task_started", project_id=project.id, holder=self.holder)
        started = time.monotonic()
        keeper = asyncio.create_task(self._keep_lease(task_id))
        try:
            with metrics.task_running():
                outcome = await self._run(project, task)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        duration = time.monotonic() - started
        log.info("task_finished", status=outcome.status, seconds=round(duration, 3))
        metrics.record_task_finished(metrics.TaskOutcome(outcome.status), duration)
        await self.leases.release(task_id)
        if task.workflow_id is not None:
            await self.schedule_workflow(task.workflow_id)
        return outcome

    async def _claim(self, task_id: int) -> tuple[Project, Task] | None:
        # The lease is the mutex: SQLite has no row locks, and two deliveries of one task may
        # reach two workers at the same moment.
        if not await self.leases.acquire(task_id, self.holder, self.settings.agent_lease_seconds):
            return None
        async with self.db.session() as session:
            task = await session.get(Task, task_id, with_for_update=True)
            if task is None or task.status != TaskStatus.QUEUED.value:
                await self.leases.release(task_id)
                return None
            tasks.apply_status(session, task, TaskStatus.RUNNING, worker=self.holder)
            project = await session.get(Project, task.project_id)
            assert project is not None
            await events.commit(session, self.broadcaster)
            session.expunge(task)
            session.expunge(project)
            return project, task

    async def _keep_lease(self, task_id: int) -> None:
        ttl = self.settings.agent_lease_seconds
        while True:
            await self.leases.renew(task_id, self.holder, ttl)
            await asyncio.sleep(ttl / 3)

    async def _run(self, project: Project, task: Task) -> RunResult:
        emitter = _Emitter(self, task)
        try:
            settings = await effective_settings_of(self.db, self.settings)
            loop = await self._build_loop(project, task, emitter, settings)
        except (ProviderError, GitError, SandboxUnavailableError, OSError) as exc:
            await emitter.finish(TaskStatus.FAILED, str(exc))
            return RunResult(task.id, "failed", str(exc))
        work = asyncio.create_task(loop.run(_instruction(task)))
        watcher = asyncio.create_task(self._watch_cancel(task.id, work))
        try:
            outcome: LoopOutcome = await work
        except asyncio.CancelledError:
            if watcher.done() and not watcher.cancelled():
                await emitter.usage(loop)
                await emitter.finish(TaskStatus.CANCELLED, None)
                return RunResult(task.id, "cancelled")
            raise
        except Exception as exc:  # the task must end, whatever broke inside the agent
            log.exception("task_crashed", task_id=task.id)
            await emitter.usage(loop)
            await emitter.finish(TaskStatus.FAILED, f"internal error: {exc}")
            return RunResult(task.id, "failed", str(exc))
        finally:
            if not watcher.done():
                watcher.cancel()
            emitter.stream.stop()
            await loop.aclose()
        await emitter.usage(loop)
        async with self.db.session() as session:
            await tasks.record_progress(
                session,
                self.broadcaster,
                task.id,
                claimed=outcome.claimed_progress,
                verified=outcome.verified_progress,
            )
        if outcome.status == "succeeded":
            await emitter.finish(TaskStatus.SUCCEEDED, None)
        else:
            await emitter.finish(TaskStatus.FAILED, outcome.error)
        return RunResult(task.id, outcome.status, outcome.error or outcome.summary)

    async def _build_loop(
        self, project: Project, task: Task, emitter: _Emitter, settings: Settings
    ) -> AgentLoop | ClaudeCodeRun:
        """The run of ``task`` with ``settings`` (the stored provider settings applied)."""
        options: dict[str, Any] = project.settings or {}
        model = task.model or options.get("ai_model")
        if model:
            settings = settings.model_copy(update={"agent_model": model})
        backend = ensure_provider_configured(settings)
        # The model's commands and the project's tests run only in the sandbox: refuse the
        # task before it starts rather than fail at its first command.
        unsandboxed = settings.allow_unsandboxed
        # The sandbox probe starts bubblewrap, and the workspace is on a disk: neither may
        # hold the event loop, which is the terminal UI's in embedded mode.
        sandboxed = await asyncio.to_thread(require_sandbox, unsandboxed)
        root = await asyncio.to_thread(_prepared_workspace, settings, project)
        repo = TaskRepository(root, task.id)
        await repo.start(allow_stash=bool(options.get("stash_uncommitted", False)))
        test_command = options.get("test_command")
        timeout = settings.agent_command_timeout_seconds
        mode = parse_mode(options.get("permission_mode"))
        limits = LoopLimits(settings.agent_max_reflections, settings.agent_max_steps)
        verifier = EngineVerifier(
            root,
            test_command,
            timeout,
            unsandboxed,
            install_test_env=settings.validation_install_test_env,
            test_env_dir=settings.validation_test_env_dir,
        )
        if backend == "claude-code":
            cli = find_claude_cli(settings.agent_claude_cli)
            assert cli is not None  # ensure_provider_configured checked it
            return ClaudeCodeRun(
                cli,
                root,
                verifier,
                emitter,
                mode=mode,
                repo=repo,
                budget=budget_from_settings(settings),
                limits=limits,
                model=settings.agent_model,
                sandbox=cli_sandbox(
                    cli, root, settings.agent_claude_env, settings.agent_claude_paths
                )
                if sandboxed
                else None,
            )
        # The SDK client loads the system's CA certificates when it is made: a disk read.
        provider = await asyncio.to_thread(provider_from_settings, settings)
        return AgentLoop(
            provider,
            Toolbox(
                Workspace(root), SandboxCommands(root, test_command, timeout, unsandboxed), repo
            ),
            verifier,
            emitter,
            mode=mode,
            approve=emitter.approve if mode is PermissionMode.ASK else None,
            repo=repo,
            budget=budget_from_settings(settings),
            limits=limits,
            on_text=emitter.text,
        )

    async def _watch_cancel(self, task_id: int, work: asyncio.Task[LoopOutcome]) -> None:
        """Cancel the run (and the model request in flight) when the task is cancelled."""
        while not work.done():
            await asyncio.sleep(POLL_SECONDS)
            async with self.db.session() as session:
                status = await session.scalar(select(Task.status).where(Task.id == task_id))
            if status == TaskStatus.CANCELLED.value:
                work.cancel()
                return

    async def schedule_workflow(self, workflow_id: int) -> None:
        """Queue the workflow's tasks whose prerequisites are done, within its concurrency."""
        from claude_tui.services import workflows

        async with self.db.session() as session:
            result = await workflows.schedule(session, self.broadcaster, workflow_id)
        for started in result.started:
            await self.enqueue(started)


class _Emitter:
    """Turns the loop's steps into stored, streamed task events and status changes."""

    def __init__(self, runner: TaskRunner, task: Task) -> None:
        self.runner = runner
        self.task = task
        # What the model turns streamed so far cost, so the task's tokens and cost move
        # with each step; the loop's own budget is written once more when the run ends.
        self.spent = Budget()
        self.stream = TextStream(self._record_text)

    async def _record_text(self, text: str) -> None:
        await self._record("model_text", {"text": text})

    async def _record(self, kind: str, payload: dict[str, Any]) -> None:
        async with self.runner.db.session() as session:
            events.record(
                session, self.task.project_id, EVENT_PREFIX + kind, payload, task_id=self.task.id
            )
            await events.commit(session, self.runner.broadcaster)

    async def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        # Text streamed before a step is shown before it.
        await self.stream.flush()
        if kind == "phase":
            target = TaskStatus(payload["phase"])
            async with self.runner.db.session() as session:
                with contextlib.suppress(ConflictError):
                    await tasks.advance_task(session, self.runner.broadcaster, self.task.id, target)
            return
        await self._record(kind, payload)
        if kind == "validation" and payload.get("scope") == "full" and "score" in payload:
            await self._store_validation(payload)
        if kind == "model_message" and isinstance(payload.get("usage"), dict):
            await self._running_usage(str(payload.get("model") or ""), payload["usage"])

    async def _store_validation(self, payload: dict[str, Any]) -> None:
        """Keep the agent's full validation as a report, so the project's latest one is it."""
        summary = {
            key: payload[key] for key in ("counts", "complete", "tests", "step") if key in payload
        }
        async with self.runner.db.session() as session:
            session.add(
                ValidationReport(
                    project_id=self.task.project_id,
                    task_id=self.task.id,
                    created_by=self.task.created_by,
                    target=f"task:{self.task.id}",
                    passed=bool(payload.get("passed")),
                    score=float(payload["score"]),
                    engine_version=str(payload.get("engine_version", "")),
                    summary=summary,
                    findings=list(payload.get("findings") or []),
                )
            )
            await session.commit()

    async def _running_usage(self, model: str, usage: dict[str, Any]) -> None:
        turn = Usage(
            input_tokens=int(usage.get("input_tokens") or 0),
            output_tokens=int(usage.get("output_tokens") or 0),
            cache_read_tokens=int(usage.get("cache_read_tokens") or 0),
        )
        cost_before = self.spent.cost_usd
        self.spent.charge(model, turn)
        async with self.runner.db.session() as session:
            await tasks.record_progress(
                session,
                self.runner.broadcaster,
                self.task.id,
                tokens_in=turn.input_tokens + turn.cache_read_tokens,
                tokens_out=turn.output_tokens,
                cost_usd=Decimal(self.spent.cost_usd - cost_before),
            )

    async def text(self, piece: str) -> None:
        """A piece of the model's streamed text: it reaches the task's feed as it comes."""
        await self.stream.add(piece)

    async def approve(self, call: ToolCall) -> tuple[bool, str]:
        """Wait until someone decides on the call through the API (or the task is cancelled)."""
        while True:
            async with self.runner.db.session() as session:
                decision = await approvals.decision_of(session, self.task.id, call.id)
            if decision is not None:
                return decision.approved, decision.reason
            await asyncio.sleep(POLL_SECONDS)

    async def usage(self, loop: AgentLoop | ClaudeCodeRun) -> None:
        # The task's counters only grow: add what the turns did not already record.
        spent, seen = loop.budget, self.spent
        tokens_in = (spent.usage.input_tokens + spent.usage.cache_read_tokens) - (
            seen.usage.input_tokens + seen.usage.cache_read_tokens
        )
        tokens_out = spent.usage.output_tokens - seen.usage.output_tokens
        cost = Decimal(spent.cost_usd) - Decimal(seen.cost_usd)
        async with self.runner.db.session() as session:
            await tasks.record_progress(
                session,
                self.runner.broadcaster,
                self.task.id,
                tokens_in=max(tokens_in, 0),
                tokens_out=max(tokens_out, 0),
                cost_usd=max(cost, Decimal(0)),
            )

    async def finish(self, status: TaskStatus, reason: str | None) -> None:
        # A run that ends mid-sentence still shows what was said.
        await self.stream.flush()
        async with self.runner.db.session() as session:
            task = await session.get(Task, self.task.id, with_for_update=True)
            if task is None or TaskStatus(task.status).is_final:
                return
            if status is TaskStatus.SUCCEEDED and task.status != TaskStatus.VALIDATING.value:
                tasks.apply_status(session, task, TaskStatus.VALIDATING)
            tasks.apply_status(session, task, status, **({"reason": reason} if reason else {}))
            await events.commit(session, self.runner.broadcaster)


class TextStream:
    """Coalesces streamed text into pieces sent every ``TEXT_FLUSH_SECONDS`` at most."""

    def __init__(self, send: Callable[[str], Awaitable[None]]) -> None:
        self._send = send
        self._buffer: list[str] = []
        self._size = 0
        self._timer: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def add(self, piece: str) -> None:
        if not piece:
            return
        self._buffer.append(piece)
        self._size += len(piece)
        if self._size >= TEXT_FLUSH_CHARS:
            await self.flush()
        elif self._timer is None:
            self._timer = asyncio.create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(TEXT_FLUSH_SECONDS)
        # From here on the flush is under way: nobody may cancel it half-written.
        self._timer = None
        await self.flush()

    async def flush(self) -> None:
        """Send what is buffered now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        async with self._lock:
            if not self._buffer:
                return
            text = "".join(self._buffer)
            self._buffer.clear()
            self._size = 0
            await self._send(text)

    def stop(self) -> None:
        """Drop a pending send (the run is over; ``flush`` first to keep the text)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _prepared_workspace(settings: Settings, project: Project) -> Path:
    root = workspace_directory(settings.effective_workspace_root, project)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _instruction(task: Task) -> str:
    if task.description.strip():
        return f"{task.title}\n\n{task.description}"
    return task.title


async def reap_abandoned(
    db: Database, leases: LeaseStore, broadcaster: Broadcaster | None
) -> list[int]:
    """Fail every running or validating task whose worker no longer holds its lease."""
    reaped: list[int] = []
    async with db.session() as session:
        ids = list(
            await session.scalars(
                select(Task.id).where(
                    Task.status.in_([TaskStatus.RUNNING.value, TaskStatus.VALIDATING.value])
                )
            )
        )
    for task_id in ids:
        if await leases.alive(task_id):
            continue
        async with db.session() as session:
            task = await session.get(Task, task_id, with_for_update=True)
            if task is None or TaskStatus(task.status) not in (
                TaskStatus.RUNNING,
                TaskStatus.VALIDATING,
            ):
                continue
            tasks.apply_status(session, task, TaskStatus.FAILED, reason=ABANDONED)
            await events.commit(session, broadcaster)
        metrics.record_task_finished(metrics.TaskOutcome.FAILED)
        reaped.append(task_id)
    return reaped


def workspace_of(settings: Settings, project: Project) -> Path:
    """The project's directory on this machine."""
    return workspace_directory(settings.effective_workspace_root, project)
