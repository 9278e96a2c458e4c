"""Use cases around appointments."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import render_subject, send_email, send_sms

logger = logging.getLogger(__name__)


@dataclass
class AppointmentService:
    smtp_host: str
    sender: str

    def confirm(self, appointment_id: str, email: str) -> None:
        """Tell the customer their appointment was accepted."""
        subject = render_subject("confirmed", appointment_id)
        send_sms(email, subject)
        logger.info("appointment %s confirmed", appointment_id)

    def cancel(self, appointment_id: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", appointment_id)
        send_email(self.smtp_host, self.sender, email, subject, reason)
