from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Event:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    capacity: int
    attendees: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValueError("an event must end after it starts")

    @property
    def seats_left(self) -> int:
        return self.capacity - len(self.attendees)
