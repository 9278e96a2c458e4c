"""Claude Code as an agent backend, through the Claude Agent SDK.

The task is handed to the ``claude`` CLI; its messages become task events as they stream, and
its result is checked by the validation engine exactly like our own loop's: the full check
with the project's tests decides, failures are sent back (resuming the same session) at most
``max_reflections`` times, and the cost reported by the CLI counts against the task budget.

The CLI runs its own tools (Bash, Read) on what the model asks, so it runs inside the
bubblewrap sandbox like every other piece of workspace-driven code: the workspace writable,
no server files or secrets, an allow-listed environment plus the model provider's own
variables. Its network stays on: it has to reach the model's API.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from claude_tui.agent.git import GitError, TaskRepository
from claude_tui.agent.loop import MAX_EVENT_TEXT, EventSink, LoopLimits, LoopOutcome, gives_up
from claude_tui.agent.permissions import PermissionMode
from claude_tui.agent.providers.base import ProviderError, Usage
from claude_tui.agent.providers.pricing import Budget, BudgetExceededError
from claude_tui.agent.verification import Verifier, describe, passed, verified_progress
from claude_tui.sandbox.bwrap import SandboxSpec, launcher_script, sandbox_env

#: Variables of the model provider that the CLI needs in its sandbox (keys, base URL, model).
CLI_ENV_PREFIXES = ("ANTHROPIC_", "CLAUDE_CODE_")

#: Claude Code's own permission modes for ours; ``ask`` needs our approval flow and is not
#: offered through this backend.
PERMISSION_MODES = {PermissionMode.READ_ONLY: "plan", PermissionMode.AUTO: "acceptEdits"}
ALLOWED_TOOLS = ["Read", "Glob", "Grep", "Edit", "MultiEdit", "Write", "Bash"]


def cli_sandbox(
    cli_path: str,
    root: Path,
    env_names: Sequence[str] = (),
    writable: Sequence[Path] = (),
) -> SandboxSpec:
    """The sandbox of the CLI: the workspace writable, the CLI's install read-only, network on.

    ``env_names`` and ``writable`` are the operator's additions (``agent_claude_env``,
    ``agent_claude_paths``).
    """
    real = Path(cli_path).resolve()
    install = real.parent.parent if real.parent.name == "bin" else real.parent
    return SandboxSpec(
        workspace=root.resolve(),
        read_only=(install,),
        writable=tuple(p.resolve() for p in writable if p.exists()),
        network=True,
        extra_env={name: os.environ[name] for name in env_names if name in os.environ},
    )


def find_claude_cli(configured: str | None) -> str | None:
    """The ``claude`` executable to drive: the configured path, else the one on PATH."""
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("claude")


class ClaudeCodeRun:
    """One task carried out by Claude Code, verified by the engine."""

    def __init__(
        self,
        cli_path: str,
        root: Path,
        verifier: Verifier,
        emit: EventSink,
        *,
        mode: PermissionMode,
        repo: TaskRepository | None,
        budget: Budget,
        limits: LoopLimits,
        model: str | None = None,
        sandbox: SandboxSpec | None = None,
    ) -> None:
        """``sandbox`` is where the CLI runs (None: directly, only when the operator allowed)."""
        if mode not in PERMISSION_MODES:
            raise ProviderError(
                "the claude-code backend runs in read-only or auto mode; set the project's "
                "permission mode to one of them, or use the built-in agent for ask mode"
            )
        self.cli_path = cli_path
        self.root = root
        self.verifier = verifier
        self.emit = emit
        self.mode = mode
        self.repo = repo
        self.budget = budget
        self.limits = limits
        self.cli_model = model
        self.session_id: str | None = None
        self.sandbox = sandbox
        self._launcher_dir: str | None = None
        self.claimed = 100.0

    async def aclose(self) -> None:
        """Each query owns its CLI process; only the sandbox launcher is left to remove."""
        if self._launcher_dir is not None:
            shutil.rmtree(self._launcher_dir, ignore_errors=True)
            self._launcher_dir = None

    def _executable(self) -> str:
        """The CLI itself, or a launcher that runs it in the sandbox."""
        if self.sandbox is None:
            return self.cli_path
        if self._launcher_dir is None:
            self._launcher_dir = tempfile.mkdtemp(prefix="ctui-claude-")
        launcher = os.path.join(self._launcher_dir, "claude")
        provider = {k: v for k, v in os.environ.items() if k.startswith(CLI_ENV_PREFIXES)}
        env = sandbox_env(extra={**provider, **self.sandbox.extra_env})
        script = launcher_script([self.cli_path], self.sandbox, env)
        # The script holds the provider's key: readable by the server's user alone.
        fd = os.open(launcher, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o700)
        with os.fdopen(fd, "w") as out:
            out.write(script)
        return launcher

    async def run(self, instruction: str) -> LoopOutcome:
        prompt = instruction
        verified = 0.0
        self.claimed = 100.0
        for attempt in range(self.limits.max_reflections + 1):
            try:
                summary = await self._query(prompt, attempt)
            except BudgetExceededError as exc:
                return await self._fail(str(exc), verified, attempt)
            except ProviderError as exc:
                return await self._fail(f"Claude Code failed: {exc}", verified, attempt)
            # A result saying it could not do the task claims nothing.
            self.claimed = 0.0 if gives_up(summary) else 100.0
            await self.emit("phase", {"phase": "validating", "step": attempt + 1})
            report = await self.verifier.full_check()
            verified = verified_progress(report)
            ok = passed(report, require_tests=True)
            await self.emit(
                "validation",
                {
                    "scope": "full",
                    "passed": ok,
                    "counts": report.counts_by_severity(),
                    "complete": report.complete,
                    "findings": [f.to_dict() for f in report.findings[:50]],
                    "tests": report.execution.to_dict() if report.execution else None,
                    "verified_progress": verified,
                    "claimed_progress": self.claimed,
                },
            )
            if ok:
                commits = await self._commit(summary)
                await self.emit(
                    "finished",
                    {
                        "status": "succeeded",
                        "summary": summary[:2000],
                        "verified_progress": verified,
                        "claimed_progress": self.claimed,
                    },
                )
                return LoopOutcome(
                    "succeeded",
                    verified,
                    self.claimed,
                    summary,
                    steps=attempt + 1,
                    reflections=attempt,
                    commits=commits,
                )
            feedback = describe(report, require_tests=True)
            if attempt == self.limits.max_reflections:
                return await self._fail(
                    f"the result still fails validation after {attempt} reflections",
                    verified,
                    attempt,
                )
            await self.emit("phase", {"phase": "running", "step": attempt + 1})
            await self.emit("reflection", {"reflection": attempt + 1, "feedback": feedback[:4000]})
            prompt = f"The platform's validation of your work failed. Fix this:\n{feedback}"
        raise AssertionError("unreachable")

    async def _fail(self, error: str, verified: float, attempt: int) -> LoopOutcome:
        await self.emit(
            "finished",
            {
                "status": "failed",
                "error": error,
                "verified_progress": verified,
                "claimed_progress": self.claimed,
            },
        )
        return LoopOutcome(
            "failed", verified, self.claimed, error=error, steps=attempt + 1, reflections=attempt
        )

    async def _commit(self, summary: str) -> list[str]:
        if self.repo is None:
            return []
        message = f"claude-code: {summary.strip()[:100] or 'task complete'}"
        try:
            sha = await self.repo.commit_step(message)
        except GitError:
            return []
        return [sha] if sha else []

    async def _query(self, prompt: str, attempt: int) -> str:
        from claude_agent_sdk import (
            AssistantMessage,
            ClaudeAgentOptions,
            ClaudeSDKError,
            ResultMessage,
            TextBlock,
            ToolResultBlock,
            ToolUseBlock,
            UserMessage,
            query,
        )

        options = ClaudeAgentOptions(
            cwd=str(self.root),
            cli_path=self._executable(),
            permission_mode=PERMISSION_MODES[self.mode],  # type: ignore[arg-type]
            allowed_tools=ALLOWED_TOOLS,
            max_turns=self.limits.max_steps,
            resume=self.session_id,
            model=self.cli_model,
        )
        summary = ""
        try:
            async for message in query(prompt=prompt, options=options):
                if isinstance(message, AssistantMessage):
                    for block in message.content:
                        if isinstance(block, TextBlock):
                            await self.emit(
                                "model_message",
                                {
                                    "step": attempt + 1,
                                    "text": block.text[:MAX_EVENT_TEXT],
                                    "tool_calls": [],
                                },
                            )
                        elif isinstance(block, ToolUseBlock):
                            await self.emit(
                                "tool_call",
                                {
                                    "step": attempt + 1,
                                    "id": block.id,
                                    "name": block.name,
                                    "arguments": block.input,
                                },
                            )
                elif isinstance(message, UserMessage) and isinstance(message.content, list):
                    for block in message.content:
                        if isinstance(block, ToolResultBlock):
                            await self.emit(
                                "tool_result",
                                {
                                    "step": attempt + 1,
                                    "id": block.tool_use_id,
                                    "is_error": bool(block.is_error),
                                    "content": _text(block.content)[:MAX_EVENT_TEXT],
                                },
                            )
                elif isinstance(message, ResultMessage):
                    self.session_id = message.session_id
                    summary = message.result or ""
                    self._charge(message.usage or {}, message.total_cost_usd)
                    if message.is_error:
                        raise ProviderError(summary or message.subtype)
        except ClaudeSDKError as exc:
            raise ProviderError(str(exc)) from exc
        return summary

    def _charge(self, usage: dict[str, Any], cost: float | None) -> None:
        counted = Usage(
            input_tokens=int(usage.get("input_tokens", 0)),
            output_tokens=int(usage.get("output_tokens", 0)),
            cache_read_tokens=int(usage.get("cache_read_input_tokens", 0)),
            cache_write_tokens=int(usage.get("cache_creation_input_tokens", 0)),
        )
        # The CLI reports its own cost; the price table is for our own provider calls.
        self.budget.cost_usd += Decimal(str(cost or 0))
        self.budget.charge("claude-code", counted)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""
