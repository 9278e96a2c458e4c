"""Write a rota as CSV or as an iCalendar feed per person."""
from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

from .model import Assignment


def to_csv(rota: list[Assignment]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["date", "start", "end", "role", "person"])
    for a in rota:
        writer.writerow([
            a.shift.day.isoformat(),
            a.shift.starts_at.strftime("%H:%M"),
            a.shift.ends_at.strftime("%H:%M"),
            a.shift.role,
            a.person.name,
        ])
    return buf.getvalue()


def _ics_time(day: dt.date, t: dt.time) -> str:
    return dt.datetime.combine(day, t).strftime("%Y%m%dT%H%M%S")


def to_ics(rota: list[Assignment], person: str) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//rostr//EN"]
    for a in rota:
        if a.person.name != person:
            continue
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uuid.uuid5(uuid.NAMESPACE_URL, f'{a.shift.day}{a.shift.start}{person}')}",
            f"DTSTART:{_ics_time(a.shift.day, a.shift.starts_at)}",
            f"DTEND:{_ics_time(a.shift.day, a.shift.ends_at)}",
            f"SUMMARY:{a.shift.role}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
