"""A release with a bug, for the deploy tool's tests: the real app, whose /version answers 500
to every second request after its first FAULTY_AFTER (default 3: the smoke test passes, the
analysis does not; a larger number lets the release pass its analysis and fail under live
traffic). The app's own middleware counts the failures in /metrics, as it would for any bug.
"""

from __future__ import annotations

import itertools
import os

import uvicorn
from fastapi.routing import APIRoute
from starlette.responses import JSONResponse, Response

from claude_tui.api.app import create_app
from claude_tui.settings import get_settings

calls = itertools.count(1)
FAULTY_AFTER = int(os.environ.get("FAULTY_AFTER", "3"))


async def version() -> Response:
    call = next(calls)
    if call > FAULTY_AFTER and call % 2 == 0:
        return JSONResponse({"detail": "this release is broken"}, status_code=500)
    return JSONResponse({"version": "faulty", "git_commit": "faulty", "build_date": "-"})


app = create_app()
app.router.routes.insert(0, APIRoute("/version", version, methods=["GET"]))

if __name__ == "__main__":
    settings = get_settings()
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
