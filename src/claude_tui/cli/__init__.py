"""The ``claude-tui`` command. Heavy modules are imported inside commands to keep start-up fast."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from claude_tui.cli import (
    audit_cmd,
    backup_cmd,
    config_cmd,
    db_cmd,
    deploy_cmd,
    project_cmd,
    server_cmd,
    task_cmd,
    tui_cmd,
    users_cmd,
    validate_cmd,
)
from claude_tui.profile import SettingsError

if TYPE_CHECKING:
    from pydantic import ValidationError

app = typer.Typer(
    name="claude-tui",
    help="AI development platform: projects, AI coding tasks, validation and security audit.",
    add_completion=False,
    pretty_exceptions_enable=False,
)
tui_cmd.register(app)
server_cmd.register(app)
project_cmd.register(app)
task_cmd.register(app)
audit_cmd.register(app)
validate_cmd.register(app)
deploy_cmd.register(app)
app.add_typer(db_cmd.app, name="db")
app.add_typer(config_cmd.app, name="config")
app.add_typer(backup_cmd.app, name="backup")
app.add_typer(users_cmd.app, name="users")


def main() -> None:
    """Entry point: run the CLI and turn expected failures into one readable line."""
    try:
        app()
    except (SystemExit, KeyboardInterrupt):
        raise
    except SettingsError as exc:
        typer.secho(f"claude-tui: {exc}", err=True, fg=typer.colors.RED)
        sys.exit(2)
    except _validation_error() as exc:  # pydantic is imported only once an error gets here
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        typer.secho(
            f"claude-tui: invalid setting {where}: {first.get('msg')}",
            err=True,
            fg=typer.colors.RED,
        )
        sys.exit(2)


def _validation_error() -> type[ValidationError]:
    from pydantic import ValidationError

    return ValidationError
