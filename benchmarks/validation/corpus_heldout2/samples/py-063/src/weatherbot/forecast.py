"""Forecasts from the Open-Meteo API."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx

BASE_URL = "https://api.open-meteo.com/v1/forecast"


@dataclass(frozen=True)
class ClientSettings:
    base_url: str = BASE_URL
    timeout_s: float = 8.0
    units: str = "metric"


@dataclass(frozen=True)
class Day:
    date: dt.date
    t_min: float
    t_max: float
    rain_mm: float
    code: int


def make_client(settings: ClientSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=settings.base_url, timeout=settings.timeout_s)


async def daily(client: httpx.AsyncClient, lat: float, lon: float, days: int = 3) -> list[Day]:
    r = await client.get(
        "",
        params={
            "latitude": lat,
            "longitude": lon,
            "daily": "temperature_2m_min,temperature_2m_max,precipitation_sum,weathercode",
            "forecast_days": days,
            "timezone": "auto",
        },
    )
    r.raise_for_status()
    d = r.json()["daily"]
    return [
        Day(dt.date.fromisoformat(t), lo, hi, rain, code)
        for t, lo, hi, rain, code in zip(
            d["time"], d["temperature_2m_min"], d["temperature_2m_max"], d["precipitation_sum"], d["weathercode"]
        )
    ]


def describe(day: Day) -> str:
    sky = {0: "clear", 1: "mostly clear", 2: "partly cloudy", 3: "overcast", 61: "rain", 71: "snow", 95: "thunder"}
    return f"{day.date:%a %d}: {day.t_min:.0f}–{day.t_max:.0f}°C, {sky.get(day.code, 'mixed')}, {day.rain_mm:.1f} mm"
