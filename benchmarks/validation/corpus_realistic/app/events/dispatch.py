from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]


def on_user_created(event: dict[str, Any]) -> None:
    logger.info("welcome mail for %s", event["user_id"])


def on_order_paid(event: dict[str, Any]) -> None:
    logger.info("fulfil order %s", event["order_id"])


HANDLERS: dict[str, Handler] = {
    "user.created": on_user_created,
    "order.paid": on_order_paid,
    # Add more handlers as needed
}


def dispatch(event: dict[str, Any]) -> None:
    handler = HANDLERS.get(event.get("type", ""))
    if handler is None:
        logger.warning("no handler for %s", event.get("type"))
        return
    handler(event)
