from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException

from .auth import User, current_user, require

app = FastAPI()
DOCS: dict[str, dict[str, str]] = {}


@app.get("/docs/{doc_id}")
async def read_doc(doc_id: str, user: Annotated[User, Depends(current_user)]) -> dict[str, str]:
    doc = DOCS.get(doc_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    return doc


@app.put("/docs/{doc_id}")
async def write_doc(doc_id: str, body: dict[str, str], user: Annotated[User, Depends(require("editor"))]) -> dict[str, str]:
    DOCS[doc_id] = {"title": body.get("title", ""), "text": body.get("text", ""), "author": user.id}
    return DOCS[doc_id]
