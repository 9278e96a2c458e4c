"""The route class every API router uses: JSON bodies must say they are JSON."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from claude_tui.api.problems import problem_response

_JSON_SUFFIXES = ("/json", "+json")


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("application/") and media.endswith(_JSON_SUFFIXES)


class JsonBodyRoute(APIRoute):
    """Answers 415 when a route that takes a JSON body is sent another media type."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        body_field = self.body_field
        expects_json = body_field is not None and not _expects_form(self)
        if not expects_json:
            return handler

        async def checked(request: Request) -> Response:
            content_type = request.headers.get("content-type")
            if content_type is not None and not _is_json(content_type):
                return problem_response(
                    415,
                    f"This endpoint takes application/json, not {content_type.split(';')[0]}.",
                    title="Unsupported media type",
                    instance=request.url.path,
                )
            return await handler(request)

        return checked


def _expects_form(route: APIRoute) -> bool:
    from fastapi.params import Form

    return any(
        isinstance(getattr(field, "field_info", None), Form)
        for field in route.dependant.body_params
    )


def api_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose routes use :class:`JsonBodyRoute`."""
    return APIRouter(route_class=JsonBodyRoute, **kwargs)
