"""Cursor pagination for every list of the API: stable under inserts, with consistent totals.

A cursor encodes the sort key and the id of the last row of a page. The next page starts
strictly after that pair, so rows added or removed meanwhile never shift a page. The total
counts every row that matches the caller's filters and visibility, whatever the cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from claude_tui.services.errors import InvalidInputError

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

SortOrder = Literal["asc", "desc"]


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, how many match in all, and the cursor of the next page."""

    items: list[T]
    total: int
    next_cursor: str | None


@dataclass(frozen=True)
class PageRequest:
    """Which page the caller asks for."""

    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    sort: str = "id"
    order: SortOrder = "asc"


@dataclass(frozen=True)
class Slice(Generic[R]):
    rows: list[R]
    total: int
    next_cursor: str | None


def _encode(sort: str, order: str, value: Any, row_id: int) -> str:
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    raw = json.dumps({"s": sort, "o": order, "v": value, "id": row_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, sort: str, order: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        value, row_id = data["v"], int(data["id"])
        if data["s"] != sort or data["o"] != order:
            raise InvalidInputError(
                "This cursor belongs to another sort order; repeat the first request's sort "
                "and order, or start again without a cursor.",
                errors=[{"location": ["query", "cursor"], "message": "sort order changed"}],
            )
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["dt"])
    except InvalidInputError:
        raise
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInputError(
            "The cursor is not valid; use the next_cursor of a previous page.",
            errors=[{"location": ["query", "cursor"], "message": "malformed cursor"}],
        ) from exc
    return value, row_id


async def paginate(
    session: AsyncSession,
    stmt: Select[R],
    *,
    request: PageRequest,
    sort_columns: Mapping[str, InstrumentedAttribute[Any]],
    id_column: InstrumentedAttribute[int],
) -> Slice[R]:
    """Run ``stmt`` (already filtered to what the caller may see) for one page."""
    if request.sort not in sort_columns:
        raise InvalidInputError(
            f"Cannot sort by '{request.sort}'; choose one of: {', '.join(sorted(sort_columns))}.",
            errors=[{"location": ["query", "sort"], "message": "unknown sort field"}],
        )
    limit = max(1, min(request.limit, MAX_LIMIT))
    column = sort_columns[request.sort]
    total = (
        await session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
    ).scalar_one()
    descending = request.order == "desc"
    page_stmt = stmt
    if request.cursor:
        value, last_id = _decode(request.cursor, request.sort, request.order)
        page_stmt = page_stmt.where(_after(column, id_column, value, last_id, descending))
    if descending:
        page_stmt = page_stmt.order_by(column.desc(), id_column.desc())
    else:
        page_stmt = page_stmt.order_by(column.asc(), id_column.asc())
    rows: Sequence[R] = (await session.scalars(page_stmt.limit(limit + 1))).all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode(
            request.sort,
            request.order,
            getattr(last, column.key),
            getattr(last, id_column.key),
        )
    return Slice(list(rows), int(total), next_cursor)


def _after(
    column: InstrumentedAttribute[Any],
    id_column: InstrumentedAttribute[int],
    value: Any,
    last_id: int,
    descending: bool,
) -> ColumnElement[bool]:
    # Spelled out rather than a row-value comparison so both backends use the index the same way.
    if descending:
        return or_(column < value, and_(column == value, id_column < last_id))
    return or_(column > value, and_(column == value, id_column > last_id))
