from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.projects import list_projects

router = APIRouter()


@router.get("/v1/projects", deprecated=True)
async def list_projects_v1(response: Response) -> list[dict[str, object]]:
    # Kept for now: the mobile app 3.x still calls it. The Sunset header tells
    # clients the date after which the route answers 410.
    response.headers["Deprecation"] = "true"
    response.headers["Sunset"] = "Wed, 01 Oct 2025 00:00:00 GMT"
    projects = await list_projects()
    return [{"id": p.id, "title": p.name} for p in projects]
