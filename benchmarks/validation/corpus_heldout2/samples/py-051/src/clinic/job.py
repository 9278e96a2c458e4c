from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from .sms import Appointment, build_gateway, send_reminders


def load_appointments(path: Path) -> list[Appointment]:
    rows = json.loads(path.read_text())
    return [
        Appointment(r["patient"], r["phone"], dt.datetime.fromisoformat(r["starts_at"]), r["practitioner"])
        for r in rows
    ]


def main() -> None:
    settings = {k: v for k, v in os.environ.items() if k.startswith("TWILIO_")}
    gateway = build_gateway(settings)
    sent = send_reminders(gateway, load_appointments(Path(os.environ["APPOINTMENTS_FILE"])), dt.datetime.now())
    print(f"{len(sent)} reminders sent")
