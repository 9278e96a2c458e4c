from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ProjectIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    description: str = ""


class ProjectOut(ProjectIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    # Archived projects are listed too; the client greys them out.
    archived: bool = False


class Page(BaseModel):
    items: list[ProjectOut]
    total: int
    next_cursor: str | None = None
