"""Text-message reminders for upcoming appointments."""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Protocol

from twilio.rest import Client

log = logging.getLogger(__name__)

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class SmsGateway(Protocol):
    def send(self, to: str, body: str) -> str: ...


class TwilioGateway:
    def __init__(self, account_sid: str, auth_token: str, sender: str) -> None:
        self._client = Client(account_sid, auth_token)
        self._sender = sender

    def send(self, to: str, body: str) -> str:
        message = self._client.messages.create(to=to, from_=self._sender, body=body)
        return message.sid


@dataclass
class MockSmsGateway:
    sent: list[tuple[str, str]] = field(default_factory=list)

    def send(self, to: str, body: str) -> str:
        self.sent.append((to, body))
        log.info("SMS to %s: %s", to, body)
        return f"SM{len(self.sent):032d}"


@dataclass(frozen=True)
class Appointment:
    patient_name: str
    phone: str
    starts_at: dt.datetime
    practitioner: str


def reminder_text(a: Appointment) -> str:
    when = a.starts_at.strftime("%A %d %B at %H:%M")
    return (
        f"Hello {a.patient_name.split()[0]}, this is a reminder of your appointment with "
        f"{a.practitioner} on {when}. Reply C to cancel."
    )


OPT_OUT_WORDS = {"stop", "unsubscribe", "cancel all", "quit"}


def is_opt_out(reply: str) -> bool:
    return reply.strip().lower() in OPT_OUT_WORDS


def handle_reply(phone: str, reply: str, opted_out: set[str], cancellations: list[str]) -> str:
    """Interpret an inbound SMS; returns the text to send back."""
    text = reply.strip().lower()
    if is_opt_out(text):
        opted_out.add(phone)
        return "You will no longer receive reminders from us."
    if text in ("c", "cancel"):
        cancellations.append(phone)
        return "Your appointment has been cancelled. Call us to rebook."
    return "Sorry, we did not understand. Reply C to cancel or STOP to opt out."


def quiet_hours(now: dt.datetime, start: int = 21, end: int = 8) -> bool:
    return now.hour >= start or now.hour < end


def due_reminders(appointments: list[Appointment], now: dt.datetime, ahead: dt.timedelta) -> list[Appointment]:
    return [a for a in appointments if now < a.starts_at <= now + ahead]


def send_reminders(
    gateway: SmsGateway,
    appointments: list[Appointment],
    now: dt.datetime,
    opted_out: set[str] | None = None,
) -> dict[str, str]:
    results: dict[str, str] = {}
    if quiet_hours(now):
        log.info("quiet hours, reminders wait until morning")
        return results
    for a in due_reminders(appointments, now, dt.timedelta(hours=24)):
        if opted_out and a.phone in opted_out:
            continue
        if not E164.match(a.phone):
            log.warning("skipping %s: phone %r is not E.164", a.patient_name, a.phone)
            continue
        results[a.phone] = gateway.send(a.phone, reminder_text(a))
    return results


def build_gateway(settings: dict[str, str]) -> SmsGateway:
    """Gateway used by the nightly reminder job."""
    return MockSmsGateway()
