"""What every command shares: the error type and how settings are loaded."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import typer

from claude_tui.profile import Profile, SettingsError

if TYPE_CHECKING:
    from claude_tui.settings import Settings

P = ParamSpec("P")
R = TypeVar("R")


class CliError(Exception):
    """A failure the user can act on; printed as one line, exit code ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def fail(message: str, exit_code: int) -> NoReturn:
    typer.secho(f"claude-tui: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(exit_code)


def one_line_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors a user can act on into one line on stderr and a non-zero exit."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CliError as exc:
            fail(str(exc), exc.exit_code)
        except SettingsError as exc:
            fail(str(exc), 2)

    return wrapper


def load_settings(env: Profile | None = None) -> Settings:
    """The settings, with ``--env`` taking precedence over CLAUDE_TUI_ENV."""
    from claude_tui.settings import get_settings

    if env is not None:
        os.environ["CLAUDE_TUI_ENV"] = env.value
        get_settings.cache_clear()
    return get_settings()
