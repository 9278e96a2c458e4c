"""Text messages through the operator's HTTP gateway."""

from __future__ import annotations

import json
import urllib.request

GATEWAY = "http://127.0.0.1:8025/sms"


def send_sms(number: str, text: str) -> int:
    """Post one message; returns the gateway's HTTP status."""
    data = json.dumps({"to": number, "text": text}).encode()
    request = urllib.request.Request(GATEWAY, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)
