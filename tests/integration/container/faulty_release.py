"""A release with a bug, for the deploy tool's tests: the real app, whose /version answers 500
to every second request after its first three (the smoke test passes; live traffic would
not). The app's own middleware counts the failures in /metrics, as it would for any bug."""

from __future__ import annotations

import itertools

import uvicorn
from fastapi.routing import APIRoute
from starlette.responses import JSONResponse, Response

from claude_tui.api.app import create_app
from claude_tui.settings import get_settings

calls = itertools.count(1)


async def version() -> Response:
    call = next(calls)
    if call > 3 and call % 2 == 0:
        return JSONResponse({"detail": "this release is broken"}, status_code=500)
    return JSONResponse({"version": "faulty", "git_commit": "faulty", "build_date": "-"})


app = create_app()
app.router.routes.insert(0, APIRoute("/version", version, methods=["GET"]))

if __name__ == "__main__":
    settings = get_settings()
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
