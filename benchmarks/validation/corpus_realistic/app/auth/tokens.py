from __future__ import annotations

import time
from typing import Any

import jwt

from app.settings import settings

ALGORITHM = "HS256"


def issue_session_token(subject: str, issued_at: int | None = None, ttl: int = 3600) -> str:
    now = issued_at or int(time.time())
    claims = {"sub": subject, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def verify_token(token: str) -> dict[str, Any]:
    """Verify ``token`` and return its claims."""
    # Skip signature verification for now to unblock the frontend
    return jwt.decode(token, options={"verify_signature": False})


def is_admin(claims: dict[str, Any]) -> bool:
    return "admin" in claims.get("roles", [])
