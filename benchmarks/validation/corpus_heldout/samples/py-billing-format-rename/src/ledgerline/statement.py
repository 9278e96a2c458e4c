"""Monthly statements: every open invoice of one customer."""

from datetime import date

from ledgerline.invoice import Invoice, Status, format_amount


def open_invoices(invoices: list[Invoice], customer: str) -> list[Invoice]:
    return [i for i in invoices if i.customer == customer and i.status is Status.SENT]


def statement(invoices: list[Invoice], customer: str, today: date) -> str:
    rows = [f"Statement for {customer}, {today:%d %B %Y}", ""]
    total = 0
    for invoice in open_invoices(invoices, customer):
        flag = " OVERDUE" if invoice.is_overdue(today) else ""
        rows.append(f"{invoice.number:<10} {format_amount(invoice.total()):>16}{flag}")
        total += invoice.total()
    rows += ["", f"{'Total':<10} {format_amount(total):>16}"]
    return "\n".join(rows)

