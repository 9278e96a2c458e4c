from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from ..core.pricing import quote
from ..core.shipments import InvalidTransition, Shipment, ShipmentStore, Status
from ..core.shipments import estimate_delivery_window

router = APIRouter(prefix="/shipments")
store = ShipmentStore()


class ShipmentIn(BaseModel):
    sender: str
    recipient: str
    weight_kg: float = Field(gt=0, le=70)
    express: bool = False


class ShipmentOut(BaseModel):
    id: str
    status: str
    price: float
    window: tuple[str, str]


def _out(s: Shipment, express: bool = False) -> ShipmentOut:
    start, end = estimate_delivery_window(s, express=express)
    return ShipmentOut(
        id=s.id,
        status=s.status.value,
        price=quote(s.weight_kg, express),
        window=(start.isoformat(), end.isoformat()),
    )


@router.post("", status_code=201)
def create(body: ShipmentIn) -> ShipmentOut:
    s = store.add(Shipment(body.sender, body.recipient, body.weight_kg))
    return _out(s, body.express)


@router.get("/{shipment_id}")
def read(shipment_id: str) -> ShipmentOut:
    s = store.get(shipment_id)
    if s is None:
        raise HTTPException(404, f"no shipment {shipment_id}")
    return _out(s)


@router.post("/{shipment_id}/status/{new}")
def advance(shipment_id: str, new: Status) -> ShipmentOut:
    s = store.get(shipment_id)
    if s is None:
        raise HTTPException(404, f"no shipment {shipment_id}")
    try:
        s.advance(new)
    except InvalidTransition as exc:
        raise HTTPException(409, str(exc)) from exc
    return _out(s)
