from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass
class Parcel:
    weight_kg: float
    length_cm: float
    width_cm: float
    height_cm: float

    @property
    def volumetric_kg(self) -> float:
        return self.length_cm * self.width_cm * self.height_cm / 5000


@dataclass
class Rate:
    carrier: str
    service: str
    price: Decimal
    days: int


def billable_weight(parcel: Parcel) -> float:
    return max(parcel.weight_kg, parcel.volumetric_kg)


def get_rates(parcel: Parcel, destination_country: str) -> list[Rate]:
    weight = billable_weight(parcel)
    # TODO: integrate with the carrier APIs (DHL, UPS). Using static rates in the meantime.
    base = Decimal("4.90") + Decimal(str(round(weight, 1))) * Decimal("1.20")
    return [
        Rate("DHL", "express", base * 2, 1),
        Rate("UPS", "standard", base, 3),
    ]
