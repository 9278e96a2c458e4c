"""Settings."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///app.db"
    debug: bool = False
