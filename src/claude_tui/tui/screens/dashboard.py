"""Dashboard: every project at a glance, and the state of the server."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import DataTable, Footer, Header, Static

from claude_tui.client import ApiClient, ApiError
from claude_tui.tui.errors import explain
from claude_tui.tui.messages import Connected
from claude_tui.tui.screens.base import AppScreen
from claude_tui.tui.widgets.progress import progress_bar, score_text

AUDIT_STYLES = {"pass": "green", "fail": "red", "incomplete": "yellow"}
COLUMNS = ("Project", "Role", "Running", "Tasks", "Verified", "Claimed", "Validation", "Audit")


class DashboardScreen(AppScreen):
    BINDINGS = [
        Binding("enter", "open_project", "Open", show=False),
        Binding("n", "app.new_project", "New project"),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.projects: list[dict[str, Any]] = []
        self._stale = False
        self._loaded = False
        #: When the rows shown come from the cache of an earlier launch: when it was saved.
        self._cached_at: datetime | None = None
        #: What the rows were made from, to redraw them when the width changes.
        self._shown: tuple[list[dict[str, Any]], list[dict[str, Any]], Any] | None = None
        self._rows_narrow = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("Connecting…", id="status")
        yield Static("Projects", classes="title")
        table: DataTable[Any] = DataTable(id="projects", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static(self._empty_text(), id="empty", classes="hint")
        yield Footer()

    def _empty_text(self) -> str:
        """What the empty table means right now: only a loaded, empty list is "no projects"."""
        state = self.tui.server_info.get("state")
        label = self.tui.connection.label
        where = label if "://" in label else f"the {label}"
        if state == "connecting":
            return f"Connecting to {where}…"
        if state != "connected":
            return f"Not connected: {where} could not be reached (ctrl+q quits)."
        if not self._loaded:
            return "Loading projects…"
        return "No projects yet: press n (or ctrl+n) to create one."

    def _show_empty(self) -> None:
        empty = self.query_one("#empty", Static)
        empty.update(self._empty_text())
        empty.display = not self.projects

    def on_mount(self) -> None:
        self._show_cached()
        self._show_status()
        self._show_empty()
        if self.client is not None:
            self.load()

    def on_screen_suspend(self) -> None:
        # Another screen (a project, the new-project dialog) may change what is shown here.
        self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale and self.client is not None:
            self._stale = False
            self.load()

    def on_connected(self, message: Connected) -> None:
        self._show_status()
        self._show_empty()
        if message.ok:
            self.load()

    def _show_status(self) -> None:
        info = self.tui.server_info
        state = info.get("state", "?")
        style = {"connected": "green", "connecting": "yellow"}.get(state, "red")
        text = Text.assemble(
            ("● ", style),
            (state, style),
            "  ",
            info.get("server", ""),
            f"  v{info['version']}" if "version" in info else "",
            f"  provider: {info['provider']}" if "provider" in info else "",
        )
        if self._cached_at is not None:
            saved = self._cached_at.astimezone().strftime("%Y-%m-%d %H:%M")
            text.append(f"  showing the last-known projects, cached {saved}", style="bold yellow")
        self.query_one("#status", Static).update(text)

    def action_refresh(self) -> None:
        self.load()

    @work(exclusive=True, group="dashboard")
    async def load(self) -> None:
        client = self.client
        if client is None:
            return
        # One round trip instead of four: the dashboard is what a launch waits for.
        answers = await asyncio.gather(
            client.list_projects(),
            client.project_summaries(),
            client.agent_status(),
            self._last_audits(client),
            return_exceptions=True,
        )
        projects = await self._answer(answers[0], "Loading projects")
        if projects is None:
            return  # the server is unhappy: one notification is enough
        summaries = await self._answer(answers[1], "Loading summaries")
        status = await self._answer(answers[2], "Loading provider status")
        audits = await self._answer(answers[3], "Loading audits")
        if status is not None:
            self.tui.server_info["provider"] = (
                f"{status['provider']}" + (f" ({status['model']})" if status.get("model") else "")
                if status.get("configured")
                else "not configured"
            )
        self._cached_at = None
        try:
            self._show_status()
            self._show_rows(projects, summaries or [], audits)
        except NoMatches:  # the app is closing while the answers arrived
            return
        self._loaded = True
        self._show_empty()
        cache = self.tui.dashboard_cache
        if cache is not None:
            cache.save(projects, summaries or [], audits)

    async def _answer(self, answer: Any, doing: str) -> Any:
        """An answer of the gathered load; an API error is told as ``call`` tells it."""
        if isinstance(answer, ApiError):
            return await self.tui.call(_raise(answer), doing=doing)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _show_cached(self) -> None:
        """Until the server answers, show what the last launch saw, marked as such."""
        cache = self.tui.dashboard_cache
        if self._loaded or cache is None:
            return
        cached = cache.load()
        if cached is None or not cached.projects:
            return
        self._cached_at = cached.saved_at
        self._show_rows(cached.projects, cached.summaries, cached.audits)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        if self._shown is not None and self.narrow != self._rows_narrow:
            self._show_rows(*self._shown)

    def _show_rows(
        self,
        projects: list[dict[str, Any]],
        summaries: list[dict[str, Any]],
        audits: dict[int, dict[str, Any]] | None,
    ) -> None:
        by_id = {s["project_id"]: s for s in summaries}
        self.projects = projects
        self._shown = (projects, summaries, audits)
        table = self.query_one("#projects", DataTable)
        if self._rows_narrow != self.narrow:
            # Columns keep the widest cell they ever held: start them afresh.
            table.clear(columns=True)
            table.add_columns(*COLUMNS)
        # At 80 columns the bars would push Validation and Audit off the screen.
        self._rows_narrow = self.narrow
        bar = 0 if self._rows_narrow else 10
        table.clear()
        for project in projects:
            summary = by_id.get(project["id"], {})
            table.add_row(
                Text(project["name"], style="bold"),
                project.get("role") or "admin",
                str(summary.get("running_tasks", 0)),
                str(summary.get("tasks", 0)),
                progress_bar(summary.get("verified_progress"), width=bar),
                progress_bar(summary.get("claimed_progress"), style="yellow", width=bar),
                score_text(
                    summary.get("last_validation_score"), summary.get("last_validation_passed")
                ),
                audit_text(audits, int(project["id"])),
                key=str(project["id"]),
            )

    async def _last_audits(self, client: ApiClient) -> dict[int, dict[str, Any]] | None:
        """Each project's newest audit, from the audit log; None when not allowed to read it."""
        try:
            entries = await client.audit_log(action="project.audited", target_type="project")
        except ApiError as exc:
            if exc.status == 403:
                return None
            self.notify(explain(exc), title="Loading audits failed", severity="error")
            return {}
        latest: dict[int, dict[str, Any]] = {}
        for entry in entries:  # newest first
            target = str(entry.get("target_id") or "")
            if target.isdigit():
                latest.setdefault(int(target), entry.get("detail") or {})
        return latest

    @on(DataTable.RowSelected, "#projects")
    def _open_selected(self, event: DataTable.RowSelected) -> None:
        self.open_project(int(str(event.row_key.value)))

    def action_open_project(self) -> None:
        table = self.query_one("#projects", DataTable)
        if table.row_count:
            row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.open_project(int(str(row_key.value)))

    def open_project(self, project_id: int) -> None:
        from claude_tui.tui.screens.project import ProjectScreen

        if self.client is None:
            self.notify("Still connecting: the projects shown are from the cache.", timeout=3)
            return
        project = next((p for p in self.projects if p["id"] == project_id), None)
        if project is not None:
            self.app.push_screen(ProjectScreen(project))


async def _raise(error: ApiError) -> None:
    raise error


def audit_text(audits: dict[int, dict[str, Any]] | None, project_id: int) -> Text:
    """The project's last audit verdict and findings, "-" before any, "n/a" for non-admins."""
    if audits is None:
        return Text("n/a", style="dim")
    detail = audits.get(project_id)
    if detail is None:
        return Text("-", style="dim")
    verdict = str(detail.get("verdict") or "?")
    findings = detail.get("findings")
    shown = f"{verdict} ({findings})" if isinstance(findings, int) and findings else verdict
    return Text(shown, style=AUDIT_STYLES.get(verdict, ""))
