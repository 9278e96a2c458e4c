"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from claude_tui import __version__
from claude_tui.api.middleware import RequestContextMiddleware
from claude_tui.api.problems import install_problem_handlers
from claude_tui.api.routes import api_keys, audit, auth, health, users
from claude_tui.api.routes.docs import install_docs
from claude_tui.observability import metrics
from claude_tui.observability.logging import get_logger
from claude_tui.services.readiness import ReadinessService
from claude_tui.settings import Settings, get_settings
from claude_tui.storage.database import Database

log = get_logger(__name__)

API_DESCRIPTION = (
    "Manage projects and have AI models carry out coding tasks, with every change checked "
    "by the anti-hallucination engine. Errors are RFC 9457 problem details."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API for the given settings (the process settings by default)."""
    settings = settings or get_settings()
    # Resolve the key at start-up so a weak or missing key stops the server before it serves.
    secret_key = settings.resolve_secret_key()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
        )
        redis = None
        if settings.redis_url:
            from redis.asyncio import Redis

            redis = Redis.from_url(settings.redis_url, socket_timeout=5)
        app.state.db = db
        app.state.redis = redis
        app.state.readiness = ReadinessService(db, redis, settings.readiness_timeout_seconds)
        metrics.set_build_info(__version__, settings.git_commit)
        log.info("startup", version=__version__, env=settings.env.value)
        try:
            yield
        finally:
            if redis is not None:
                await redis.aclose()
            await db.dispose()
            log.info("shutdown")

    app = FastAPI(
        title="Claude TUI",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.secret_key = secret_key
    install_problem_handlers(app)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    for identity_router in (auth.router, users.router, api_keys.router, audit.router):
        app.include_router(identity_router)
    install_docs(app)
    return app
