"""Client of the payments service."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


class OrderGateway:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def submit_order(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST one order; returns the service's record of it."""
        request = urllib.request.Request(
            f"{self.base_url}/orders",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return dict(json.loads(response.read()))
