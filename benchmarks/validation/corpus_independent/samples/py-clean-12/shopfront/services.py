"""Use cases around orders."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import render_subject, send_email, send_sms

logger = logging.getLogger(__name__)


@dataclass
class OrderService:
    smtp_host: str
    sender: str

    def confirm(self, order_id: str, email: str) -> None:
        """Tell the customer their order was accepted."""
        subject = render_subject("confirmed", order_id)
        send_sms(email, subject)
        logger.info("order %s confirmed", order_id)

    def cancel(self, order_id: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", order_id)
        send_email(self.smtp_host, self.sender, email, subject, reason)
