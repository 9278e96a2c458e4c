"""How a secret is shown in a report: never in full."""

from __future__ import annotations

import hashlib

MASK_LENGTH = 8


def mask_secret(secret: str, visible: int = 0) -> str:
    """The provider's fixed prefix (``visible`` characters, which carry no secret) and a mask.

    The mask has a fixed width so the report does not reveal the secret's length; never more
    than half of the value is shown, whatever ``visible`` says.
    """
    shown = min(visible, len(secret) // 2)
    return secret[:shown] + "*" * MASK_LENGTH


def secret_digest(secret: str) -> str:
    """A digest that identifies the secret across files and commits without revealing it."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:16]
