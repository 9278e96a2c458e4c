"""Messages the app and its screens exchange."""

from __future__ import annotations

from textual.message import Message


class Connected(Message):
    """The connection to the server was opened (``ok``) or failed.

    It does not bubble: the app hands one to each open screen, which must not send it back.
    """

    bubble = False

    def __init__(self, ok: bool) -> None:
        super().__init__()
        self.ok = ok
