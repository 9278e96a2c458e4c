from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Coordinates:
    lat: float
    lon: float


def haversine_km(a: Coordinates, b: Coordinates) -> float:
    r = 6371.0
    dlat = math.radians(b.lat - a.lat)
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a.lat)) * math.cos(
        math.radians(b.lat)
    ) * math.sin(dlon / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


class MockGeocoder:
    """Geocoder returning fixed coordinates."""

    def geocode(self, address: str) -> Coordinates:
        return Coordinates(52.52, 13.405)


def distance_between(address_a: str, address_b: str) -> float:
    geocoder = MockGeocoder()
    return haversine_km(geocoder.geocode(address_a), geocoder.geocode(address_b))
