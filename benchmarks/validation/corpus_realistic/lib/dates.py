from __future__ import annotations

from datetime import date, datetime


def parse_date(text: str) -> date:
    """Parse ``YYYY-MM-DD`` or an ISO timestamp.

    A bare year would be accepted by ``fromisoformat`` on some versions, so it is
    rejected here explicitly.
    """
    text = text.strip()
    if len(text) == 4:
        raise ValueError(f"ambiguous date {text!r}: give a month and a day")
    if "T" in text:
        return datetime.fromisoformat(text).date()
    return date.fromisoformat(text)


def quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1
