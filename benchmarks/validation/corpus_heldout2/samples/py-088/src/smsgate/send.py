"""Send SMS through the operator's HTTP gateway, retrying transient failures."""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 502, 503, 504}


class SendFailed(Exception):
    pass


@dataclass(frozen=True)
class Sent:
    message_id: str
    attempts: int


def send(client: httpx.Client, to: str, text: str, attempts: int = 4, base_delay: float = 0.5) -> Sent:
    last_error: Exception | None = None
    for attempt in range(1, attempts + 1):
        try:
            response = client.post("/messages", json={"to": to, "text": text})
            if response.status_code in RETRYABLE_STATUS:
                raise httpx.HTTPStatusError("retryable", request=response.request, response=response)
            response.raise_for_status()
            return Sent(response.json()["id"], attempt)
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            if isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code not in RETRYABLE_STATUS:
                raise SendFailed(f"gateway refused message to {to}: {exc.response.status_code}") from exc
            last_error = exc
            delay = base_delay * 2 ** (attempt - 1) * (1 + random.random() / 4)
            log.warning("send to %s failed (attempt %d/%d): %s; retrying in %.1fs", to, attempt, attempts, exc, delay)
            time.sleep(delay)
    raise SendFailed(f"giving up on {to} after {attempts} attempts") from last_error
