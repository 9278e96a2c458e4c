"""The range of row ids, so that an absurd id is a 422 or a 404, never a database error."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ROW_ID = 2**31 - 1  # INTEGER columns on PostgreSQL

RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
