"""The route class every API router uses: JSON bodies must say they are JSON, and no text
parameter may hold a NUL character."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from claude_tui.api.problems import INVALID_RESPONSE, problem_doc, problem_response

_JSON_SUFFIXES = ("/json", "+json")


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("application/") and media.endswith(_JSON_SUFFIXES)


class JsonBodyRoute(APIRoute):
    """Answers 415 when a route that takes a JSON body is sent another media type, and 422
    when a path, query, form or JSON string holds a NUL character.

    PostgreSQL cannot store NUL in text, so without this a NUL would be a 500 there and
    stored on SQLite; refusing it for every route, before any model sees it, gives one
    answer on both databases.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.body_field is not None and not _expects_form(self):
            # Answers every JSON operation can give before its own code runs.
            self.responses = {
                400: problem_doc("The body is not valid JSON."),
                413: problem_doc("The body is larger than the server accepts."),
                415: problem_doc("The body is not sent as application/json."),
                **self.responses,
            }

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        has_body = self.body_field is not None
        expects_json = has_body and not _expects_form(self)

        async def checked(request: Request) -> Response:
            content_type = request.headers.get("content-type")
            if expects_json and content_type is not None and not _is_json(content_type):
                return problem_response(
                    415,
                    f"This endpoint takes application/json, not {content_type.split(';')[0]}.",
                    title="Unsupported media type",
                    instance=request.url.path,
                )
            body = await request.body() if has_body else b""
            location = _nul_location(request, body, form=has_body and not expects_json)
            if location is not None:
                return problem_response(
                    422,
                    "The request did not pass validation.",
                    title="Invalid input",
                    instance=request.url.path,
                    errors=[
                        {
                            "location": location,
                            "message": "Text may not contain NUL characters.",
                            "type": "string_nul",
                        }
                    ],
                )
            return await handler(request)

        return checked


_NUL = "\x00"


def _nul_location(request: Request, body: bytes, *, form: bool) -> list[str] | None:
    """Where the request carries a NUL character in text, or None."""
    for name, value in request.path_params.items():
        if _NUL in str(value):
            return ["path", name]
    for name, value in request.query_params.multi_items():
        if _NUL in name or _NUL in value:
            return ["query", _printable(name)]
    if form:
        for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            if _NUL in name or _NUL in value:
                return ["body", _printable(name)]
        return None
    # JSON can spell NUL only as an escape; most bodies do not hold one and are not parsed.
    if b"\\u0000" not in body:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None  # malformed JSON is answered by the body parser (400)
    return _nul_in_json(document, ["body"])


def _nul_in_json(value: Any, location: list[str]) -> list[str] | None:
    if isinstance(value, str):
        return location if _NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if _NUL in key:
                return [*location, _printable(key)]
            found = _nul_in_json(item, [*location, key])
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in_json(item, [*location, str(index)])
            if found is not None:
                return found
    return None


def _printable(name: str) -> str:
    return name.replace(_NUL, "\\u0000")


def _expects_form(route: APIRoute) -> bool:
    from fastapi.params import Form

    return any(
        isinstance(getattr(field, "field_info", None), Form)
        for field in route.dependant.body_params
    )


def api_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose routes use :class:`JsonBodyRoute` and document 422 as problem+json.

    Without a documented 422 FastAPI documents its own, as ``application/json`` in a shape
    the API never sends.
    """
    responses = {422: INVALID_RESPONSE, **kwargs.pop("responses", {})}
    return APIRouter(route_class=JsonBodyRoute, responses=responses, **kwargs)
