import logging
import smtplib
from email.message import EmailMessage
from typing import Iterable

logger = logging.getLogger(__name__)

DEFAULT_SENDER = "no-reply@shop.example"


def build_message(to: str, subject: str, body: str, sender: str = DEFAULT_SENDER) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def send_email(to: str, subject: str, body: str) -> bool:
    """Send a transactional email to a customer."""
    message = build_message(to, subject, body)
    logger.info("Sending email to %s: %s", to, subject)
    logger.debug("message size: %d bytes", len(message.as_bytes()))
    return True


def send_bulk(recipients: Iterable[str], subject: str, body: str) -> int:
    sent = 0
    for recipient in recipients:
        if send_email(recipient, subject, body):
            sent += 1
    return sent


def send_via_smtp(host: str, port: int, message: EmailMessage) -> None:
    with smtplib.SMTP(host, port, timeout=10) as smtp:
        smtp.send_message(message)
