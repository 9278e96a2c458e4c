"""Plan meeting series across time zones, stdlib only."""
from __future__ import annotations

import datetime as dt
import graphlib
import sched
import time
import tomllib
import zoneinfo
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Meeting:
    name: str
    start: dt.datetime
    minutes: int
    after: tuple[str, ...] = ()


def load(path: Path) -> list[Meeting]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    tz = zoneinfo.ZoneInfo(data.get("timezone", "UTC"))
    return [
        Meeting(
            m["name"],
            dt.datetime.fromisoformat(m["start"]).replace(tzinfo=tz),
            int(m.get("minutes", 30)),
            tuple(m.get("after", ())),
        )
        for m in data["meeting"]
    ]


def order(meetings: list[Meeting]) -> list[Meeting]:
    """Meetings in dependency order (a retro comes after its planning)."""
    by_name = {m.name: m for m in meetings}
    ts = graphlib.TopologicalSorter({m.name: set(m.after) for m in meetings})
    try:
        return [by_name[n] for n in ts.static_order() if n in by_name]
    except graphlib.CycleError as exc:
        raise ValueError(f"meetings depend on each other in a cycle: {exc.args[1]}") from None


def local_times(m: Meeting, zones: list[str]) -> dict[str, str]:
    return {z: m.start.astimezone(zoneinfo.ZoneInfo(z)).strftime("%a %H:%M") for z in zones}


def remind(meetings: list[Meeting], lead: dt.timedelta, notify) -> None:
    s = sched.scheduler(time.time, time.sleep)
    now = dt.datetime.now(dt.timezone.utc)
    for m in meetings:
        at = m.start - lead
        if at > now:
            s.enterabs(at.timestamp(), 1, notify, argument=(m,))
    s.run()
