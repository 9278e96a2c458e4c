"""Use cases around reservations."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import render_subject, send_email, send_sms

logger = logging.getLogger(__name__)


@dataclass
class ReservationService:
    smtp_host: str
    sender: str

    def confirm(self, reservation_id: str, email: str) -> None:
        """Tell the customer their reservation was accepted."""
        subject = render_subject("confirmed", reservation_id)
        send_sms(email, subject)
        logger.info("reservation %s confirmed", reservation_id)

    def cancel(self, reservation_id: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", reservation_id)
        send_email(self.smtp_host, self.sender, email, subject, reason)
