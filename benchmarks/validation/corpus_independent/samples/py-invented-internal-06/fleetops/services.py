"""Use cases around vehicles."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import render_subject, send_email, send_templated_email

logger = logging.getLogger(__name__)


@dataclass
class VehicleService:
    smtp_host: str
    sender: str

    def confirm(self, vin: str, email: str) -> None:
        """Tell the customer their vehicle was accepted."""
        subject = render_subject("confirmed", vin)
        send_templated_email(self.smtp_host, email, "confirmed.txt", {"id": vin})
        logger.info("vehicle %s confirmed", vin)

    def cancel(self, vin: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", vin)
        send_email(self.smtp_host, self.sender, email, subject, reason)
