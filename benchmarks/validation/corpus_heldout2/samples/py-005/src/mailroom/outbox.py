from __future__ import annotations

import json
import logging
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from .render import RenderedMail, TemplateRenderer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueuedMail:
    to: str
    template: str
    context: dict[str, object]
    attempts: int = 0


def build_message(sender: str, to: str, mail: RenderedMail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = mail.subject
    msg.set_content(mail.text)
    if mail.html is not None:
        msg.add_alternative(mail.html, subtype="html")
    return msg


class Outbox:
    def __init__(self, host: str, port: int, sender: str, templates: Path) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._renderer = TemplateRenderer(templates)

    def _send(self, msg: EmailMessage) -> None:
        with smtplib.SMTP(self._host, self._port, timeout=15) as smtp:
            smtp.send_message(msg)

    def welcome(self, to: str, name: str) -> None:
        mail = self._renderer.render_message("welcome", {"name": name})
        self._send(build_message(self._sender, to, mail))

    def password_reset(self, to: str, link: str) -> None:
        mail = self._renderer.render_message("reset", {"link": link}, include_html=False)
        self._send(build_message(self._sender, to, mail))

    def digest(self, to: str, items: list[dict[str, str]]) -> None:
        if not items:
            return
        mail = self._renderer.render_message("digest", {"items": items})
        self._send(build_message(self._sender, to, mail))

    def invoice(self, to: str, number: str, total: str, pdf: bytes) -> None:
        mail = self._renderer.render_message("invoice", {"number": number, "total": total})
        msg = build_message(self._sender, to, mail)
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"invoice-{number}.pdf")
        self._send(msg)

    def send_queued(self, item: QueuedMail, max_attempts: int = 3) -> bool:
        """Send one queued mail, retrying temporary SMTP failures."""
        mail = self._renderer.render_message(item.template, item.context)
        msg = build_message(self._sender, item.to, mail)
        for attempt in range(item.attempts + 1, max_attempts + 1):
            try:
                self._send(msg)
                return True
            except smtplib.SMTPRecipientsRefused:
                log.warning("recipient %s refused, dropping %s mail", item.to, item.template)
                raise
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, TimeoutError) as exc:
                if attempt == max_attempts:
                    raise
                log.info("attempt %d for %s failed (%s); retrying", attempt, item.to, exc)
                time.sleep(2**attempt)
        return False


def load_queue(path: Path) -> list[QueuedMail]:
    if not path.exists():
        return []
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            items.append(QueuedMail(raw["to"], raw["template"], raw.get("context", {}), raw.get("attempts", 0)))
    return items


def save_queue(path: Path, items: list[QueuedMail]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        "".join(
            json.dumps({"to": i.to, "template": i.template, "context": i.context, "attempts": i.attempts}) + "\n"
            for i in items
        ),
        encoding="utf-8",
    )
    tmp.replace(path)


def drain(outbox: Outbox, queue_file: Path) -> tuple[int, int]:
    pending = load_queue(queue_file)
    sent = 0
    failed: list[QueuedMail] = []
    for item in pending:
        try:
            outbox.send_queued(item)
            sent += 1
        except smtplib.SMTPException as exc:
            log.error("giving up on %s to %s: %s", item.template, item.to, exc)
            failed.append(QueuedMail(item.to, item.template, item.context, item.attempts + 1))
    save_queue(queue_file, failed)
    return sent, len(failed)
