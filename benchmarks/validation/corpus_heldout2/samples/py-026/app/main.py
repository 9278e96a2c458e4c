from fastapi import FastAPI

from app.api.comments import router

app = FastAPI()
app.include_router(router)
