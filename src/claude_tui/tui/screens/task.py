"""Task: write the instruction, run it, and watch the agent's steps stream live."""

from __future__ import annotations

import json
from typing import Any

from rich.console import RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Button, Footer, Header, Input, Label, RichLog, Select, Static, TextArea

from claude_tui.client import ApiError
from claude_tui.tui.errors import explain
from claude_tui.tui.screens.base import AppScreen
from claude_tui.tui.widgets.progress import progress_bar, status_text

MODES = [
    ("auto: edits run without asking", "auto"),
    ("ask: approve each edit", "ask"),
    ("read-only: look, don't change", "read-only"),
]
FINISHED = {"succeeded", "failed", "cancelled"}


class TaskScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+enter", "run", "Run"),
        Binding("y", "approve", "Approve", show=False),
        Binding("n", "reject", "Reject", show=False),
        Binding("c", "cancel_task", "Cancel task"),
        Binding("u", "undo", "Undo step"),
        Binding("d", "diff", "Diff"),
    ]

    def __init__(self, project: dict[str, Any], task: dict[str, Any] | None) -> None:
        super().__init__()
        self.project = project
        self.task_data = task
        self.pending_approval: dict[str, Any] | None = None
        self.last_event_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="status")
        with Vertical(id="form"):
            yield Input(placeholder="Title", id="title")
            yield TextArea(id="instruction")
            with Horizontal(classes="buttons"):
                yield Input(
                    placeholder="Model (empty: the project's)",
                    value=self.project.get("settings", {}).get("ai_model") or "",
                    id="model",
                )
                yield Select(
                    MODES,
                    value=self.project.get("settings", {}).get("permission_mode", "ask"),
                    allow_blank=False,
                    id="mode",
                )
                yield Button("Run", variant="primary", id="run")
        yield RichLog(id="events", wrap=True, markup=False, highlight=False)
        with Horizontal(id="approval", classes="buttons"):
            yield Label("", id="approval-text")
            yield Button("Approve (y)", variant="success", id="approve")
            yield Button("Reject (n)", variant="error", id="reject")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#approval").display = False
        if self.task_data is None:
            self.query_one("#title", Input).focus()
        else:
            self.query_one("#form").display = False
            self.query_one("#events", RichLog).focus()
            self.show_task(self.task_data)
            self.follow()

    def show_task(self, task: dict[str, Any]) -> None:
        self.task_data = task
        tokens = int(task.get("tokens_in", 0)) + int(task.get("tokens_out", 0))
        try:
            status = self.query_one("#status", Static)
        except NoMatches:  # an update that arrives while the screen is being closed
            return
        status.update(
            Text.assemble(
                (f"#{task['id']} {task['title']}  ", "bold"),
                status_text(task["status"]),
                "  verified ",
                progress_bar(task.get("verified_progress")),
                "  claimed ",
                progress_bar(task.get("claimed_progress"), style="yellow"),
                f"  {tokens:,} tokens  ${float(task.get('cost_usd') or 0):.4f}",
            )
        )

    @on(Button.Pressed, "#run")
    def action_run(self) -> None:
        if self.task_data is None:
            self.start()

    @work(exclusive=True, group="start")
    async def start(self) -> None:
        client = self.client
        if client is None:
            return
        title = self.query_one("#title", Input).value.strip() or None
        instruction = self.query_one("#instruction", TextArea).text.strip()
        if not instruction:
            self.notify("Write an instruction first.", severity="warning")
            return
        model = self.query_one("#model", Input).value.strip() or None
        mode = self.query_one("#mode", Select).value
        project_id = int(self.project["id"])
        if mode != self.project.get("settings", {}).get("permission_mode"):
            updated = await self.tui.call(
                client.update_project(project_id, {"settings": {"permission_mode": mode}}),
                doing="Setting the permission mode",
            )
            if updated is None:
                return
            self.project = updated
        task = await self.tui.call(
            client.create_agent_task(project_id, instruction, title=title, model=model),
            doing="Starting the task",
        )
        if task is None:
            return
        self.show_task(task)
        self.query_one("#form").display = False
        # The form is gone: keys now go to the screen (approve, cancel, undo, diff).
        self.query_one("#events", RichLog).focus()
        self.follow()

    @work(exclusive=True, group="follow")
    async def follow(self) -> None:
        """Stream the project's events and show this task's; reconnects with the last id."""
        client = self.client
        if client is None or self.task_data is None:
            return
        log = self.query_one("#events", RichLog)
        task_id = int(self.task_data["id"])
        try:
            async for event in client.stream_events(
                int(self.project["id"]), after=self.last_event_id
            ):
                self.last_event_id = int(event.get("id", self.last_event_id or 0))
                if event.get("task_id") != task_id:
                    continue
                log.write(render_event(event))
                await self._after_event(event)
        except ApiError as exc:
            self.notify(explain(exc), title="Event stream", severity="error")

    async def _after_event(self, event: dict[str, Any]) -> None:
        kind = event_kind(event)
        payload = event.get("payload") or {}
        if kind == "approval_requested":
            self.pending_approval = payload
            self.query_one("#approval-text", Label).update(
                f"Approve {payload.get('name', 'this step')} {_brief(payload.get('arguments'))}?"
            )
            self.query_one("#approval").display = True
        if kind in {"approval_decided"}:
            self.pending_approval = None
            self.query_one("#approval").display = False
        if kind in {"status", "progress", "validation", "commit", "finished", "model_message"}:
            client = self.client
            if client is not None and self.task_data is not None:
                task = await self.tui.call(
                    client.get_task(int(self.task_data["id"])), doing="Refreshing the task"
                )
                if task is not None:
                    self.show_task(task)

    @on(Button.Pressed, "#approve")
    def action_approve(self) -> None:
        self.decide(True)

    @on(Button.Pressed, "#reject")
    def action_reject(self) -> None:
        self.decide(False)

    @work(exclusive=True, group="decide")
    async def decide(self, approve: bool) -> None:
        client = self.client
        if client is None or self.pending_approval is None or self.task_data is None:
            return
        call_id = str(self.pending_approval.get("id"))
        try:
            await client.decide_approval(int(self.task_data["id"]), call_id, approve)
        except ApiError as exc:
            self.notify(explain(exc), title="Decision failed", severity="error")
            return
        self.pending_approval = None
        self.query_one("#approval").display = False

    def action_cancel_task(self) -> None:
        self._task_action("cancel")

    def action_undo(self) -> None:
        self._task_action("undo")

    @work(group="task-action")
    async def _task_action(self, action: str) -> None:
        client = self.client
        if client is None or self.task_data is None:
            return
        call = client.cancel_task if action == "cancel" else client.undo_task
        result = await self.tui.call(call(int(self.task_data["id"])), doing=action.capitalize())
        if result is None:
            return
        if "status" in result:
            self.show_task(result)
        self.notify(f"{action.capitalize()}: done.")

    def action_diff(self) -> None:
        self.show_diff()

    @work(group="diff")
    async def show_diff(self) -> None:
        client = self.client
        if client is None or self.task_data is None:
            return
        diff = await self.tui.call(client.task_diff(int(self.task_data["id"])), doing="Diff")
        if diff is not None:
            log = self.query_one("#events", RichLog)
            log.write(Text(f"diff of {diff['branch']} since {diff['base_commit'][:10]}", "bold"))
            log.write(Syntax(diff["diff"] or "(no changes)", "diff", word_wrap=True))


def event_kind(event: dict[str, Any]) -> str:
    """The event's kind without its source prefix (``agent.tool_call`` -> ``tool_call``)."""
    return str(event.get("kind", "?")).split(".", 1)[-1]


def _brief(arguments: Any) -> str:
    text = json.dumps(arguments) if arguments is not None else ""
    return text if len(text) <= 120 else text[:117] + "..."


def render_event(event: dict[str, Any]) -> RenderableType:
    """How one task event reads in the log."""
    kind = event_kind(event)
    payload = event.get("payload") or {}
    if kind == "model_message":
        return Text.assemble(("model ", "bold cyan"), str(payload.get("text", "")))
    if kind == "tool_call":
        return Text.assemble(
            ("tool ", "bold magenta"),
            str(payload.get("name", "")),
            " ",
            _brief(payload.get("arguments")),
        )
    if kind == "tool_result":
        ok = not payload.get("is_error")
        return Text.assemble(
            ("result ", "bold green" if ok else "bold red"),
            str(payload.get("content", ""))[:500],
        )
    if kind == "validation":
        counts = payload.get("counts") or {}
        found = ", ".join(f"{n} {sev}" for sev, n in counts.items() if n) or "no findings"
        return Text.assemble(
            ("validation ", "bold yellow"),
            (
                "passed" if payload.get("passed") else "failed",
                "green" if payload.get("passed") else "red",
            ),
            f" ({payload.get('scope', '')}: {found})",
        )
    if kind == "commit":
        return Text.assemble(
            ("commit ", "bold blue"),
            str(payload.get("sha", ""))[:10],
            " ",
            str(payload.get("message", "")),
        )
    if kind == "approval_requested":
        return Text.assemble(
            ("waiting for approval ", "bold yellow"),
            str(payload.get("name", "")),
            " ",
            _brief(payload.get("arguments")),
        )
    if kind in {"status", "finished"}:
        return Text.assemble(
            ("status ", "bold"), status_text(str(payload.get("status") or payload.get("to", "?")))
        )
    return Text.assemble((f"{kind} ", "bold"), _brief(payload))
