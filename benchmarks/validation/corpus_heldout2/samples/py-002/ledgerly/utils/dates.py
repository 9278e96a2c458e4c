from __future__ import annotations

import datetime as dt


def parse_iso_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value.strip())


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    if first.month == 12:
        nxt = first.replace(year=first.year + 1, month=1)
    else:
        nxt = first.replace(month=first.month + 1)
    return first, nxt - dt.timedelta(days=1)
