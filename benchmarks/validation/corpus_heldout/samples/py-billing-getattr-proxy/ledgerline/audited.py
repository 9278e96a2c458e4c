"""An invoice wrapper that records every mutating call for the audit trail."""

from typing import Any

from ledgerline.invoice import Invoice, Line

MUTATORS = frozenset({"add_line"})


class AuditedInvoice:
    def __init__(self, invoice: Invoice, user: str) -> None:
        self._invoice = invoice
        self._user = user
        self.trail: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._invoice, name)
        if name in MUTATORS and callable(target):
            def recorded(*args: Any, **kwargs: Any) -> Any:
                self.trail.append((self._user, name))
                return target(*args, **kwargs)
            return recorded
        return target

    def add_service(self, description: str, cents: int) -> None:
        self.add_line(Line(description, cents))

    def grand_total(self) -> int:
        return self.total()

