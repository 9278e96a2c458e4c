from __future__ import annotations

import datetime as dt
import os

import asyncpg
from fastapi import FastAPI, HTTPException

from .services.telemetry import TelemetryService

app = FastAPI(title="fleet")


@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(os.environ["FLEET_DSN"])
    app.state.telemetry = TelemetryService(app.state.pool)


@app.get("/vehicles/{vehicle_id}/fuel/{day}")
async def fuel(vehicle_id: str, day: dt.date) -> dict[str, float]:
    return await app.state.telemetry.fuel_report(vehicle_id, day)


@app.get("/vehicles/{vehicle_id}/trip/{day}")
async def trip(vehicle_id: str, day: dt.date) -> dict[str, object]:
    summary = await app.state.telemetry.trip_summary(vehicle_id, day)
    if summary is None:
        raise HTTPException(404, "no movement recorded that day")
    return summary.__dict__
