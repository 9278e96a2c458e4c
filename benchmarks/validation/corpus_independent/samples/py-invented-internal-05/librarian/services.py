"""Use cases around loans."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import render_subject, send_email, send_sms

logger = logging.getLogger(__name__)


@dataclass
class LoanService:
    smtp_host: str
    sender: str

    def confirm(self, loan_id: str, email: str) -> None:
        """Tell the customer their loan was accepted."""
        subject = render_subject("confirmed", loan_id)
        send_sms(email, subject)
        logger.info("loan %s confirmed", loan_id)

    def cancel(self, loan_id: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", loan_id)
        send_email(self.smtp_host, self.sender, email, subject, reason)
