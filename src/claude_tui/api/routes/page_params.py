"""Query parameters shared by every paginated list."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query

from claude_tui.api.problems import INVALID_RESPONSE
from claude_tui.services.identifiers import MAX_ROW_ID
from claude_tui.services.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageRequest


async def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=512, description="The next_cursor of the previous page.")
    ] = None,
    sort: Annotated[str, Query(max_length=32, description="The field to sort by.")] = "id",
    order: Annotated[Literal["asc", "desc"], Query(description="Sort direction.")] = "asc",
) -> PageRequest:
    # async: FastAPI would hand a plain function to a worker thread on every list request.
    return PageRequest(limit=limit, cursor=cursor, sort=sort, order=order)


PageParams = Annotated[PageRequest, Depends(page_request)]

IdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]

Responses = dict[int | str, dict[str, Any]]

NOT_AUTHENTICATED: Responses = {401: {"description": "Not authenticated (problem+json)."}}
NOT_FOUND: Responses = {404: {"description": "No such resource, or not visible to the caller."}}
FORBIDDEN: Responses = {403: {"description": "The role or API key scope does not allow it."}}
INVALID: Responses = {422: INVALID_RESPONSE}
CONFLICT: Responses = {409: {"description": "Conflicts with the current state (problem+json)."}}
