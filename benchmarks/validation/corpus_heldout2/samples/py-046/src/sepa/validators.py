"""Checks for the fields a SEPA credit transfer needs."""
from __future__ import annotations

import re

BIC = re.compile(r"^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$")
REFERENCE = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]{1,35}$")


def is_valid_bic(value: str) -> bool:
    return bool(BIC.match(value.replace(" ", "").upper()))


def clean_reference(value: str) -> str:
    allowed = "".join(ch for ch in value if REFERENCE.match(ch))
    return allowed[:35] or "NOTPROVIDED"


def amount_cents_ok(cents: int) -> bool:
    return 1 <= cents <= 99_999_999_999
