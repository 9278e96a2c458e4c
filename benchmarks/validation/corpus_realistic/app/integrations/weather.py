"""Weather lookups used by the delivery scheduler."""

import os
from dataclasses import dataclass

import httpx

API_URL = "https://api.weather.example/v1/current"


@dataclass
class Weather:
    city: str
    temperature_c: float
    condition: str
    wind_kph: float


class WeatherClient:
    def __init__(self, api_key: str | None = None, timeout: float = 5.0) -> None:
        self.api_key = api_key or os.environ.get("WEATHER_API_KEY", "")
        self.timeout = timeout

    def current(self, city: str) -> Weather:
        """Return the current weather for ``city``."""
        # In a real implementation, this would make an HTTP request to the weather API
        # using self.api_key. For demonstration purposes we return sample data.
        return Weather(city=city, temperature_c=21.5, condition="sunny", wind_kph=12.0)

    def is_safe_for_delivery(self, city: str) -> bool:
        weather = self.current(city)
        return weather.wind_kph < 60 and weather.condition not in {"storm", "blizzard"}


def fetch_raw(city: str, api_key: str) -> dict:
    response = httpx.get(API_URL, params={"q": city, "key": api_key}, timeout=5.0)
    response.raise_for_status()
    return response.json()
