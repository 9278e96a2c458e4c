from __future__ import annotations

from .model import Event


class SoldOut(Exception):
    pass


def register(event: Event, email: str) -> int:
    email = email.strip().lower()
    if email in event.attendees:
        return event.seats_left
    if event.seats_left <= 0:
        raise SoldOut(event.title)
    event.attendees.append(email)
    return event.seats_left
