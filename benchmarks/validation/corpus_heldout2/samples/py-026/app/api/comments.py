from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from app.services.moderation import ModerationService

router = APIRouter()
_service = ModerationService()


def get_service() -> ModerationService:
    return _service


class CommentIn(BaseModel):
    author: str = Field(min_length=1, max_length=64)
    body: str = Field(min_length=1, max_length=5000)


@router.post("/comments", status_code=201)
def post_comment(comment: CommentIn, svc: ModerationService = Depends(get_service)) -> dict[str, object]:
    verdict = svc.score(comment.body)
    if verdict.blocked:
        raise HTTPException(422, detail={"reason": "comment rejected by moderation", "scores": verdict.scores})
    return {"accepted": True, "scores": verdict.scores}
