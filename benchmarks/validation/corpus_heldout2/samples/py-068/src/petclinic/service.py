from __future__ import annotations

import datetime as dt

from .repository import ClinicRepository, Visit


def book_checkup(repo: ClinicRepository, pet_id: int, at: dt.datetime) -> Visit:
    if at < dt.datetime.now(at.tzinfo):
        raise ValueError("cannot book a visit in the past")
    return repo.create_visit(pet_id, at, reason="annual check-up")
