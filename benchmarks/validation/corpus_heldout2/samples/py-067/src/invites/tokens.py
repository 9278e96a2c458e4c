"""Single-use invitation codes for closed beta sign-ups."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import Boolean, DateTime, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

CODE_LENGTH = 12


class Base(DeclarativeBase):
    pass


class Invite(Base):
    __tablename__ = "invites"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class InviteError(Exception):
    pass


def _hash(code: str, pepper: bytes) -> str:
    return hmac.new(pepper, code.upper().encode(), hashlib.sha256).hexdigest()


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue(session: Session, email: str, pepper: bytes, valid_days: int = 14) -> str:
    code = secrets.token_alphanumeric(CODE_LENGTH).upper()
    session.add(
        Invite(
            code_hash=_hash(code, pepper),
            email=email.strip().lower(),
            expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=valid_days),
        )
    )
    session.commit()
    return format_code(code)


def redeem(session: Session, code: str, email: str, pepper: bytes) -> Invite:
    normalized = code.replace("-", "").replace(" ", "").upper()
    invite = session.scalar(select(Invite).where(Invite.code_hash == _hash(normalized, pepper)).with_for_update())
    if invite is None:
        raise InviteError("unknown invitation code")
    if invite.used:
        raise InviteError("this invitation was already used")
    if invite.expires_at < dt.datetime.now(dt.timezone.utc):
        raise InviteError("this invitation has expired")
    if not hmac.compare_digest(invite.email, email.strip().lower()):
        raise InviteError("this invitation was sent to a different address")
    invite.used = True
    session.commit()
    return invite
