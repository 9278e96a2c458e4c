"""Serve stock quotes from the upstream vendor, cached in Redis."""
from __future__ import annotations

import json
import os
from contextlib import asynccontextmanager
from typing import AsyncIterator

import httpx
import redis.asyncio as redis
from fastapi import FastAPI, HTTPException, Query
from starlette_redis_memo import cache_response

VENDOR_URL = os.environ.get("QUOTES_VENDOR_URL", "https://vendor.example/api/v1")
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.redis = redis.from_url(REDIS_URL, decode_responses=True)
    app.state.http = httpx.AsyncClient(base_url=VENDOR_URL, timeout=5.0)
    yield
    await app.state.http.aclose()
    await app.state.redis.aclose()


app = FastAPI(lifespan=lifespan)


def _symbol(value: str) -> str:
    symbol = value.strip().upper()
    if not symbol.isalnum() or len(symbol) > 8:
        raise HTTPException(422, "symbol must be 1-8 letters or digits")
    return symbol


@app.get("/quotes/{symbol}")
@cache_response(ttl=15)
async def quote(symbol: str) -> dict[str, object]:
    sym = _symbol(symbol)
    response = await app.state.http.get(f"/quote/{sym}")
    if response.status_code == 404:
        raise HTTPException(404, f"unknown symbol {sym}")
    response.raise_for_status()
    body = response.json()
    return {"symbol": sym, "price": body["last"], "currency": body.get("ccy", "USD")}


@app.get("/history/{symbol}")
async def history(symbol: str, days: int = Query(30, ge=1, le=365)) -> list[dict[str, object]]:
    sym = _symbol(symbol)
    key = f"history:{sym}:{days}"
    cached = await app.state.redis.get(key)
    if cached:
        return json.loads(cached)
    response = await app.state.http.get(f"/history/{sym}", params={"days": days})
    response.raise_for_status()
    rows = [{"date": r["d"], "close": r["c"]} for r in response.json()["rows"]]
    await app.state.redis.set(key, json.dumps(rows), ex=3600)
    return rows


@app.get("/quotes")
async def many(symbols: str = Query(..., description="comma-separated, at most 20")) -> list[dict[str, object]]:
    wanted = [_symbol(s) for s in symbols.split(",") if s.strip()]
    if not wanted or len(wanted) > 20:
        raise HTTPException(422, "give between 1 and 20 symbols")
    response = await app.state.http.get("/quotes", params={"symbols": ",".join(wanted)})
    response.raise_for_status()
    by_symbol = {row["s"]: row for row in response.json()["rows"]}
    out = []
    for sym in wanted:
        row = by_symbol.get(sym)
        if row is None:
            out.append({"symbol": sym, "error": "unknown symbol"})
        else:
            out.append({"symbol": sym, "price": row["last"], "currency": row.get("ccy", "USD")})
    return out


@app.get("/health")
async def health() -> dict[str, object]:
    try:
        redis_ok = bool(await app.state.redis.ping())
    except redis.RedisError as exc:
        raise HTTPException(503, f"redis unavailable: {exc}") from exc
    return {"redis": redis_ok, "vendor": VENDOR_URL}


@app.delete("/cache/{symbol}", status_code=204)
async def evict(symbol: str) -> None:
    sym = _symbol(symbol)
    keys = [key async for key in app.state.redis.scan_iter(match=f"history:{sym}:*")]
    if keys:
        await app.state.redis.delete(*keys)
