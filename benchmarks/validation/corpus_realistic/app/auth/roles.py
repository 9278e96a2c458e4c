from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CustomRole


def builtin_roles() -> list[str]:
    # The three built-in roles; teams define further ones, stored in custom_roles.
    return ["viewer", "editor", "admin"]


def all_roles(session: Session, team_id: int) -> list[str]:
    custom = session.scalars(select(CustomRole.name).where(CustomRole.team_id == team_id))
    return builtin_roles() + sorted(custom)
