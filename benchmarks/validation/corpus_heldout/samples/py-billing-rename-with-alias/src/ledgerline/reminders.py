from datetime import date

from ledgerline.invoice import Invoice, format_amount


def letter(invoice: Invoice, today: date) -> str:
    days = (today - invoice.due).days
    return f"Invoice {invoice.number} ({format_amount(invoice.total())}) is {days} days overdue."

