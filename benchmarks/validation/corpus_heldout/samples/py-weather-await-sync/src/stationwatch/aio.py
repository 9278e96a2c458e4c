"""Asynchronous variant used by the web dashboard."""

import asyncio
from typing import Any

import aiohttp

from stationwatch.client import Reading


class AsyncStationClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}

    async def _get(self, path: str) -> Any:
        async with self._session.get(self._base + path, headers=self._headers) as response:
            response.raise_for_status()
            return await response.json()

    async def latest(self, station: str) -> Reading:
        return Reading.from_payload(await self._get(f"/stations/{station}/latest"))

    def latest_many(self, stations: list[str]) -> list[Reading]:
        return await asyncio.gather(*(self.latest(s) for s in stations))

