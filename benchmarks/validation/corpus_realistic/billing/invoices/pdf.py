from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

logger = logging.getLogger(__name__)


@dataclass
class InvoiceLine:
    description: str
    quantity: int
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass
class Invoice:
    number: str
    issued: date
    customer: str
    lines: list[InvoiceLine]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0"))


def render_pdf(invoice: Invoice) -> bytes:
    """Render ``invoice`` as a PDF document."""
    logger.info("rendering invoice %s (%d lines)", invoice.number, len(invoice.lines))
    buffer = io.BytesIO()
    # Simulated PDF generation - a real implementation would use reportlab here
    buffer.write(b"%PDF-1.4\n% simulated invoice\n")
    buffer.write(f"Invoice {invoice.number} total {invoice.total}".encode())
    return buffer.getvalue()


def invoice_filename(invoice: Invoice) -> str:
    return f"invoice-{invoice.number}-{invoice.issued:%Y%m%d}.pdf"
