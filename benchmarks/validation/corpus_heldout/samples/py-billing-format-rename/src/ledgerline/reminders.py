"""Reminder letters for overdue invoices."""

from datetime import date

from ledgerline.invoice import Invoice, format_cents

LEVELS = {1: "friendly reminder", 2: "second reminder", 3: "final notice"}


def level(invoice: Invoice, today: date) -> int:
    days = (today - invoice.due).days
    if days <= 0:
        return 0
    return 1 if days < 14 else 2 if days < 30 else 3


def letter(invoice: Invoice, today: date) -> str:
    kind = LEVELS.get(level(invoice, today), "notice")
    return (
        f"{kind.capitalize()}: invoice {invoice.number} over "
        f"{format_cents(invoice.total())} was due on {invoice.due:%d.%m.%Y}."
    )

