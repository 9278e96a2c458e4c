"""Pure-ASGI middleware: what every request needs (id, size limit, metrics, access log) and
load shedding past a concurrency limit."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claude_tui.api.outages import (
    RETRY_AFTER_SECONDS,
    OutageLog,
    detail_for,
    unreachable_dependency,
)
from claude_tui.api.problems import UNEXPECTED_ERROR, problem_body
from claude_tui.observability import metrics
from claude_tui.observability.context import client_addr_var, request_id_var
from claude_tui.observability.logging import get_logger

REQUEST_ID_HEADER = b"x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
UNMATCHED_ROUTE = "<unmatched>"

log = get_logger("claude_tui.access")


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit; answered as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than the limit of {limit} bytes.")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class RequestContextMiddleware:
    """Gives each request an id, enforces the body limit, counts it and logs one line."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.outages = OutageLog()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, REQUEST_ID_HEADER)
        request_id = (
            incoming if incoming and _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        )
        token = request_id_var.set(request_id)
        client = scope.get("client")
        addr_token = client_addr_var.set(client[0] if client else None)
        try:
            if scope["type"] == "websocket":
                await self.app(scope, receive, send)
            else:
                await self._http(scope, receive, send, request_id)
        finally:
            client_addr_var.reset(addr_token)
            request_id_var.reset(token)

    async def _http(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        start = time.perf_counter()
        status = 500
        response_started = False
        method: str = scope["method"]

        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            status = 413
            await _send_problem(send, request_id, 413, self._too_large_detail())
            self._observe(scope, method, status, start)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge(self.max_body_bytes)
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER, request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        metrics.HTTP_REQUESTS_IN_PROGRESS.inc()
        try:
            await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge:
            status = 413
            if not response_started:
                await _send_problem(send, request_id, 413, self._too_large_detail())
        except Exception as exc:
            dependency = unreachable_dependency(exc)
            if dependency is not None:
                # Every request fails alike while a dependency is down: a traceback each
                # would bury the one line that says what is wrong (and cost CPU).
                self.outages.refused(dependency, exc)
                if not response_started:
                    status = 503
                    await _send_problem(
                        send,
                        request_id,
                        503,
                        detail_for(dependency),
                        RETRY_AFTER_SECONDS,
                        title="Dependency unavailable",
                        dependency=dependency,
                    )
            else:
                # The last line of defence: log with the request id, answer a problem, never
                # a traceback to the client.
                log.exception("unhandled_exception", path=scope.get("path", ""))
                if not response_started:
                    status = 500
                    await _send_problem(send, request_id, 500, UNEXPECTED_ERROR)
        finally:
            metrics.HTTP_REQUESTS_IN_PROGRESS.dec()
            self._observe(scope, method, status, start)

    def _observe(self, scope: Scope, method: str, status: int, start: float) -> None:
        duration = time.perf_counter() - start
        route = _route_template(scope)
        metrics.HTTP_REQUESTS.labels(
            method=method, route=route, status_class=metrics.status_class(status)
        ).inc()
        metrics.HTTP_REQUEST_DURATION.labels(method=method, route=route).observe(duration)
        fields: dict[str, Any] = {
            "method": method,
            "route": route,
            "path": scope.get("path", ""),
            "status": status,
            "duration_ms": round(duration * 1000, 2),
        }
        client = scope.get("client")
        if client:
            fields["client"] = client[0]
        log.info("request", **fields)

    def _too_large_detail(self) -> str:
        return f"The request body is larger than the limit of {self.max_body_bytes} bytes."


async def _send_problem(
    send: Send,
    request_id: str,
    status: int,
    detail: str,
    retry_after: int | None = None,
    id_header: bool = True,
    **extra: Any,
) -> None:
    """Answer a problem+json; ``id_header`` False when an outer middleware adds the id."""
    body = problem_body(status, detail, **extra)
    body["request_id"] = request_id
    payload = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    if id_header:
        headers.append((REQUEST_ID_HEADER, request_id.encode("latin-1")))
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


SHED_EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics", "/version"})
SHED_RETRY_AFTER_SECONDS = 1
SHED_ROUTE = "<shed>"


class _ShedRoute:
    """Stands for the route of a refused request (not routed), so that its 503 is counted under
    its own label and not with unmatched paths, which the SLOs leave out."""

    path = SHED_ROUTE


class ConcurrencyLimitMiddleware:
    """Sheds load: at most ``limit`` HTTP requests run at once, the rest wait or get a 503.

    A request that finds every slot taken waits up to ``queue_seconds`` for one (at most
    ``limit`` requests wait at a time); otherwise it is answered at once with a 503
    problem+json and ``Retry-After``, so that past saturation the server refuses work it
    cannot finish in time instead of queueing it without bound. Health, readiness, metrics
    and version, WebSockets and Server-Sent Events streams (long-lived by design) are exempt.
    ``limit`` 0 turns the limit off.
    """

    def __init__(self, app: ASGIApp, limit: int, queue_seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.queue_seconds = queue_seconds
        self.waiting = 0
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.limit <= 0
            or scope["type"] != "http"
            or scope.get("path", "") in SHED_EXEMPT_PATHS
            or "text/event-stream" in (_header(scope, b"accept") or "")
        ):
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        slots = self._slots
        if slots.locked():
            reason = await self._wait(slots)
            if reason is not None:
                metrics.HTTP_REQUESTS_SHED.labels(reason=reason).inc()
                scope["route"] = _ShedRoute()
                # Inside RequestContextMiddleware the request already has an id and its header.
                request_id = request_id_var.get()
                await _send_problem(
                    send,
                    request_id or uuid.uuid4().hex,
                    503,
                    "The server is at capacity; retry after the delay in Retry-After.",
                    retry_after=SHED_RETRY_AFTER_SECONDS,
                    id_header=request_id is None,
                )
                return
        else:
            await slots.acquire()
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                slots.release()

        async def send_then_release(message: Message) -> None:
            await send(message)
            # The answer is out: what the request still does (closing its database session
            # after the response, as FastAPI runs it) must not keep the client's next request
            # from a slot, or a server below its limit sheds.
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                release()

        try:
            await self.app(scope, receive, send_then_release)
        finally:
            release()

    async def _wait(self, slots: asyncio.Semaphore) -> str | None:
        """Take a slot within the queue time; else the reason the request is shed."""
        if self.queue_seconds <= 0 or self.waiting >= self.limit:
            return "queue_full"
        self.waiting += 1
        try:
            async with asyncio.timeout(self.queue_seconds):
                await slots.acquire()
        except TimeoutError:
            return "queue_timeout"
        finally:
            self.waiting -= 1
        return None
