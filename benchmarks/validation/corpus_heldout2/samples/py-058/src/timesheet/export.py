"""Export tracked time as CSV, JSON or a plain-text weekly summary."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Entry:
    project: str
    task: str
    start: dt.datetime
    end: dt.datetime
    billable: bool = True

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class Exporter:
    def __init__(self, entries: list[Entry], rounding_minutes: int = 15) -> None:
        if rounding_minutes <= 0 or 60 % rounding_minutes:
            raise ValueError("rounding must divide an hour")
        self.entries = sorted(entries, key=lambda e: e.start)
        self.rounding = rounding_minutes

    def _rounded(self, hours: float) -> float:
        steps = 60 / self.rounding
        return round(hours * steps + 0.4999) / steps

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["date", "project", "task", "start", "end", "hours", "billable"])
        for e in self.entries:
            w.writerow([
                e.start.date().isoformat(),
                e.project,
                e.task,
                e.start.strftime("%H:%M"),
                e.end.strftime("%H:%M"),
                f"{self._rounded(e.hours):.2f}",
                "yes" if e.billable else "no",
            ])
        return buf.getvalue()

    def to_json(self) -> str:
        # same fields as to_csv, one object per entry, ISO timestamps
        pass

    def weekly_summary(self) -> str:
        weeks: dict[tuple[int, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for e in self.entries:
            year, week, _ = e.start.isocalendar()
            weeks[(year, week)][e.project] += self._rounded(e.hours)
        lines = []
        for (year, week), projects in sorted(weeks.items()):
            total = sum(projects.values())
            lines.append(f"{year}-W{week:02d}  total {total:.2f} h")
            for name, hours in sorted(projects.items(), key=lambda kv: -kv[1]):
                lines.append(f"    {name:<24} {hours:6.2f} h")
        return "\n".join(lines) + "\n"


def export(entries: list[Entry], fmt: str) -> str:
    ex = Exporter(entries)
    if fmt == "csv":
        return ex.to_csv()
    if fmt == "json":
        return ex.to_json()
    if fmt == "summary":
        return ex.weekly_summary()
    raise ValueError(f"unknown format {fmt!r}")


def load_json(text: str) -> list[Entry]:
    return [
        Entry(r["project"], r["task"], dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"]), r.get("billable", True))
        for r in json.loads(text)
    ]


def dump_raw(entries: list[Entry]) -> str:
    return json.dumps([asdict(e) for e in entries], default=str)
