from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header


class ProjectsScreen(Screen):
    BINDINGS = [
        Binding("n", "new_project", "New"),
        Binding("d", "delete_project", "Delete"),
        Binding("r", "refresh", "Refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="projects")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Tasks", "Updated")
        self.action_refresh()

    def action_refresh(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for project in self.app.client.list_projects():
            table.add_row(project.name, str(project.task_count), project.updated_at)

    def action_new_project(self) -> None:
        self.app.push_screen("new_project")

    def action_delete_project(self) -> None:
        # implement deletion with confirmation dialog
        pass
