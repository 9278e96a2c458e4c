"""Poll the configured URLs and keep a rolling uptime history."""
from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import os
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


def render_html(monitor: Monitor, title: str = "Service status") -> str:
    """A minimal static status page: one row per target with uptime and last result."""
    rows = []
    for url, checks in monitor.history.items():
        last = checks[-1] if checks else None
        uptime = monitor.uptime(url)
        state = "unknown" if last is None else ("up" if last.ok else "down")
        latency = "-" if last is None or last.latency_ms is None else f"{last.latency_ms:.0f} ms"
        pct = "-" if uptime is None else f"{uptime * 100:.2f} %"
        rows.append(
            f'<tr class="{state}"><td>{html.escape(url)}</td><td>{state}</td>'
            f"<td>{pct}</td><td>{latency}</td></tr>"
        )
    body = "\n".join(rows)
    return (
        f"<!doctype html><title>{html.escape(title)}</title>"
        "<style>.up{color:#137333}.down{color:#a50e0e}.unknown{color:#666}</style>"
        f"<h1>{html.escape(title)}</h1>"
        "<table><tr><th>Target</th><th>State</th><th>Uptime</th><th>Latency</th></tr>"
        f"{body}</table>"
    )


def sparkline(checks: list[Check], width: int = 48) -> str:
    marks = ["▁" if c.ok else "█" for c in checks[-width:]]
    return "".join(marks).rjust(width, " ")


async def write_page_forever(monitor: Monitor, path: str, every_s: float = 60.0) -> None:
    while True:
        await asyncio.sleep(every_s)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(render_html(monitor))
        os.replace(tmp, path)
