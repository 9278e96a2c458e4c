"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from claude_tui.observability.context import request_id_var
from claude_tui.services.errors import RateLimitedError, ServiceError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://claude-tui.dev/problems/"

#: The JSON schema of a problem body, as the OpenAPI document describes error responses.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For invalid input: each field at fault and why.",
            "items": {
                "type": "object",
                "properties": {
                    "location": {"type": "array", "items": {"type": "string"}},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}


def problem_doc(description: str) -> dict[str, Any]:
    """An OpenAPI response entry for a problem+json answer."""
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}}}


#: How every operation documents its 422.
INVALID_RESPONSE = problem_doc("Invalid input (problem+json naming the field).")


def problem_body(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    type_: str | None = None,
    instance: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": type_ or f"{PROBLEM_TYPE_BASE}{phrase.lower().replace(' ', '-')}",
        "title": title or phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return body


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, detail, **kwargs),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        errors.append(
            {
                "location": [str(p) for p in err.get("loc", ())],
                "message": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
        )
    return errors


def _allowed_methods(request: Request) -> set[str]:
    """Every method some route serves at the request's path.

    The router's own ``Allow`` names only the first route that matched the path, while
    several routes (GET, PATCH and DELETE of one resource) usually share it.
    """
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE and route.methods:
            methods |= set(route.methods)
    return methods


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}"
    elif exc.status_code == 405:
        if detail == "Method Not Allowed":
            detail = f"{request.method} is not allowed on {request.url.path}"
        allowed = _allowed_methods(request)
        if allowed:
            headers["Allow"] = ", ".join(sorted(allowed))
    return problem_response(exc.status_code, detail, headers=headers, instance=request.url.path)


async def _validation_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        return problem_response(
            400,
            "The request body is not valid JSON.",
            title="Malformed JSON body",
            instance=request.url.path,
            errors=errors,
        )
    return problem_response(
        422,
        "The request did not pass validation.",
        title="Invalid input",
        instance=request.url.path,
        errors=errors,
    )


async def _service_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    headers = {}
    if isinstance(exc, RateLimitedError):
        headers["Retry-After"] = str(exc.retry_after)
    if exc.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return problem_response(
        exc.status,
        exc.detail,
        title=exc.title,
        instance=request.url.path,
        headers=headers,
        **exc.extra,
    )


UNEXPECTED_ERROR = "An unexpected error occurred; quote the request id when reporting it."


async def _unhandled_exception(request: Request, exc: Exception) -> JSONResponse:
    """The answer to an error nothing else handled; logging is the outer middleware's."""
    from claude_tui.api.outages import RETRY_AFTER_SECONDS, detail_for, unreachable_dependency

    dependency = unreachable_dependency(exc)
    if dependency is None:
        return problem_response(500, UNEXPECTED_ERROR, instance=request.url.path)
    return problem_response(
        503,
        detail_for(dependency),
        title="Dependency unavailable",
        instance=request.url.path,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        dependency=dependency,
    )


def install_problem_handlers(app: FastAPI) -> None:
    # Starlette answers with this handler, then re-raises for the outer middleware to log.
    app.add_exception_handler(Exception, _unhandled_exception)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_exception)
    app.add_exception_handler(ServiceError, _service_exception)
