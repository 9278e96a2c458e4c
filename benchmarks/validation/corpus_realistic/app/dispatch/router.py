from __future__ import annotations

from typing import Any

from app.dispatch.handlers import handle_invoice, handle_refund


def route(event: dict[str, Any]) -> str | None:
    kind = event.get("type")
    if kind == "invoice.paid":
        return handle_invoice(event)
    if kind == "charge.refunded":
        return handle_refund(event)
    # Stripe sends dozens of event types; everything else is acknowledged and ignored
    # so that Stripe does not retry it.
    return None
