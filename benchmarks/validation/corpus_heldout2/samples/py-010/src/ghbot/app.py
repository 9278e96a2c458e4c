"""A small GitHub webhook receiver that labels and greets."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from typing import Any, Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

log = logging.getLogger("ghbot")

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


def verify_signature(secret: bytes, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


async def on_ping(payload: dict[str, Any]) -> dict[str, Any]:
    return {"pong": payload.get("zen", "")}


async def on_issue(payload: dict[str, Any]) -> dict[str, Any]:
    action = payload.get("action")
    issue = payload.get("issue", {})
    labels = []
    title = issue.get("title", "").lower()
    if "crash" in title or "traceback" in title:
        labels.append("bug")
    if "docs" in title:
        labels.append("documentation")
    return {"action": action, "number": issue.get("number"), "labels": labels}


async def on_pull_request(payload: dict[str, Any]) -> dict[str, Any]:
    pr = payload.get("pull_request", {})
    first_time = pr.get("author_association") == "FIRST_TIME_CONTRIBUTOR"
    return {"number": pr.get("number"), "greet": first_time}


HANDLERS: dict[str, Handler] = {
    "ping": on_ping,
    "issues": on_issue,
    "pull_request": on_pull_request,
    # remaining GitHub events (push, release, workflow_run, ...) get wired up
    # the same way
}


async def webhook(request: Request) -> Response:
    body = await request.body()
    secret = os.environ.get("GHBOT_SECRET", "").encode()
    if not secret:
        return JSONResponse({"error": "GHBOT_SECRET is not set"}, status_code=500)
    if not verify_signature(secret, body, request.headers.get("x-hub-signature-256")):
        return JSONResponse({"error": "bad signature"}, status_code=401)
    event = request.headers.get("x-github-event", "")
    handler = HANDLERS.get(event)
    if handler is None:
        return JSONResponse({"ignored": event}, status_code=202)
    try:
        payload = json.loads(body)
    except json.JSONDecodeError:
        return JSONResponse({"error": "body is not JSON"}, status_code=400)
    result = await handler(payload)
    log.info("handled %s: %s", event, result)
    return JSONResponse(result)


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})


app = Starlette(routes=[Route("/webhook", webhook, methods=["POST"]), Route("/health", health)])
