"""Alembic commands for the migrations shipped inside the package."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TextIO

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

SCRIPT_LOCATION = "claude_tui.storage:migrations"


def alembic_config(database_url: str, stdout: TextIO | None = None) -> Config:
    config = Config(stdout=stdout) if stdout is not None else Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    # ConfigParser interpolation would choke on '%' in URL-encoded passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest revision shipped with this version of the package."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def current(database_url: str) -> str:
    buffer = io.StringIO()
    command.current(alembic_config(database_url, buffer), verbose=False)
    return buffer.getvalue()


def history(database_url: str) -> str:
    buffer = io.StringIO()
    command.history(alembic_config(database_url, buffer))
    return buffer.getvalue()
