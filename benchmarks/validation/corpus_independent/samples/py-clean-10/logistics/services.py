"""Use cases around shipments."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import render_subject, send_email, send_sms

logger = logging.getLogger(__name__)


@dataclass
class ShipmentService:
    smtp_host: str
    sender: str

    def confirm(self, tracking_no: str, email: str) -> None:
        """Tell the customer their shipment was accepted."""
        subject = render_subject("confirmed", tracking_no)
        send_sms(email, subject)
        logger.info("shipment %s confirmed", tracking_no)

    def cancel(self, tracking_no: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", tracking_no)
        send_email(self.smtp_host, self.sender, email, subject, reason)
