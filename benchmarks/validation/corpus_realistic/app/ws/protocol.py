from __future__ import annotations

import json
from typing import Any

from fastapi import WebSocket


class ConnectionManager:
    def __init__(self) -> None:
        self.active: dict[str, WebSocket] = {}

    async def connect(self, client_id: str, ws: WebSocket) -> None:
        await ws.accept()
        self.active[client_id] = ws

    def disconnect(self, client_id: str) -> None:
        self.active.pop(client_id, None)

    async def broadcast(self, message: dict[str, Any]) -> None:
        payload = json.dumps(message)
        for ws in list(self.active.values()):
            await ws.send_text(payload)

    async def handle(self, client_id: str, message: dict[str, Any]) -> None:
        match message.get("type"):
            case "chat":
                await self.broadcast({"from": client_id, "text": message["text"]})
            case "typing":
                await self.broadcast({"from": client_id, "typing": True})
            case _:
                # other message types go here
                pass
