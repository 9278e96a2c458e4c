"""``users create-admin|list|unlock``: accounts managed by the operator on the server's machine."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from claude_tui.cli.common import CliError, load_settings, one_line_errors

if TYPE_CHECKING:
    from claude_tui.services.identity import UserView
    from claude_tui.storage.database import Database

app = typer.Typer(help="User accounts.", no_args_is_help=True)


def _database() -> Database:
    from claude_tui.storage.database import Database

    return Database(load_settings().database_url, pool_size=1, max_overflow=0)


def _storage_failure(exc: Exception) -> CliError:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    first = text.splitlines()[0] if text else type(orig).__name__
    lowered = first.lower()
    if "no such table" in lowered or "does not exist" in lowered or "unable to open" in lowered:
        return CliError(f"the database is not ready ({first}): run 'claude-tui db upgrade' first")
    return CliError(f"database error: {first}")


async def _create_admin(username: str, email: str, password: str, full_name: str) -> UserView:
    from sqlalchemy.exc import SQLAlchemyError

    from claude_tui.services import identity
    from claude_tui.services.errors import ServiceError
    from claude_tui.services.principal import Principal

    operator = Principal(user_id=0, username="local-operator", is_admin=True, via="local")
    db = _database()
    try:
        async with db.session() as session:
            return await identity.create_user(
                session,
                operator,
                username=username,
                email=email,
                password=password,
                full_name=full_name,
                is_admin=True,
            )
    except ServiceError as exc:
        raise CliError(exc.detail) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise _storage_failure(exc) from exc
    finally:
        await db.dispose()


async def _list_users() -> list[UserView]:
    from sqlalchemy.exc import SQLAlchemyError

    from claude_tui.services import identity
    from claude_tui.services.principal import Principal

    operator = Principal(user_id=0, username="local-operator", is_admin=True, via="local")
    db = _database()
    views: list[UserView] = []
    try:
        async with db.session() as session:
            while True:
                after = views[-1].id if views else 0
                page = await identity.list_users(session, operator, limit=500, after_id=after)
                views.extend(page)
                if len(page) < 500:
                    return views
    except (SQLAlchemyError, OSError) as exc:
        raise _storage_failure(exc) from exc
    finally:
        await db.dispose()


async def _unlock(username: str) -> str:
    from sqlalchemy.exc import SQLAlchemyError

    from claude_tui.services import identity
    from claude_tui.services.errors import ServiceError
    from claude_tui.services.principal import Principal

    operator = Principal(user_id=0, username="local-operator", is_admin=True, via="local")
    db = _database()
    try:
        async with db.session() as session:
            user = await identity.unlock_user(session, operator, username)
            return user.username
    except ServiceError as exc:
        raise CliError(exc.detail) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise _storage_failure(exc) from exc
    finally:
        await db.dispose()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if not password:
            raise CliError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise CliError("no terminal to ask for the password: use --password-stdin")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Repeat password", hide_input=True) != first:
        raise CliError("the two passwords differ")
    return str(first)


@app.command("create-admin")
@one_line_errors
def create_admin(
    username: Annotated[str, typer.Option(help="Login name of the new administrator.")],
    email: Annotated[str, typer.Option(help="Email address of the new administrator.")],
    full_name: Annotated[str, typer.Option(help="Display name.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an administrator account (asks for the password without echo)."""
    from claude_tui.services.errors import ServiceError
    from claude_tui.services.identity import check_password_rules

    password = _read_password(password_stdin)
    try:
        check_password_rules(password, username=username.strip().lower(), email=email)
    except ServiceError as exc:
        raise CliError(exc.detail) from exc
    view = asyncio.run(_create_admin(username, email, password, full_name))
    typer.echo(f"administrator {view.username} created (id {view.id})")


@app.command("list")
@one_line_errors
def list_users() -> None:
    """List every account."""
    views = asyncio.run(_list_users())
    if not views:
        typer.echo("no users yet: create one with 'claude-tui users create-admin'")
        return
    typer.echo(f"{'ID':>5}  {'USERNAME':<24} {'EMAIL':<32} {'ROLE':<6} STATUS")
    for view in views:
        role = "admin" if view.is_admin else "user"
        status = "active" if view.is_active else "disabled"
        typer.echo(f"{view.id:>5}  {view.username:<24} {view.email:<32} {role:<6} {status}")


@app.command("unlock")
@one_line_errors
def unlock(name: Annotated[str, typer.Argument(help="Login name of the account.")]) -> None:
    """End an account's login locks and delay after failed logins, from every address."""
    username = asyncio.run(_unlock(name))
    typer.echo(f"{username}: failed logins cleared; the account may log in again")
