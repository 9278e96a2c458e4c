"""Small client for the station network's HTTP API."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any
from stationwatch.paging import PagingMixin

logger = logging.getLogger("stations.client")

DEFAULT_TIMEOUT = 10.0
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class ApiError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


@dataclass(frozen=True)
class Reading:
    station: str
    temperature_c: float
    humidity: float
    observed_at: str

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> "Reading":
        return cls(
            station=str(payload["station"]),
            temperature_c=float(payload["temperature"]),
            humidity=float(payload.get("humidity", 0.0)),
            observed_at=str(payload["observed_at"]),
        )


class StationClient:
    def __init__(self, base_url: str, token: str, *, retries: int = 3) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retries = retries

    def _url(self, path: str, **query: str) -> str:
        url = f"{self.base_url}/{path.lstrip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        return url

    def _get(self, path: str, **query: str) -> Any:
        request = urllib.request.Request(
            self._url(path, **query),
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        delay = 0.5
        for attempt in range(1, self.retries + 1):
            try:
                with urllib.request.urlopen(request, timeout=DEFAULT_TIMEOUT) as response:
                    return json.load(response)
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_STATUSES and attempt < self.retries:
                    logger.warning("retrying %s after HTTP %d", path, exc.code)
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise ApiError(exc.code, exc.reason) from exc
        raise ApiError(0, "retries exhausted")

    def stations(self) -> list[str]:
        return [str(s["id"]) for s in self._get("/stations")]

    def latest(self, station: str) -> Reading:
        return Reading.from_payload(self._get(f"/stations/{station}/latest"))


def warmest(readings: list[Reading]) -> Reading | None:
    return max(readings, key=lambda r: r.temperature_c, default=None)


class PagedStationClient(StationClient, PagingMixin):
    def history(self, station: str, days: int = 7) -> list[Reading]:
        readings = []
        for page in self._paginate(f"/stations/{station}/readings", days=str(days)):
            readings.extend(Reading.from_payload(p) for p in page["items"])
        return sorted(readings, key=lambda r: r.observed_at)


def mean_temperature(readings: list[Reading]) -> float:
    if not readings:
        raise ValueError("no readings")
    return sum(r.temperature_c for r in readings) / len(readings)
