from __future__ import annotations

BASE_FEE = 4.90
PER_KG = 1.25


def quote(weight_kg: float, express: bool = False) -> float:
    if weight_kg <= 0:
        raise ValueError("weight must be positive")
    price = BASE_FEE + PER_KG * weight_kg
    return round(price * (1.8 if express else 1.0), 2)
