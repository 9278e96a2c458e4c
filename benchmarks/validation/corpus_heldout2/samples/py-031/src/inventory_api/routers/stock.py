from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inventory_api.db.models import StockItem, Warehouse
from inventory_api.db.session import get_session

router = APIRouter(prefix="/stock", tags=["stock"])


class Adjustment(BaseModel):
    warehouse: str = Field(min_length=1, max_length=8)
    sku: str = Field(min_length=1, max_length=32)
    delta: int


class StockOut(BaseModel):
    warehouse: str
    sku: str
    quantity: int


async def _warehouse(session: AsyncSession, code: str) -> Warehouse:
    wh = await session.scalar(select(Warehouse).where(Warehouse.code == code))
    if wh is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown warehouse {code}")
    return wh


@router.get("/{warehouse}/{sku}")
async def read_stock(warehouse: str, sku: str, session: AsyncSession = Depends(get_session)) -> StockOut:
    wh = await _warehouse(session, warehouse)
    item = await session.scalar(
        select(StockItem).where(StockItem.warehouse_id == wh.id, StockItem.sku == sku)
    )
    return StockOut(warehouse=warehouse, sku=sku, quantity=item.quantity if item else 0)


@router.post("/adjust")
async def adjust(body: Adjustment, session: AsyncSession = Depends(get_session)) -> StockOut:
    wh = await _warehouse(session, body.warehouse)
    item = await session.scalar(
        select(StockItem)
        .where(StockItem.warehouse_id == wh.id, StockItem.sku == body.sku)
        .with_for_update()
    )
    if item is None:
        item = StockItem(sku=body.sku, quantity=0, warehouse=wh)
        session.add(item)
    new_quantity = item.quantity + body.delta
    if new_quantity < 0:
        raise HTTPException(status.HTTP_409_CONFLICT, f"only {item.quantity} of {body.sku} in stock")
    item.quantity = new_quantity
    await session.commit()
    return StockOut(warehouse=body.warehouse, sku=body.sku, quantity=item.quantity)


class Transfer(BaseModel):
    source: str = Field(min_length=1, max_length=8)
    target: str = Field(min_length=1, max_length=8)
    sku: str = Field(min_length=1, max_length=32)
    quantity: int = Field(gt=0)


@router.post("/transfer")
async def transfer(body: Transfer, session: AsyncSession = Depends(get_session)) -> list[StockOut]:
    if body.source == body.target:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "source and target must differ")
    src_wh = await _warehouse(session, body.source)
    dst_wh = await _warehouse(session, body.target)
    src_item = await session.scalar(
        select(StockItem).where(StockItem.warehouse_id == src_wh.id, StockItem.sku == body.sku).with_for_update()
    )
    if src_item is None or src_item.quantity < body.quantity:
        have = src_item.quantity if src_item else 0
        raise HTTPException(status.HTTP_409_CONFLICT, f"{body.source} has only {have} of {body.sku}")
    dst_item = await session.scalar(
        select(StockItem).where(StockItem.warehouse_id == dst_wh.id, StockItem.sku == body.sku).with_for_update()
    )
    if dst_item is None:
        dst_item = StockItem(sku=body.sku, quantity=0, warehouse=dst_wh)
        session.add(dst_item)
    src_item.quantity -= body.quantity
    dst_item.quantity += body.quantity
    await session.commit()
    return [
        StockOut(warehouse=body.source, sku=body.sku, quantity=src_item.quantity),
        StockOut(warehouse=body.target, sku=body.sku, quantity=dst_item.quantity),
    ]


@router.get("/{warehouse}")
async def list_stock(
    warehouse: str, below: int | None = None, session: AsyncSession = Depends(get_session)
) -> list[StockOut]:
    wh = await _warehouse(session, warehouse)
    query = select(StockItem).where(StockItem.warehouse_id == wh.id).order_by(StockItem.sku)
    if below is not None:
        query = query.where(StockItem.quantity < below)
    items = (await session.scalars(query)).all()
    return [StockOut(warehouse=warehouse, sku=i.sku, quantity=i.quantity) for i in items]
