from __future__ import annotations

import math
from typing import NamedTuple

EARTH_RADIUS_KM = 6371.0088


class Point(NamedTuple):
    lat: float
    lon: float


def haversine_km(a: Point, b: Point) -> float:
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
