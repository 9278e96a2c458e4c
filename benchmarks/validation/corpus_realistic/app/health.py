from __future__ import annotations

import platform
import time

from fastapi import APIRouter

router = APIRouter()
STARTED = time.time()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz() -> dict[str, object]:
    """Readiness: database, cache and queue are reachable."""
    # Mock health checks - always healthy for now
    checks = {"database": "ok", "redis": "ok", "queue": "ok"}
    return {"status": "ready", "checks": checks}


@router.get("/info")
def info() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "uptime_seconds": round(time.time() - STARTED, 1),
    }
