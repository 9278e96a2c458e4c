"""``db upgrade|downgrade|current|history``: the migrations shipped with the package."""

from __future__ import annotations

from typing import Annotated

import typer

from claude_tui.cli.common import CliError, load_settings, one_line_errors

app = typer.Typer(help="Database migrations.", no_args_is_help=True)


def _url() -> str:
    return load_settings().database_url


def _run(action: str, fn: object, *args: str) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from claude_tui.settings import redact_url

    try:
        fn(*args)  # type: ignore[operator]
    except (SQLAlchemyError, OSError) as exc:
        orig = getattr(exc, "orig", None) or exc
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        raise CliError(f"{action} failed on {redact_url(args[0])}: {first}") from exc


@app.command()
@one_line_errors
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from claude_tui.storage import migrate

    _run("upgrade", migrate.upgrade, _url(), revision)
    typer.echo(f"database at {revision}")


@app.command()
@one_line_errors
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")],
) -> None:
    """Revert migrations down to REVISION."""
    from claude_tui.storage import migrate

    _run("downgrade", migrate.downgrade, _url(), revision)
    typer.echo(f"database at {revision}")


@app.command()
@one_line_errors
def current() -> None:
    """Show the revision the database is at."""
    from claude_tui.storage import migrate

    url = _url()
    output: list[str] = []
    _run("current", lambda u: output.append(migrate.current(u)), url)
    typer.echo(output[0].strip() or "no revision (empty database)")


@app.command()
@one_line_errors
def history() -> None:
    """List the shipped migrations."""
    from claude_tui.storage import migrate

    typer.echo(migrate.history(_url()).rstrip())
