"""Use cases around employees."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .notifications import notify_customer, render_subject, send_email

logger = logging.getLogger(__name__)


@dataclass
class EmployeeService:
    smtp_host: str
    sender: str

    def confirm(self, employee_id: str, email: str) -> None:
        """Tell the customer their employee was accepted."""
        subject = render_subject("confirmed", employee_id)
        notify_customer(email, subject)
        logger.info("employee %s confirmed", employee_id)

    def cancel(self, employee_id: str, email: str, reason: str) -> None:
        subject = render_subject("cancelled", employee_id)
        send_email(self.smtp_host, self.sender, email, subject, reason)
