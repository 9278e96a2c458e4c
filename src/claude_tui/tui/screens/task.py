"""Task: write the instruction, run it, and watch the agent's steps stream live."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Footer, Header, Input, Select, Static, TextArea

from claude_tui.client import ApiError
from claude_tui.client.steps import FILE_CHANGES, describe_call, event_kind, pending_call
from claude_tui.tui.errors import explain
from claude_tui.tui.screens.base import AppScreen
from claude_tui.tui.screens.confirm import ConfirmScreen
from claude_tui.tui.widgets.event_log import EventLog
from claude_tui.tui.widgets.progress import progress_bar, status_text

MODES = [
    ("auto: edits run without asking", "auto"),
    ("ask: approve each edit", "ask"),
    ("read-only: look, don't change", "read-only"),
]
FINISHED = {"succeeded", "failed", "cancelled"}
#: Characters of streamed model text the box shows (its tail).
STREAM_SHOWN = 800


class TaskScreen(AppScreen):
    DEFAULT_CSS = """
    TaskScreen #instruction {
        height: 6;
    }
    TaskScreen #form {
        height: auto;
    }
    TaskScreen #form Horizontal {
        height: auto;
    }
    TaskScreen #model {
        width: 1fr;
    }
    TaskScreen #mode {
        width: 40;
    }
    /* In the flow above the footer, not docked over it: the log gives up the room. */
    TaskScreen #approval {
        height: auto;
        background: $warning 20%;
        padding: 0 1;
    }
    /* The change scrolls inside its box, small enough that the buttons stay on screen. */
    TaskScreen #approval-change {
        height: auto;
        max-height: 40vh;
        border: round $warning;
    }
    /* Streamed model text, shown while the model writes it. */
    TaskScreen #stream {
        height: auto;
        max-height: 12;
        padding: 0 1;
        border: round $secondary;
    }
    TaskScreen #outcome {
        height: auto;
        padding: 0 1;
        background: $success 15%;
    }
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+enter", "run", "Run"),
        Binding("y", "approve", "Approve"),
        Binding("n", "reject", "Reject"),
        Binding("c", "cancel_task", "Cancel"),
        Binding("u", "undo", "Undo step"),
        Binding("d", "diff", "Diff"),
    ]

    def __init__(self, project: dict[str, Any], task: dict[str, Any] | None) -> None:
        super().__init__()
        self.project = project
        self.task_data = task
        self.pending_approval: dict[str, Any] | None = None
        #: The pending call as shown (a diff for a file change), for ``d``.
        self.pending_change: RenderableType | None = None
        self.last_event_id: int | None = None
        #: What the model has written so far in the turn it is streaming.
        self.streamed = ""

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
        yield Static("", id="outcome")
        yield EventLog(id="events")
        yield Static("", id="stream")
        with Vertical(id="approval"):
            yield Static("", id="approval-text")
            with VerticalScroll(id="approval-change"):
                yield Static("", id="approval-call")
            with Horizontal(classes="buttons"):
                yield Button("Approve (y)", variant="success", id="approve")
                yield Button("Reject (n)", variant="error", id="reject")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#approval").display = False
        self.query_one("#outcome").display = False
        self.query_one("#stream").display = False
        if self.task_data is None:
            self.query_one("#title", Input).focus()
        else:
            self.query_one("#form").display = False
            self.query_one(EventLog).focus()
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
        self.query_one(EventLog).focus()
        self.follow()

    @work(exclusive=True, group="follow")
    async def follow(self) -> None:
        """Stream the project's events and show this task's; reconnects with the last id."""
        client = self.client
        if client is None or self.task_data is None:
            return
        log = self.query_one(EventLog)
        task_id = int(self.task_data["id"])
        try:
            async for event in client.stream_events(
                int(self.project["id"]), after=self.last_event_id
            ):
                self.last_event_id = int(event.get("id", self.last_event_id or 0))
                if event.get("task_id") != task_id:
                    continue
                if self._stream(event, log):
                    continue
                log.add_event(event)
                await self._after_event(event)
        except ApiError as exc:
            self.notify(explain(exc), title="Event stream", severity="error")
        except NoMatches:
            # The screen was closed while an event was on its way: nobody is watching.
            return

    def _stream(self, event: dict[str, Any], log: EventLog) -> bool:
        """Show streamed model text as it grows; True when the event was such a piece."""
        kind = event_kind(event)
        if kind == "model_text":
            self.streamed += str((event.get("payload") or {}).get("text", ""))
            stream = self.query_one("#stream", Static)
            # The newest words matter: a long stream shows its tail in the box.
            shown = self.streamed[-STREAM_SHOWN:]
            if len(shown) < len(self.streamed):
                shown = "…" + shown
            stream.update(Text.assemble(("The model is writing: ", "bold cyan"), shown))
            stream.display = True
            return True
        if self.streamed:
            # The turn's message repeats the text whole; anything else ended the stream early.
            if kind != "model_message":
                log.add_unfinished_stream(self.streamed)
            self.streamed = ""
            self.query_one("#stream", Static).display = False
        return False

    async def _after_event(self, event: dict[str, Any]) -> None:
        kind = event_kind(event)
        payload = event.get("payload") or {}
        if kind == "approval_requested":
            await self._show_approval(payload)
        if kind == "approval_decided":
            self._hide_approval()
        if kind in {"status", "progress", "validation", "commit", "finished", "model_message"}:
            client = self.client
            if client is not None and self.task_data is not None:
                task = await self.tui.call(
                    client.get_task(int(self.task_data["id"])), doing="Refreshing the task"
                )
                if task is not None:
                    self.show_task(task)
        if kind == "status" and payload.get("to") in FINISHED:
            # A stopped task waits for no decision: the prompt goes with it.
            self._hide_approval()
            await self._show_outcome()

    async def _show_approval(self, payload: dict[str, Any]) -> None:
        """Show the whole pending call: for a file change, the diff it would make."""
        name = str(payload.get("name", ""))
        arguments = payload.get("arguments")
        current: str | None = None
        client = self.client
        if name in FILE_CHANGES and isinstance(arguments, dict) and client is not None:
            try:
                current = (await client.read_file(int(self.project["id"]), arguments["path"]))[
                    "text"
                ]
            except (ApiError, KeyError):
                current = None  # a new file, or one the server cannot show: no "before"
        self.pending_approval = payload
        self.pending_change = pending_call(name, arguments, current)
        self.query_one("#approval-text", Static).update(
            Text.assemble(
                ("The agent asks to ", "bold"),
                describe_call(name, arguments),
                ": approve (y) or reject (n)? d shows the change in the log.",
            )
        )
        self.query_one("#approval-call", Static).update(self.pending_change)
        self.query_one("#approval").display = True
        self.refresh_bindings()

    def _hide_approval(self) -> None:
        self.pending_approval = None
        self.pending_change = None
        self.query_one("#approval").display = False
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Approve and reject exist (in the footer too) only while a decision is pending."""
        if action in {"approve", "reject"}:
            return self.pending_approval is not None
        if action == "run":
            return self.task_data is None
        if action in {"cancel_task", "undo", "diff"}:
            return self.task_data is not None
        return True

    async def _show_outcome(self) -> None:
        """Say which branch holds the work and how to merge it."""
        client = self.client
        if client is None or self.task_data is None:
            return
        outcome = self.query_one("#outcome", Static)
        try:
            diff = await client.task_diff(int(self.task_data["id"]))
        except ApiError as exc:
            outcome.update(Text(f"No branch to merge: {explain(exc)}", "yellow"))
            outcome.display = True
            return
        branch = str(diff["branch"])
        steps = len(diff.get("steps") or [])
        if not steps and not diff.get("diff"):
            outcome.update(Text(f"The task changed nothing; its branch is {branch}."))
        else:
            workspace = self.project.get("workspace_path", "")
            outcome.update(
                Text.assemble(
                    ("The work is on branch ", "bold"),
                    (branch, "bold cyan"),
                    f" ({steps} step{'s' if steps != 1 else ''} since "
                    f"{str(diff.get('base_commit', ''))[:10]}). To merge it into the branch the "
                    f"task started from, in the workspace {workspace}: ",
                    (f"git switch - && git merge {branch}", "bold"),
                )
            )
        outcome.display = True

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
        self._hide_approval()

    def action_cancel_task(self) -> None:
        self._task_action("cancel")

    def action_undo(self) -> None:
        if self.task_data is None:
            return
        question = (
            f"Undo the last step of task #{self.task_data['id']}? Its commit is removed from the "
            "task's branch and the workspace goes back to the step before."
        )
        self.app.push_screen(ConfirmScreen(question, "Undo", "Keep"), self._undo_confirmed)

    def _undo_confirmed(self, yes: bool | None) -> None:
        if yes:
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
        if self.pending_change is not None and self.pending_approval is not None:
            call = describe_call(
                str(self.pending_approval.get("name", "")), self.pending_approval.get("arguments")
            )
            self.query_one(EventLog).add_pending_change(call, self.pending_change)
            return
        self.show_diff()

    @work(group="diff")
    async def show_diff(self) -> None:
        client = self.client
        if client is None or self.task_data is None:
            return
        diff = await self.tui.call(client.task_diff(int(self.task_data["id"])), doing="Diff")
        if diff is not None:
            self.query_one(EventLog).add_task_diff(
                str(diff["branch"]), str(diff["base_commit"]), str(diff["diff"] or "")
            )

    def screen_commands(self) -> Iterable[SystemCommand]:
        if self.task_data is None:
            yield SystemCommand("Run task", "Start the agent on the instruction", self.action_run)
            return
        if self.pending_approval is not None:
            yield SystemCommand(
                "Approve", "Let the agent make the pending call (y)", self.action_approve
            )
            yield SystemCommand("Reject", "Refuse the pending call (n)", self.action_reject)
        yield SystemCommand(
            "Show diff", "What the task changed, or the pending change (d)", self.action_diff
        )
        yield SystemCommand(
            "Undo step", "Drop the task's last step, after confirming (u)", self.action_undo
        )
        yield SystemCommand("Cancel task", "Stop the agent (c)", self.action_cancel_task)
