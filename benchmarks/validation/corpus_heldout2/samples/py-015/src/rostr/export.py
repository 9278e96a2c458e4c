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


def to_markdown(rota: list[Assignment]) -> str:
    """A week-per-table overview for pasting into the team wiki."""
    if not rota:
        return "_no shifts_\n"
    by_day: dict[dt.date, list[Assignment]] = {}
    for a in rota:
        by_day.setdefault(a.shift.day, []).append(a)
    out: list[str] = []
    current_week = None
    for day in sorted(by_day):
        week = day.isocalendar()[1]
        if week != current_week:
            out += ["", f"### Week {week}", "", "| Day | Time | Role | Person |", "|---|---|---|---|"]
            current_week = week
        for a in sorted(by_day[day], key=lambda x: x.shift.starts_at):
            out.append(
                f"| {day:%a %d.%m} | {a.shift.starts_at:%H:%M}–{a.shift.ends_at:%H:%M} "
                f"| {a.shift.role} | {a.person.name} |"
            )
    return "\n".join(out).lstrip() + "\n"


def to_json(rota: list[Assignment]) -> list[dict[str, str]]:
    return [
        {
            "date": a.shift.day.isoformat(),
            "starts_at": a.shift.starts_at.isoformat(timespec="minutes"),
            "ends_at": a.shift.ends_at.isoformat(timespec="minutes"),
            "role": a.shift.role,
            "person": a.person.name,
        }
        for a in rota
    ]


def per_person_hours_csv(rota: list[Assignment]) -> str:
    totals: dict[str, float] = {}
    for a in rota:
        totals[a.person.name] = totals.get(a.person.name, 0.0) + a.shift.hours
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["person", "hours"])
    for name, hours in sorted(totals.items()):
        writer.writerow([name, f"{hours:.1f}"])
    return buf.getvalue()
