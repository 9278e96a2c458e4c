"""Outgoing notifications for telemetry."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

logger = logging.getLogger(__name__)


def send_email(host: str, sender: str, to: str, subject: str, body: str) -> None:
    """Send one plain-text message through the configured relay."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(host, timeout=10) as smtp:
        smtp.send_message(message)
    logger.info("mail sent to %s", to)


def render_subject(kind: str, reference: str) -> str:
    return f"[telemetry] {kind}: {reference}"
