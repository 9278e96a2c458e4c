"""Where low-stock warnings go. Chosen from settings at start-up."""

import smtplib
from email.message import EmailMessage
from typing import Protocol


class Notifier(Protocol):
    def low_stock(self, sku: str, available: int) -> None: ...


class MailNotifier:
    def __init__(self, host: str, sender: str, recipient: str) -> None:
        self.host, self.sender, self.recipient = host, sender, recipient

    def low_stock(self, sku: str, available: int) -> None:
        message = EmailMessage()
        message["From"], message["To"] = self.sender, self.recipient
        message["Subject"] = f"Low stock: {sku} ({available} left)"
        message.set_content(f"{sku} is down to {available}. Reorder soon.")
        with smtplib.SMTP(self.host, timeout=10) as smtp:
            smtp.send_message(message)


class SilentNotifier:
    """For shops that switched warnings off (notify = "none"): dropping them is the feature."""

    def low_stock(self, sku: str, available: int) -> None:
        return None


def make_notifier(kind: str, host: str = "", sender: str = "", recipient: str = "") -> Notifier:
    if kind == "mail":
        return MailNotifier(host, sender, recipient)
    if kind == "none":
        return SilentNotifier()
    raise ValueError(f"notify must be 'mail' or 'none', not {kind!r}")

