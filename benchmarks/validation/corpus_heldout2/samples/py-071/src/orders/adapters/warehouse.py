"""HTTP adapter for the warehouse reservation service."""
from __future__ import annotations

import logging

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

import orders.adapters.circuit as circuit
from orders.domain.order import Order, OrderState

log = logging.getLogger(__name__)


class ReservationFailed(Exception):
    pass


class WarehouseClient:
    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout)
        self._breaker = circuit.Breaker(failure_threshold=5, reset_after_s=30)

    @retry(
        retry=retry_if_exception_type(httpx.TransportError),
        stop=stop_after_attempt(3),
        wait=wait_exponential(multiplier=0.5, max=4),
        reraise=True,
    )
    def _post(self, path: str, payload: dict[str, object]) -> httpx.Response:
        with self._breaker:
            return self._http.post(path, json=payload)

    def reserve(self, order: Order) -> None:
        if order.state is not OrderState.NEW:
            raise ReservationFailed(f"order {order.id} is {order.state.value}")
        response = self._post(
            "/reservations",
            {"order": order.id, "lines": [{"sku": l.sku, "qty": l.qty} for l in order.lines]},
        )
        if response.status_code == 409:
            missing = response.json().get("missing", [])
            raise ReservationFailed(f"out of stock: {', '.join(missing)}")
        response.raise_for_status()
        order.state = OrderState.RESERVED
        log.info("reserved %d lines for %s", len(order.lines), order.id)

    def release(self, order: Order) -> None:
        response = self._post(f"/reservations/{order.id}/release", {})
        if response.status_code not in (200, 404):
            response.raise_for_status()
        order.state = OrderState.CANCELLED

    def ship(self, order: Order, carrier: str, tracking: str) -> None:
        if order.state is not OrderState.RESERVED:
            raise ReservationFailed(f"order {order.id} must be reserved before shipping")
        response = self._post(f"/reservations/{order.id}/ship", {"carrier": carrier, "tracking": tracking})
        response.raise_for_status()
        order.state = OrderState.SHIPPED

    def availability(self, skus: list[str]) -> dict[str, int]:
        response = self._http.get("/stock", params={"sku": skus})
        response.raise_for_status()
        levels = {row["sku"]: int(row["available"]) for row in response.json()["items"]}
        return {sku: levels.get(sku, 0) for sku in skus}

    def close(self) -> None:
        self._http.close()


def shortfall(order: Order, available: dict[str, int]) -> dict[str, int]:
    """Units missing per SKU to fulfil `order` completely."""
    need: dict[str, int] = {}
    for line in order.lines:
        need[line.sku] = need.get(line.sku, 0) + line.qty
    return {sku: qty - available.get(sku, 0) for sku, qty in need.items() if qty > available.get(sku, 0)}


def reserve_or_explain(client: WarehouseClient, order: Order) -> str | None:
    """Reserve the order; on a stock conflict, say exactly what is missing."""
    try:
        client.reserve(order)
    except ReservationFailed:
        missing = shortfall(order, client.availability([l.sku for l in order.lines]))
        if not missing:
            raise
        return ", ".join(f"{sku}: {n} short" for sku, n in sorted(missing.items()))
    return None
