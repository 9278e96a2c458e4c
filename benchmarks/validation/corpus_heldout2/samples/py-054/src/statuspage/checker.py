"""Poll the configured URLs and keep a rolling uptime history."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from dataclasses import dataclass

import httpx

from .settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    url: str
    at: dt.datetime
    ok: bool
    status: int | None
    latency_ms: float | None


class Monitor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.history: dict[str, deque[Check]] = {
            str(u): deque(maxlen=settings.history_size) for u in settings.targets
        }
        self._down: set[str] = set()

    async def check_one(self, client: httpx.AsyncClient, url: str) -> Check:
        now = dt.datetime.now(dt.timezone.utc)
        try:
            response = await client.get(url, timeout=self.settings.timeout_s)
        except httpx.HTTPError as exc:
            log.info("%s unreachable: %s", url, exc)
            return Check(url, now, False, None, None)
        latency = response.elapsed.total_seconds() * 1000
        return Check(url, now, response.status_code < 500, response.status_code, latency)

    def uptime(self, url: str) -> float | None:
        checks = self.history.get(url)
        if not checks:
            return None
        return sum(c.ok for c in checks) / len(checks)

    async def _alert(self, client: httpx.AsyncClient, check: Check, recovered: bool) -> None:
        if self.settings.alert_webhook is None:
            return
        state = "recovered" if recovered else "DOWN"
        text = f"{check.url} {state} (status {check.status}) at {check.at:%H:%M:%S}Z"
        r = await client.post(str(self.settings.alert_webhook), json={"text": text})
        if r.is_error:
            log.error("alert webhook answered %s", r.status_code)

    async def round(self, client: httpx.AsyncClient) -> list[Check]:
        checks = await asyncio.gather(*(self.check_one(client, u) for u in self.history))
        for c in checks:
            self.history[c.url].append(c)
            if not c.ok and c.url not in self._down:
                self._down.add(c.url)
                await self._alert(client, c, recovered=False)
            elif c.ok and c.url in self._down:
                self._down.discard(c.url)
                await self._alert(client, c, recovered=True)
        return list(checks)

    async def run_forever(self) -> None:
        async with httpx.AsyncClient(follow_redirects=True) as client:
            while True:
                await self.round(client)
                await asyncio.sleep(self.settings.check_interval_s)
