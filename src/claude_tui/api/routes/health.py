"""Liveness, readiness, version and metrics: the endpoints operators and probes use."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from claude_tui import __version__
from claude_tui.api.problems import PROBLEM_MEDIA_TYPE, problem_body
from claude_tui.api.routing import api_router
from claude_tui.observability import metrics
from claude_tui.services.readiness import ReadinessService

router = api_router(tags=["operations"])


class HealthOut(BaseModel):
    status: str


class ComponentOut(BaseModel):
    ok: bool
    detail: str


class ReadyOut(BaseModel):
    status: str
    components: dict[str, ComponentOut]


class VersionOut(BaseModel):
    version: str
    git_commit: str
    build_date: str


@router.get("/health", response_model=HealthOut, summary="Liveness: the process answers")
async def health() -> HealthOut:
    return HealthOut(status="ok")


@router.get(
    "/ready",
    response_model=ReadyOut,
    summary="Readiness: database reachable and migrated, Redis reachable when configured",
    responses={503: {"description": "A component is not ready; the problem names it."}},
)
async def ready(request: Request) -> Any:
    service: ReadinessService = request.app.state.readiness
    report = await service.check()
    components = {n: {"ok": c.ok, "detail": c.detail} for n, c in report.components.items()}
    if report.ready:
        return ReadyOut.model_validate({"status": "ready", "components": components})
    failing = report.failing
    detail = "; ".join(f"{name}: {report.components[name].detail}" for name in failing)
    return JSONResponse(
        problem_body(
            503,
            f"Not ready: {detail}",
            title="Not ready",
            failing=failing,
            components=components,
        ),
        status_code=503,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/version", response_model=VersionOut, summary="Version and build of this server")
async def version(request: Request) -> VersionOut:
    settings = request.app.state.settings
    return VersionOut(
        version=__version__, git_commit=settings.git_commit, build_date=settings.build_date
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics in the text exposition format",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
async def prometheus_metrics(request: Request) -> Response:
    # Prometheus asks for OpenMetrics when it stores exemplars; browsers get plain text.
    payload, content_type = metrics.render_latest(request.headers.get("accept"))
    return Response(payload, media_type=content_type)
