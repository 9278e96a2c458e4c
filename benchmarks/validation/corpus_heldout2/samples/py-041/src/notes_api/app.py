from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from .models import Base, NoteIn, NoteOut, NoteRow

engine = create_engine("sqlite:///notes.db")
Base.metadata.create_all(engine)
SessionLocal = sessionmaker(engine)
app = FastAPI()


def session() -> Iterator[Session]:
    with SessionLocal() as s:
        yield s


@app.post("/notes", status_code=201)
def create(note: NoteIn, s: Session = Depends(session)) -> NoteOut:
    row = note.to_row()
    s.add(row)
    s.commit()
    s.refresh(row)
    return NoteOut.from_row(row)


@app.get("/notes")
def list_notes(s: Session = Depends(session)) -> list[dict[str, object]]:
    return [NoteOut.from_row(r).summary() for r in s.scalars(select(NoteRow).order_by(NoteRow.id))]


@app.get("/notes/{note_id}")
def read(note_id: int, s: Session = Depends(session)) -> NoteOut:
    row = s.get(NoteRow, note_id)
    if row is None:
        raise HTTPException(404, "note not found")
    return NoteOut.from_row(row)
