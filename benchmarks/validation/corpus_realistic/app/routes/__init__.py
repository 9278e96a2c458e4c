from fastapi import FastAPI

from app.routes import auth, health, projects, tasks


def register_routes(app: FastAPI) -> None:
    app.include_router(health.router)
    app.include_router(auth.router, prefix="/auth")
    app.include_router(projects.router, prefix="/projects")
    app.include_router(tasks.router, prefix="/tasks")
    # Register remaining routers below
