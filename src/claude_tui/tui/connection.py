"""How the UI reaches a server: the launcher hands the app a ``Connection``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from claude_tui.client import ApiClient


class Connection(Protocol):
    """Opens a client for the app and releases what it started when the app exits."""

    @property
    def label(self) -> str: ...

    async def open(self) -> ApiClient: ...

    async def close(self) -> None: ...


@dataclass
class RemoteConnection:
    """A server somebody else runs, reached with a token or API key."""

    url: str
    token: str | None

    @property
    def label(self) -> str:
        return self.url

    async def open(self) -> ApiClient:
        return ApiClient(self.url, self.token)

    async def close(self) -> None:
        return None
