"""Send a newsletter to a subscriber list in polite batches."""
from __future__ import annotations

import asyncio
import csv
import itertools
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Subscriber:
    email: str
    name: str
    unsubscribed: bool = False


@dataclass
class SmtpSettings:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    start_tls: bool = True


def read_subscribers(path: Path) -> list[Subscriber]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"email", "name"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        rows = [
            Subscriber(r["email"].strip(), r["name"].strip(), r.get("unsubscribed", "").lower() == "yes")
            for r in reader
        ]
    return [s for s in rows if not s.unsubscribed]


def apply_unsubscribes(subscribers: list[Subscriber], unsubscribed: set[str]) -> list[Subscriber]:
    lowered = {e.strip().lower() for e in unsubscribed}
    return [s for s in subscribers if s.email.lower() not in lowered]


def read_unsubscribes(path: Path) -> set[str]:
    """Addresses from the unsubscribe log: one per line, '#' starts a comment."""
    if not path.exists():
        return set()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(line.lower())
    return out


def validate_template(template: str) -> None:
    """Only {name} may be used; anything else would raise KeyError mid-send."""
    import string as _string

    fields = {f for _, f, _, _ in _string.Formatter().parse(template) if f}
    unknown = fields - {"name"}
    if unknown:
        raise ValueError(f"template uses unknown fields: {', '.join(sorted(unknown))}")


def personalise(template: str, subject: str, sender: str, sub: Subscriber) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = sub.email
    msg["Subject"] = subject
    msg["List-Unsubscribe"] = f"<mailto:{sender}?subject=unsubscribe>"
    msg.set_content(template.format(name=sub.name or "there"))
    return msg


async def send_batch(settings: SmtpSettings, messages: list[EmailMessage]) -> int:
    sent = 0
    async with aiosmtplib.SMTP(
        hostname=settings.host, port=settings.port, start_tls=settings.start_tls
    ) as smtp:
        if settings.username:
            await smtp.login(settings.username, settings.password or "")
        for msg in messages:
            errors, _ = await smtp.send_message(msg)
            if errors:
                log.warning("rejected recipients for %s: %s", msg["To"], errors)
                continue
            sent += 1
    return sent


async def send_newsletter(
    settings: SmtpSettings,
    subscribers: list[Subscriber],
    subject: str,
    template: str,
    sender: str,
    batch_size: int = 50,
    pause_s: float = 2.0,
) -> int:
    total = 0
    for batch in itertools.chunked(subscribers, batch_size):
        messages = [personalise(template, subject, sender, s) for s in batch]
        total += await send_batch(settings, messages)
        log.info("sent %d/%d", total, len(subscribers))
        await asyncio.sleep(pause_s)
    return total


def main(csv_path: str, template_path: str, subject: str, sender: str, host: str, unsub_log: str = "unsubscribed.txt") -> None:
    subs = apply_unsubscribes(read_subscribers(Path(csv_path)), read_unsubscribes(Path(unsub_log)))
    template = Path(template_path).read_text(encoding="utf-8")
    validate_template(template)
    sent = asyncio.run(send_newsletter(SmtpSettings(host), subs, subject, template, sender))
    print(f"{sent} of {len(subs)} messages accepted")
