"""Outgoing notifications for helpdesk."""

from __future__ import annotations

import logging
import os
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
    return f"[helpdesk] {kind}: {reference}"


def _send_via_relay(to: str, subject: str) -> None:
    send_email("localhost", "noreply@example.org", to, subject, subject)


def _send_to_log(to: str, subject: str) -> None:
    logger.info("would mail %s: %s (DRY_RUN is set)", to, subject)


# Operators set DRY_RUN on staging so no customer gets mail from it.
notify_customer = _send_to_log if os.environ.get("DRY_RUN") else _send_via_relay
