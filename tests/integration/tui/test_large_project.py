"""`v` on a project large enough for the validation process pool, inside the embedded server."""

from __future__ import annotations

from contextlib import redirect_stderr
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.project import ProjectScreen
from claude_tui.validation.engine import POOL_THRESHOLD
from tui_pilot import wait_until

App = tuple[ClaudeTuiApp, Pilot[Any]]
FILES = 200


def rendered(app: ClaudeTuiApp, selector: str) -> str:
    found = app.screen.query(selector)
    return str(found.first().render()) if found else ""


async def test_v_validates_a_200_file_project_through_the_embedded_server(tui: App) -> None:
    app, pilot = tui
    assert FILES > POOL_THRESHOLD  # the size at which the pool starts
    assert app.client is not None
    project = await app.client.create_project({"name": "big", "workspace_path": "big"})
    root = app.connection.settings.effective_workspace_root / project["workspace_path"]  # type: ignore[attr-defined]
    package = root / "big"
    package.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "big"\nversion = "1"\n')
    (package / "__init__.py").write_text("")
    for i in range(FILES - 1):
        (package / f"m{i:03}.py").write_text(f"def value_{i}(x: int) -> int:\n    return x + {i}\n")
    (package / "m007.py").write_text("def later():\n    pass  # TODO: write it\n")
    app.action_refresh()
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))

    # In a terminal the app's stderr is Textual's capture (fileno -1); pytest's own capture
    # replaced it for the test's body, so put back what a user's session has.
    with redirect_stderr(app._capture_stderr):
        await pilot.press("v")
        await wait_until(
            pilot,
            lambda: (
                "Validation report #" in rendered(app, "#validation-summary")
                or bool(app._notifications)
            ),
            120,
        )
    errors = [str(n.message) for n in app._notifications if n.severity == "error"]
    assert not errors
    assert "Validation report #" in rendered(app, "#validation-summary")
    reports = await app.client.list_validations(project["id"])
    assert reports[0]["summary"]["files_checked"] == FILES
    findings = app.screen.query_one("#validation", DataTable)
    assert any("m007.py" in str(findings.get_row_at(i)[2]) for i in range(findings.row_count))
