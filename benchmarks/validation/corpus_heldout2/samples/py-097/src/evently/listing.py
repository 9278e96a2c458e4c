from __future__ import annotations

import datetime as dt

from .model import Event


def upcoming(events: list[Event], now: dt.datetime) -> list[Event]:
    return sorted((e for e in events if e.starts_at > now), key=lambda e: e.starts_at)


def line(event: Event) -> str:
    return f"{event.starts_at:%d %b %H:%M}–{event.ends_at:%H:%M}  {event.title} @ {event.venue} ({event.seats_left} left)"
