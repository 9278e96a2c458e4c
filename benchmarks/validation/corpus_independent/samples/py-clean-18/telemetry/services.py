"""Use cases around readings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import notify_customer, render_subject, send_email

logger = logging.getLogger(__name__)


@dataclass
class ReadingService:
    smtp_host: str
    sender: str

    def confirm(self, sensor_id: str, email: str) -> None:
        """Tell the customer their reading was accepted."""
        subject = render_subject("confirmed", sensor_id)
        notify_customer(email, subject)
        logger.info("reading %s confirmed", sensor_id)

    def cancel(self, sensor_id: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", sensor_id)
        send_email(self.smtp_host, self.sender, email, subject, reason)
