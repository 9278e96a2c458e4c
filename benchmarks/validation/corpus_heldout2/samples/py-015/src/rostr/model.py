from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    name: str
    max_shifts_per_week: int = 5
    unavailable_days: frozenset[dt.date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Shift:
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    role: str

    @property
    def hours(self) -> float:
        start = dt.datetime.combine(self.day, self.starts_at)
        end = dt.datetime.combine(self.day, self.ends_at)
        if end <= start:
            end += dt.timedelta(days=1)
        return (end - start).total_seconds() / 3600


@dataclass
class Assignment:
    shift: Shift
    person: Person
