"""One pure-ASGI middleware for what every request needs: id, size limit, metrics, access log."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claude_tui.api.problems import problem_body
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
        except Exception:
            # The last line of defence: log with the request id, answer a problem, never a
            # traceback to the client.
            log.exception("unhandled_exception", path=scope.get("path", ""))
            status = 500
            if not response_started:
                await _send_problem(
                    send,
                    request_id,
                    500,
                    "An unexpected error occurred; quote the request id when reporting it.",
                )
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


async def _send_problem(send: Send, request_id: str, status: int, detail: str) -> None:
    body = problem_body(status, detail)
    body["request_id"] = request_id
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(payload)).encode()),
                (REQUEST_ID_HEADER, request_id.encode("latin-1")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
