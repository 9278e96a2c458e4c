"""Fill a fresh development database with demo customers and orders.

Usage: ``python scripts/seed_demo.py postgresql://localhost/shop_dev``
"""

from __future__ import annotations

import sys

from sqlalchemy import create_engine, text

DEMO_CUSTOMERS = [
    ("Ada Lovelace", "ada@example.com"),
    ("Alan Turing", "alan@example.com"),
    ("Grace Hopper", "grace@example.com"),
]


def seed(url: str) -> int:
    engine = create_engine(url)
    with engine.begin() as conn:
        for name, email in DEMO_CUSTOMERS:
            conn.execute(
                text("INSERT INTO customers (name, email) VALUES (:n, :e) ON CONFLICT DO NOTHING"),
                {"n": name, "e": email},
            )
    return len(DEMO_CUSTOMERS)


if __name__ == "__main__":
    print(f"seeded {seed(sys.argv[1])} customers")
