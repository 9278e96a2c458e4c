from __future__ import annotations

import asyncio

import redis.asyncio as redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def check_database(engine: AsyncEngine) -> str:
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"error: {exc.__class__.__name__}"
    return "ok"


async def check_redis(client: redis.Redis) -> str:
    try:
        await asyncio.wait_for(client.ping(), timeout=2)
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"error: {exc.__class__.__name__}"
    return "ok"


async def readiness(engine: AsyncEngine, client: redis.Redis) -> dict[str, object]:
    database, cache = await asyncio.gather(check_database(engine), check_redis(client))
    checks = {"database": database, "redis": cache}
    ready = all(value == "ok" for value in checks.values())
    return {"status": "ready" if ready else "degraded", "checks": checks}
