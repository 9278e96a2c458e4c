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


class ShipmentSummary(BaseModel):
    total: int
    by_status: dict[str, int]
    heaviest_kg: float | None


@router.get("")
def list_shipments(status: Status | None = None, recipient: str | None = None, limit: int = 50) -> list[ShipmentOut]:
    if not 1 <= limit <= 500:
        raise HTTPException(422, "limit must be between 1 and 500")
    items = store.all()
    if status is not None:
        items = [s for s in items if s.status is status]
    if recipient:
        needle = recipient.lower()
        items = [s for s in items if needle in s.recipient.lower()]
    return [_out(s) for s in items[:limit]]


@router.get("/-/summary")
def summary() -> ShipmentSummary:
    items = store.all()
    counts: dict[str, int] = {}
    for s in items:
        counts[s.status.value] = counts.get(s.status.value, 0) + 1
    return ShipmentSummary(
        total=len(items),
        by_status=counts,
        heaviest_kg=max((s.weight_kg for s in items), default=None),
    )


@router.get("/{shipment_id}/history")
def history(shipment_id: str) -> list[dict[str, str]]:
    s = store.get(shipment_id)
    if s is None:
        raise HTTPException(404, f"no shipment {shipment_id}")
    return [{"at": at.isoformat(), "status": st.value} for at, st in s.history]


@router.post("/{shipment_id}/return")
def start_return(shipment_id: str) -> ShipmentOut:
    s = store.get(shipment_id)
    if s is None:
        raise HTTPException(404, f"no shipment {shipment_id}")
    if s.status not in (Status.PICKED_UP, Status.IN_TRANSIT):
        raise HTTPException(409, f"a {s.status.value} shipment cannot be returned")
    s.advance(Status.RETURNED)
    return _out(s)
