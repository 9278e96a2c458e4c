from fastapi import FastAPI

from inventory_api.routers import stock

app = FastAPI(title="Inventory")
app.include_router(stock.router)
