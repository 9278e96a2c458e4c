from __future__ import annotations

from fastapi import APIRouter, Header, HTTPException

from app.content import render_article

router = APIRouter()


@router.get("/articles/{slug}")
def article(slug: str, accept: str = Header(default="application/json")) -> dict[str, str]:
    # The API serves JSON only for now: XML clients were retired in v2 and
    # get a 406 instead of a silently different format.
    if "json" not in accept and "*/*" not in accept:
        raise HTTPException(status_code=406, detail="only application/json is served")
    return render_article(slug)
