"""How a secret is shown in a report: never in full."""

from __future__ import annotations

import hashlib

MASK = "…"
REVEALED = 4  # characters of the random part shown, so a person can tell two tokens apart


def mask_secret(secret: str, visible: int = 0) -> str:
    """The provider's fixed prefix (``visible`` characters), the first few of the rest, "…".

    Four characters of a token's random part identify it to its owner (which key to rotate)
    and leave far too much unknown to use it; a short value shows at most a quarter of itself
    and never more than half of the whole. The ellipsis does not reveal the length.
    """
    extra = min(REVEALED, max(0, len(secret) - visible) // 4)
    shown = min(visible + extra, len(secret) // 2)
    return secret[:shown] + MASK


def secret_digest(secret: str) -> str:
    """A digest that identifies the secret across files and commits without revealing it."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:16]
