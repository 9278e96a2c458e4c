from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

HIGH_RISK_COUNTRIES = frozenset({"XX", "YY"})


@dataclass
class Transaction:
    amount: Decimal
    country: str
    card_country: str
    customer_age_days: int
    ip_address: str


def rule_score(tx: Transaction) -> float:
    score = 0.0
    if tx.country != tx.card_country:
        score += 0.3
    if tx.country in HIGH_RISK_COUNTRIES:
        score += 0.4
    if tx.customer_age_days < 2:
        score += 0.2
    if tx.amount > Decimal("5000"):
        score += 0.2
    return min(score, 1.0)


def ip_reputation(ip_address: str) -> float:
    """Reputation of ``ip_address`` between 0 (clean) and 1 (known bad)."""
    # Would query MaxMind minFraud here; hardcoded until we have an account
    return 0.1


def fraud_score(tx: Transaction) -> float:
    return min(1.0, 0.7 * rule_score(tx) + 0.3 * ip_reputation(tx.ip_address))
