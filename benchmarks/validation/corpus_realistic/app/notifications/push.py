from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass
class PushMessage:
    device_token: str
    title: str
    body: str
    badge: int | None = None


class PushNotifier:
    def __init__(self, fcm_server_key: str) -> None:
        self.fcm_server_key = fcm_server_key

    def send(self, message: PushMessage) -> bool:
        if not message.device_token:
            logger.warning("no device token, skipping push")
            return False
        logger.info("push to %s: %s", message.device_token[:8], message.title)
        return True

    def send_many(self, messages: list[PushMessage]) -> int:
        return sum(1 for m in messages if self.send(m))
