"""Reminder letters for overdue invoices."""

from datetime import date

from acme.billing.invoice import Invoice, Status, format_cents


def overdue(invoices: list[Invoice], today: date) -> list[Invoice]:
    return [inv for inv in invoices if inv.is_overdue(today)]


def reminder_text(invoice: Invoice, today: date) -> str:
    days = (today - invoice.due).days
    return (
        f"Dear {invoice.customer},\n\n"
        f"invoice {invoice.number} over {format_cents(invoice.total())} "
        f"was due {days} days ago. Please transfer the amount within 10 days.\n"
    )


def mark_sent(invoice: Invoice) -> None:
    if invoice.status is Status.DRAFT:
        invoice.status = Status.SENT

