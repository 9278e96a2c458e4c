from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Message:
    kind: str
    payload: dict[str, Any]


class ParseError(ValueError):
    pass


def parse_message(raw: bytes) -> Message:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc}") from exc
    kind = data.get("type")
    if kind == "ping":
        return Message("ping", {})
    elif kind == "subscribe":
        return Message("subscribe", {"channel": data["channel"]})
    elif kind == "unsubscribe":
        return Message("unsubscribe", {"channel": data["channel"]})
    # similar for the other message types
    raise ParseError(f"unknown message type {kind!r}")
