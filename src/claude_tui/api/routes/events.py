"""Live events of a project: WebSocket, Server-Sent Events, or a JSON page.

``GET /api/v1/projects/{id}/events``

* with ``Accept: text/event-stream``: a Server-Sent Events stream. Each event carries its id;
  a client that reconnects with ``Last-Event-ID`` (or ``?after=``) receives what it missed.
* as a WebSocket: authenticate with the ``token`` query parameter (an access token or an API
  key; browsers cannot set headers on a WebSocket). Events arrive as JSON text messages; pass
  ``?after=<last event id>`` when reconnecting. The server closes with code 4401 when the
  token is not valid and 4404 when the project does not exist or is not visible.
* otherwise: a JSON list of stored events after ``?after=``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import FastAPI, Header, Query, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from fastapi.sse import EventSourceResponse, format_sse_event
from starlette.websockets import WebSocketDisconnect

from claude_tui.api.deps import CurrentPrincipal, DbSession, policy_for
from claude_tui.api.routes.page_params import INVALID, NOT_AUTHENTICATED, NOT_FOUND, IdPath
from claude_tui.api.routing import api_router
from claude_tui.observability import metrics
from claude_tui.services import api_keys, events, tokens
from claude_tui.services.errors import InvalidInputError, ServiceError
from claude_tui.services.events import Broadcaster, EventView
from claude_tui.services.principal import Principal
from claude_tui.storage.database import Database

router = api_router(prefix="/api/v1/projects", tags=["events"], responses=NOT_AUTHENTICATED)

KEEPALIVE_SECONDS = 15.0
WS_UNAUTHENTICATED = 4401
WS_NOT_FOUND = 4404


def broadcaster_of(app: FastAPI) -> Broadcaster:
    """The app's event broadcaster: Redis pub/sub when Redis is configured, in-process else."""
    current: Broadcaster | None = getattr(app.state, "broadcaster", None)
    if current is None:
        current = events.broadcaster_for(getattr(app.state, "redis", None))
        app.state.broadcaster = current
    return current


async def request_broadcaster(request: Request) -> Broadcaster:
    # async: FastAPI would hand a plain function to a worker thread on every request.
    return broadcaster_of(request.app)


# Event ids are BIGINT; a larger one cannot have been sent by this server.
MAX_EVENT_ID = 2**62
_EVENT_ID = re.compile(r"\s*([0-9]+)\s*")


def _last_event_id(after: int | None, last_event_id: str | None) -> int:
    if after is not None:
        return after
    # Anything but a number is ignored, as before: the stream then starts from the beginning.
    match = _EVENT_ID.fullmatch(last_event_id or "")
    if match is None:
        return 0
    value = int(match[1])
    if value > MAX_EVENT_ID:
        message = f"Last-Event-ID is larger than any event id ({MAX_EVENT_ID})."
        raise InvalidInputError(
            message, errors=[{"location": ["header", "last-event-id"], "message": message}]
        )
    return value


@router.get(
    "/{project_id}/events",
    summary="Events of a project: a JSON page, or a live Server-Sent Events stream",
    response_model=list[EventView],
    responses={
        **NOT_FOUND,
        **INVALID,
        200: {
            "description": "Stored events after `after` as JSON, or with "
            "`Accept: text/event-stream` a live stream (replay first, then live events).",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
    },
)
async def project_events(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    project_id: IdPath,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_EVENT_ID, description="Only events with a larger id.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="JSON page size.")] = 100,
    accept: Annotated[str | None, Header()] = None,
    last_event_id: Annotated[str | None, Header(max_length=32)] = None,
) -> Response:
    since = _last_event_id(after, last_event_id)
    if "text/event-stream" not in (accept or ""):
        page = await events.list_events(session, principal, project_id, after_id=since, limit=limit)
        return JSONResponse([event.model_dump(mode="json") for event in page])
    await events.authorize_stream(session, principal, project_id)
    # The stream can last hours: give the request's connection back to the pool now.
    await session.close()
    db: Database = request.app.state.db
    feed = events.follow(
        db.session, broadcaster_of(request.app), project_id, since, keepalive=KEEPALIVE_SECONDS
    )

    async def stream() -> AsyncIterator[bytes]:
        with metrics.event_subscriber(metrics.EventTransport.SSE):
            yield format_sse_event(retry=3000, comment="connected")
            async for event in feed:
                if event is None:
                    yield format_sse_event(comment="keep-alive")
                    continue
                yield format_sse_event(
                    data_str=event.model_dump_json(), event=event.kind, id=str(event.id)
                )
                metrics.record_event_streamed(metrics.EventTransport.SSE)

    return EventSourceResponse(stream(), headers={"Cache-Control": "no-store"})


async def _websocket_principal(websocket: WebSocket, token: str) -> Principal:
    app = websocket.app
    async with app.state.db.session() as session:
        if api_keys.looks_like_api_key(token):
            return await api_keys.principal_for_key(session, token)
        principal, _ = await tokens.principal_for_access_token(
            session,
            policy_for(app),
            token,
            getattr(app.state, "redis", None),
        )
        return principal


@router.websocket("/{project_id}/events")
async def project_events_websocket(
    websocket: WebSocket,
    project_id: IdPath,
    token: Annotated[str, Query(max_length=4096)] = "",
    after: Annotated[int, Query(ge=0, le=MAX_EVENT_ID)] = 0,
) -> None:
    """Live events over a WebSocket; see the module notes for authentication and replay."""
    await websocket.accept()
    try:
        principal = await _websocket_principal(websocket, token)
    except ServiceError as exc:
        await websocket.close(WS_UNAUTHENTICATED, exc.detail[:120])
        return
    db: Database = websocket.app.state.db
    try:
        async with db.session() as session:
            await events.authorize_stream(session, principal, project_id)
    except ServiceError as exc:
        await websocket.close(WS_NOT_FOUND, exc.detail[:120])
        return
    feed = events.follow(db.session, broadcaster_of(websocket.app), project_id, after)

    async def send_events() -> None:
        async for event in feed:
            if event is not None:
                await websocket.send_text(event.model_dump_json())
                metrics.record_event_streamed(metrics.EventTransport.WEBSOCKET)

    async def wait_for_close() -> None:
        # Anything the client sends is ignored; only its disconnect matters.
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return

    with metrics.event_subscriber(metrics.EventTransport.WEBSOCKET):
        sender = asyncio.create_task(send_events())
        closer = asyncio.create_task(wait_for_close())
        done, pending = await asyncio.wait({sender, closer}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task
        for task in done:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                task.result()
