"""Use cases around transfers."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import notify_customer, render_subject, send_email

logger = logging.getLogger(__name__)


@dataclass
class TransferService:
    smtp_host: str
    sender: str

    def confirm(self, transfer_id: str, email: str) -> None:
        """Tell the customer their transfer was accepted."""
        subject = render_subject("confirmed", transfer_id)
        notify_customer(email, subject)
        logger.info("transfer %s confirmed", transfer_id)

    def cancel(self, transfer_id: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", transfer_id)
        send_email(self.smtp_host, self.sender, email, subject, reason)
