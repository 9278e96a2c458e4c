"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from claude_tui import __version__
from claude_tui.api.middleware import ConcurrencyLimitMiddleware, RequestContextMiddleware
from claude_tui.api.problems import install_problem_handlers
from claude_tui.api.routes import agent as agent_routes
from claude_tui.api.routes import (
    agent_status,
    api_keys,
    audit,
    audits,
    auth,
    dashboard,
    events,
    files,
    health,
    projects,
    provider_settings,
    tasks,
    templates,
    users,
    validations,
    workflows,
)
from claude_tui.api.routes.docs import install_docs
from claude_tui.api.routes.events import broadcaster_of
from claude_tui.observability import metrics, tracing
from claude_tui.observability.logging import get_logger
from claude_tui.private_files import secure_data_dir
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
    loose = secure_data_dir(settings.data_dir)
    if loose:
        log.warning("data_dir_not_private", paths=loose)
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
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff
            from redis.exceptions import ConnectionError as RedisConnectionError

            # A pooled connection that died with a Redis restart fails on its next use:
            # retried once on a fresh one, so a restart costs no request. A Redis that is
            # down is found out within the connect timeout, not the OS's.
            redis = Redis.from_url(
                settings.redis_url,
                socket_timeout=5,
                socket_connect_timeout=2,
                retry=Retry(NoBackoff(), 1),
                retry_on_error=[RedisConnectionError],
            )
        tracing.instrument_engine(db.engine)
        metrics.watch_db_pool("main", db.engine)
        metrics.DATA_DIR_DISK.watch(settings.data_dir)
        app.state.db = db
        app.state.redis = redis
        app.state.readiness = ReadinessService(db, redis, settings.readiness_timeout_seconds)
        metrics.set_build_info(__version__, settings.git_commit)
        log.info("startup", version=__version__, env=settings.env.value)
        from claude_tui.worker.service import start_execution

        app.state.execution = await start_execution(settings, db, broadcaster_of(app), redis)
        try:
            yield
        finally:
            if app.state.execution is not None:
                await app.state.execution.stop()
            if redis is not None:
                await redis.aclose()
            metrics.DB_POOL.forget("main")
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
    # Shedding sits inside the request context: a refused request still has an id, a log line
    # and its count in the HTTP metrics.
    app.add_middleware(
        ConcurrencyLimitMiddleware,
        limit=settings.max_concurrent_requests,
        queue_seconds=settings.request_queue_seconds,
    )
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    for identity_router in (auth.router, users.router, api_keys.router, audit.router):
        app.include_router(identity_router)
    for platform_router in (projects, tasks, workflows, events, templates, audits, validations):
        app.include_router(platform_router.router)
    for workspace_router in (files, dashboard, agent_status, provider_settings):
        app.include_router(workspace_router.router)
    app.include_router(agent_routes.router)
    install_docs(app)
    tracing.configure_tracing(
        "claude-tui-api",
        version=__version__,
        environment=settings.env.value,
        otlp_endpoint=settings.otlp_endpoint,
    )
    tracing.instrument_fastapi(app)
    return app
