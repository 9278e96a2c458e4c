from fastapi import FastAPI

from .api.routes import router

app = FastAPI(title="courier")
app.include_router(router)
