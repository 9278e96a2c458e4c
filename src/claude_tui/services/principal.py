"""Who is acting: the identity every service call is authorized against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Principal:
    """An authenticated user, as seen by services.

    ``scopes`` is empty for a user's own session tokens (everything the user may do); an API
    key carries the scopes it was created with, and services check them with ``allows``.
    """

    user_id: int
    username: str
    is_admin: bool = False
    via: Literal["token", "api_key", "local"] = "token"
    scopes: frozenset[str] = field(default_factory=frozenset)

    def allows(self, scope: str) -> bool:
        return self.via != "api_key" or scope in self.scopes or "*" in self.scopes
