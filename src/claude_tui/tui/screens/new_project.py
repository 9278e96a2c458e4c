"""New project: from a template (answering its questions) or from an existing directory."""

from __future__ import annotations

from typing import Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from claude_tui.client import ApiError
from claude_tui.tui.errors import explain
from claude_tui.tui.host import TuiHost

EXISTING = "__existing__"


class NewProjectScreen(ModalScreen[dict[str, Any] | None]):
    """Returns the created project, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.templates: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static("New project", classes="title")
            yield Input(placeholder="Name", id="name")
            yield Select(
                [("An existing directory", EXISTING)],
                value=EXISTING,
                allow_blank=False,
                id="source",
            )
            yield Input(
                placeholder="Workspace directory (relative to the workspace root)", id="workspace"
            )
            yield Input(placeholder="Description (optional)", id="description")
            yield Vertical(id="questions")
            yield Label("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Create", variant="primary", id="create")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        self.load_templates()

    @work(exclusive=True, group="templates")
    async def load_templates(self) -> None:
        client = cast(TuiHost, self.app).client
        if client is None:
            return
        try:
            templates = await client.list_templates()
        except ApiError as exc:
            self.query_one("#error", Label).update(f"Templates unavailable: {exc.detail}")
            return
        self.templates = {t["name"]: t for t in templates}
        options = [("An existing directory", EXISTING)] + [
            (f"Template: {t['name']} — {t['description']}", t["name"]) for t in templates
        ]
        self.query_one("#source", Select).set_options(options)

    @on(Select.Changed, "#source")
    async def _source_changed(self, event: Select.Changed) -> None:
        box = self.query_one("#questions", Vertical)
        await box.remove_children()
        template = self.templates.get(str(event.value))
        if template is None:
            return
        widgets: list[Widget] = []
        for question in template.get("questions", []):
            default = question.get("default")
            computed = isinstance(default, str) and "{{" in default
            widgets.append(Label(question.get("help") or question["name"]))
            widgets.append(
                Input(
                    # A default computed from other answers is left to the template.
                    value="" if default is None or computed else str(default),
                    placeholder=f"{question['name']} (empty: derived from the other answers)"
                    if computed
                    else question["name"],
                    id=f"q-{question['name']}",
                    classes="question",
                )
            )
        await box.mount_all(widgets)

    def _answers(self) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for field in self.query(".question").results(Input):
            if field.value.strip():
                answers[(field.id or "q-")[2:]] = field.value.strip()
        return answers

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#create")
    @on(Input.Submitted)
    def _create(self) -> None:
        self.create()

    @work(exclusive=True, group="create")
    async def create(self) -> None:
        error = self.query_one("#error", Label)
        client = cast(TuiHost, self.app).client
        if client is None:
            error.update("Not connected to a server.")
            return
        name = self.query_one("#name", Input).value.strip()
        workspace = self.query_one("#workspace", Input).value.strip() or name
        project = {
            "name": name,
            "workspace_path": workspace,
            "description": self.query_one("#description", Input).value.strip(),
        }
        source = self.query_one("#source", Select).value
        try:
            if source == EXISTING:
                created = await client.create_project(project)
            else:
                created = await client.create_project_from_template(
                    str(source), project, self._answers()
                )
        except ApiError as exc:
            error.update(_explain(exc))
            return
        self.app.notify(f"Project {created['name']} created.")
        self.dismiss(created)


def _explain(exc: ApiError) -> str:
    errors = exc.body.get("errors")
    if isinstance(errors, list) and errors:
        parts = []
        for item in errors[:3]:
            where = ".".join(str(p) for p in item.get("location", [])[1:]) or "input"
            parts.append(f"{where}: {item.get('message')}")
        return "; ".join(parts)
    return explain(exc)
