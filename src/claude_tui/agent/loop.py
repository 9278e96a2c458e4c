"""The validate-and-fix loop: the model works with tools, the engine decides what counts.

After each edit the engine checks the changed files and its findings go back to the model
with the tool result; an edit that passes is committed as a step. When the model says it is
done, the engine runs the full check including the project's tests; failures go back to the
model, at most ``max_reflections`` times. Progress is the engine's, never the model's words
(those are recorded beside it as the claimed progress).
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from claude_tui.agent.git import GitError, TaskRepository
from claude_tui.agent.permissions import PermissionMode
from claude_tui.agent.providers.base import (
    Message,
    ModelProvider,
    ModelTurn,
    ProviderError,
    ToolCall,
    ToolResult,
)
from claude_tui.agent.providers.pricing import Budget, BudgetExceededError, cost_of
from claude_tui.agent.tools import MUTATING_TOOLS, Toolbox
from claude_tui.agent.verification import (
    Verifier,
    describe,
    file_score,
    passed,
    verified_progress,
)
from claude_tui.observability import metrics
from claude_tui.observability.tracing import ai_call_span
from claude_tui.validation.model import ValidationReport

MAX_EVENT_TEXT = 4000

SYSTEM_PROMPT = """You are a careful software engineer working in a project directory through tools.
Read before you edit. Change existing files with edit_file (search/replace blocks copied exactly
from the file) and create new files with write_file. Write complete, working code: no stubs,
no placeholder bodies, no to-do or fix-me markers, no invented modules or names. After each edit the
platform validates the changed files and tells you what it found; fix what it reports.
When the task is complete call finish with a short summary; the platform then runs the full
validation including the project's tests, and only what passes counts."""


class EventSink(Protocol):
    async def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        """Record one step of the task (stored and streamed)."""
        ...


class ApprovalGate(Protocol):
    async def __call__(self, call: ToolCall) -> tuple[bool, str]:
        """Whether the user allows this call, and their reason."""
        ...


@dataclass
class LoopOutcome:
    status: str  # "succeeded" or "failed"
    verified_progress: float
    claimed_progress: float
    summary: str = ""
    error: str | None = None
    steps: int = 0
    reflections: int = 0
    commits: list[str] = field(default_factory=list)


@dataclass
class LoopLimits:
    max_reflections: int = 3
    max_steps: int = 50


def _clip(text: str) -> str:
    if len(text) <= MAX_EVENT_TEXT:
        return text
    return text[:MAX_EVENT_TEXT] + f"\n... ({len(text) - MAX_EVENT_TEXT} more characters)"


class AgentLoop:
    """Runs one task to an outcome."""

    def __init__(
        self,
        provider: ModelProvider,
        toolbox: Toolbox,
        verifier: Verifier,
        emit: EventSink,
        *,
        mode: PermissionMode = PermissionMode.AUTO,
        approve: ApprovalGate | None = None,
        repo: TaskRepository | None = None,
        budget: Budget | None = None,
        limits: LoopLimits | None = None,
        on_text: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self.provider = provider
        self.toolbox = toolbox
        self.verifier = verifier
        self.emit = emit
        self.mode = mode
        self.approve = approve
        self.repo = repo
        self.budget = budget or Budget()
        self.limits = limits or LoopLimits()
        self.on_text = on_text
        self.commits: list[str] = []
        self.claimed_progress = 0.0
        self.verified = 0.0

    async def aclose(self) -> None:
        """Release the provider's connections."""
        await self.provider.close()

    async def run(self, instruction: str) -> LoopOutcome:
        """Work on ``instruction`` until the engine accepts the result or a limit is hit."""
        messages = [Message("user", instruction)]
        tools = self.toolbox.specs(self.mode)
        reflections = 0
        for step in range(1, self.limits.max_steps + 1):
            try:
                turn = await self._model_turn(messages, tools, step)
            except BudgetExceededError as exc:
                return await self._fail(str(exc), step, reflections)
            except ProviderError as exc:
                return await self._fail(f"model provider failed: {exc}", step, reflections)
            messages.append(Message("assistant", turn.text, tool_calls=turn.tool_calls))
            finish = next((c for c in turn.tool_calls if c.name == "finish"), None)
            results = [
                await self._tool(call, step) for call in turn.tool_calls if call.name != "finish"
            ]
            if finish is None and turn.tool_calls:
                messages.append(Message("user", tool_results=results))
                continue
            # The model says it is done (or gives up): only the engine's full check decides.
            summary = turn.text
            if finish is not None:
                summary = str(finish.arguments.get("summary") or turn.text)
            gave_up = gives_up(summary)
            claimed = finish.arguments.get("claimed_progress") if finish is not None else None
            self.claimed_progress = 0.0 if gave_up and claimed is None else _progress(claimed)
            await self.emit("phase", {"phase": "validating", "step": step})
            report = await self.verifier.full_check()
            ok = passed(report, require_tests=True)
            self.verified = verified_progress(report)
            await self._emit_validation(report, "full", step, require_tests=True)
            if gave_up and not ok:
                # Sending validation findings back to a model that stopped trying only spends
                # the budget; the task ends with the model's own reason.
                return await self._fail(
                    f"the model gave up: {_first_line(summary)}", step, reflections
                )
            if ok:
                await self._commit(f"finish: {_first_line(summary) or 'task complete'}", step)
                await self.emit(
                    "finished",
                    {
                        "status": "succeeded",
                        "summary": _clip(summary),
                        "verified_progress": self.verified,
                        "claimed_progress": self.claimed_progress,
                    },
                )
                return LoopOutcome(
                    "succeeded",
                    self.verified,
                    self.claimed_progress,
                    summary,
                    steps=step,
                    reflections=reflections,
                    commits=self.commits,
                )
            reflections += 1
            feedback = describe(report, require_tests=True)
            if reflections > self.limits.max_reflections:
                return await self._fail(
                    f"the result still fails validation after {self.limits.max_reflections} "
                    f"reflections: {_first_problem(feedback)}",
                    step,
                    reflections,
                )
            await self.emit("phase", {"phase": "running", "step": step})
            await self.emit(
                "reflection", {"step": step, "reflection": reflections, "feedback": _clip(feedback)}
            )
            text = (
                "You said the task is done, but the platform's validation disagrees "
                f"(reflection {reflections} of {self.limits.max_reflections}).\n{feedback}"
            )
            if finish is not None:
                results.append(ToolResult(finish.id, text, is_error=True))
                messages.append(Message("user", tool_results=results))
            else:
                messages.append(Message("user", text, tool_results=results))
        return await self._fail(
            f"the step limit ({self.limits.max_steps}) was reached before the task was done",
            self.limits.max_steps,
            reflections,
        )

    async def _fail(self, error: str, step: int, reflections: int) -> LoopOutcome:
        await self.emit(
            "finished",
            {
                "status": "failed",
                "error": error,
                "verified_progress": self.verified,
                "claimed_progress": self.claimed_progress,
            },
        )
        return LoopOutcome(
            "failed",
            self.verified,
            self.claimed_progress,
            error=error,
            steps=step,
            reflections=reflections,
            commits=self.commits,
        )

    async def _model_turn(self, messages: list[Message], tools: Any, step: int) -> ModelTurn:
        started = time.monotonic()
        provider, model = self.provider.name, self.provider.model
        outcome = metrics.AIOutcome.ERROR
        turn: ModelTurn | None = None
        try:
            with ai_call_span(provider, model) as span:
                turn = await self.provider.complete(SYSTEM_PROMPT, messages, tools, self.on_text)
                cost = cost_of(turn.model, turn.usage)
                span.record_response_model(turn.model)
                span.record_usage(
                    input_tokens=turn.usage.input_tokens,
                    output_tokens=turn.usage.output_tokens,
                    cost_usd=float(cost),
                )
            outcome = metrics.AIOutcome.SUCCESS
        except BaseException as exc:
            if not isinstance(exc, Exception):
                outcome = metrics.AIOutcome.CANCELLED
            raise
        finally:
            usage = turn.usage if turn is not None else None
            metrics.record_ai_request(
                provider=provider,
                model=model,
                outcome=outcome,
                duration_seconds=time.monotonic() - started,
                input_tokens=usage.input_tokens if usage else 0,
                output_tokens=usage.output_tokens if usage else 0,
                cost_usd=float(cost_of(turn.model, turn.usage)) if turn is not None else 0.0,
            )
        await self.emit(
            "model_message",
            {
                "step": step,
                "text": _clip(turn.text),
                "tool_calls": [
                    {"id": c.id, "name": c.name, "arguments": c.arguments} for c in turn.tool_calls
                ],
                "usage": {
                    "input_tokens": turn.usage.input_tokens,
                    "output_tokens": turn.usage.output_tokens,
                    "cache_read_tokens": turn.usage.cache_read_tokens,
                },
                "model": turn.model,
            },
        )
        self.budget.charge(turn.model, turn.usage)
        return turn

    async def _tool(self, call: ToolCall, step: int) -> ToolResult:
        await self.emit(
            "tool_call",
            {"step": step, "id": call.id, "name": call.name, "arguments": call.arguments},
        )
        denial = await self._permission(call)
        if denial is not None:
            await self.emit(
                "tool_result",
                {
                    "step": step,
                    "id": call.id,
                    "name": call.name,
                    "is_error": True,
                    "content": denial,
                },
            )
            return ToolResult(call.id, denial, is_error=True)
        outcome = await self.toolbox.execute(call)
        content = outcome.content
        if outcome.changed_files and not outcome.is_error:
            report = await self.verifier.check_changes(outcome.changed_files)
            await self._emit_validation(
                report, "changes", step, require_tests=False, files=outcome.changed_files
            )
            content += "\n\n" + describe(report, require_tests=False)
            if passed(report, require_tests=False):
                await self._commit(f"{call.name} {', '.join(outcome.changed_files)}", step)
        await self.emit(
            "tool_result",
            {
                "step": step,
                "id": call.id,
                "name": call.name,
                "is_error": outcome.is_error,
                "content": _clip(content),
            },
        )
        return ToolResult(call.id, content, is_error=outcome.is_error)

    async def _permission(self, call: ToolCall) -> str | None:
        """Why the call may not run, or None when it may."""
        if call.name not in MUTATING_TOOLS or self.mode is PermissionMode.AUTO:
            return None
        if self.mode is PermissionMode.READ_ONLY:
            return (
                f"{call.name} is not allowed: this project is read-only for the agent. "
                "You can read and search, not change files or run commands."
            )
        if self.approve is None:
            return f"{call.name} needs the user's approval and nobody can give it here"
        await self.emit(
            "approval_requested", {"id": call.id, "name": call.name, "arguments": call.arguments}
        )
        approved, reason = await self.approve(call)
        await self.emit("approval_decided", {"id": call.id, "approved": approved, "reason": reason})
        if approved:
            return None
        return f"the user declined {call.name}" + (f": {reason}" if reason else "")

    async def _emit_validation(
        self,
        report: ValidationReport,
        scope: str,
        step: int,
        require_tests: bool,
        files: list[str] | None = None,
    ) -> None:
        payload: dict[str, Any] = {
            "step": step,
            "scope": scope,
            "passed": passed(report, require_tests),
            "counts": report.counts_by_severity(),
            "complete": report.complete,
            "findings": [f.to_dict() for f in report.findings[:50]],
            "failures": [f.to_dict() for f in report.failures],
        }
        if files is not None:
            payload["files"] = files
        if report.execution is not None:
            payload["tests"] = report.execution.to_dict()
        if scope == "full":
            payload["verified_progress"] = self.verified
            payload["claimed_progress"] = self.claimed_progress
            # What the server stores as the project's latest validation (the dashboard's column).
            payload["score"] = file_score(report)
            payload["engine_version"] = report.engine_version
        await self.emit("validation", payload)

    async def _commit(self, message: str, step: int) -> None:
        if self.repo is None:
            return
        try:
            sha = await self.repo.commit_step(message)
        except GitError as exc:
            await self.emit("commit_failed", {"step": step, "error": str(exc)})
            return
        if sha is not None:
            self.commits.append(sha)
            await self.emit("commit", {"step": step, "sha": sha, "message": message})


def _progress(value: object) -> float:
    """The progress a model claimed; a finish without a (readable) number claims all of it."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 100.0
    return max(0.0, min(100.0, number))


# How models say they stopped without doing the work ("I cannot complete this task").
_GIVING_UP = re.compile(
    r"\b(?:i|we)\s*(?:cannot|can\s*not|can't|could\s*not|couldn't|won't\s+be\s+able"
    r"|(?:am|'m|was|were|are|'re)\s+(?:unable|not\s+able))\s+(?:to\s+)?"
    r"(?:complete|finish|do|fix|implement|solve|accomplish|carry\s+out|continue|proceed)\b"
    r"|\bi\s+(?:have\s+to\s+|must\s+)?give\s+up\b|\bgiving\s+up\b"
    r"|\b(?:this|the)\s+task\s+(?:cannot|can't|could\s*not)\s+be\s+(?:completed|done)\b",
    re.IGNORECASE,
)


def gives_up(text: str) -> bool:
    """Whether a model's final words say it did not (or could not) do the task."""
    return bool(_GIVING_UP.search(text[:2000].replace("\u2019", "'")))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:120] if text.strip() else ""


def _first_problem(feedback: str) -> str:
    lines = [line for line in feedback.splitlines()[1:] if line.strip()]
    return lines[0].strip("- ") if lines else feedback


def cost_usd(budget: Budget) -> Decimal:
    """What the task has spent so far."""
    return budget.cost_usd
