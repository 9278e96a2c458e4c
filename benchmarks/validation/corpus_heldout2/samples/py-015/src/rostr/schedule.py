"""Greedy weekly rota: fill each shift with the least-loaded available person."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from .model import Assignment, Person, Shift


class Unfillable(Exception):
    def __init__(self, shift: Shift) -> None:
        super().__init__(f"nobody available for {shift.role} on {shift.day}")
        self.shift = shift


def week_of(day: dt.date) -> int:
    return day.isocalendar()[1]


def available(person: Person, shift: Shift, load: Counter[tuple[str, int]]) -> bool:
    if shift.day in person.unavailable_days:
        return False
    return load[(person.name, week_of(shift.day))] < person.max_shifts_per_week


def build_rota(people: list[Person], shifts: list[Shift]) -> list[Assignment]:
    load: Counter[tuple[str, int]] = Counter()
    hours: Counter[str] = Counter()
    rota: list[Assignment] = []
    for shift in sorted(shifts, key=lambda s: (s.day, s.starts_at)):
        candidates = [p for p in people if available(p, shift, load)]
        if not candidates:
            raise Unfillable(shift)
        chosen = min(candidates, key=lambda p: (hours[p.name], p.name))
        load[(chosen.name, week_of(shift.day))] += 1
        hours[chosen.name] += shift.hours
        rota.append(Assignment(shift, chosen))
    return rota


def hours_by_person(rota: list[Assignment]) -> dict[str, float]:
    out: dict[str, float] = {}
    for a in rota:
        out[a.person.name] = out.get(a.person.name, 0.0) + a.shift.hours
    return out
