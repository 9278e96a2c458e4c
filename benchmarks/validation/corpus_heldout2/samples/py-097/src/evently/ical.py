from __future__ import annotations

from .model import Event


def to_ics(event: Event) -> str:
    fmt = "%Y%m%dT%H%M%S"
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "BEGIN:VEVENT",
            f"SUMMARY:{event.title}",
            f"DTSTART:{event.starts_at.strftime(fmt)}",
            f"DTEND:{event.ends_at.strftime(fmt)}",
            f"LOCATION:{event.venue}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )
