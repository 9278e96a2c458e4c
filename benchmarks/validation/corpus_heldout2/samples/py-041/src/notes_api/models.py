from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy import DateTime, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class NoteRow(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class NoteIn(BaseModel):
    title: str
    body: str = ""

    @field_validator("title")
    @classmethod
    def not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("title must not be blank")
        return v.strip()

    def to_row(self) -> NoteRow:
        return NoteRow(**self.model_dump())


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    body: str
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row: NoteRow) -> "NoteOut":
        return cls.model_validate(row)

    def summary(self) -> dict[str, object]:
        data = self.model_dump(include={"id", "title"})
        data["words"] = len(self.body.split())
        return data
