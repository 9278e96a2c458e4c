"""Use cases around tickets."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import notify_customer, render_subject, send_email

logger = logging.getLogger(__name__)


@dataclass
class TicketService:
    smtp_host: str
    sender: str

    def confirm(self, ticket_id: str, email: str) -> None:
        """Tell the customer their ticket was accepted."""
        subject = render_subject("confirmed", ticket_id)
        notify_customer(email, subject)
        logger.info("ticket %s confirmed", ticket_id)

    def cancel(self, ticket_id: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", ticket_id)
        send_email(self.smtp_host, self.sender, email, subject, reason)
