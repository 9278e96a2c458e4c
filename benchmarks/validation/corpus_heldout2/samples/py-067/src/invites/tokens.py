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


def revoke(session: Session, email: str) -> int:
    """Mark every unused invitation sent to `email` as used; returns how many."""
    invites = session.scalars(select(Invite).where(Invite.email == email.strip().lower(), Invite.used.is_(False))).all()
    for invite in invites:
        invite.used = True
    session.commit()
    return len(invites)


def outstanding(session: Session, now: dt.datetime | None = None) -> list[Invite]:
    now = now or dt.datetime.now(dt.timezone.utc)
    return list(
        session.scalars(
            select(Invite).where(Invite.used.is_(False), Invite.expires_at >= now).order_by(Invite.expires_at)
        )
    )


def purge_expired(session: Session, older_than_days: int = 30) -> int:
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=older_than_days)
    expired = session.scalars(select(Invite).where(Invite.expires_at < cutoff)).all()
    for invite in expired:
        session.delete(invite)
    session.commit()
    return len(expired)


def parse_code(text: str) -> str:
    """Accept codes as typed by people: any case, spaces or dashes anywhere."""
    cleaned = "".join(ch for ch in text if ch.isalnum()).upper()
    if len(cleaned) != CODE_LENGTH:
        raise InviteError(f"an invitation code has {CODE_LENGTH} letters and digits")
    return cleaned
