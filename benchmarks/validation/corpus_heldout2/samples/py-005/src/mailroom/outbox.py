from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

from .render import RenderedMail, TemplateRenderer


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
