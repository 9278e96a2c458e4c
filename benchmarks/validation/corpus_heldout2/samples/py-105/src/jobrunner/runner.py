"""Run a batch of async jobs with a deadline, using the 3.11 standard library."""
from __future__ import annotations

import asyncio
import datetime as dt
import enum
import operator
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Self


class State(enum.StrEnum):
    PENDING = enum.auto()
    DONE = enum.auto()
    FAILED = enum.auto()
    TIMED_OUT = enum.auto()


NAME = re.compile(r"[a-z][a-z0-9_-]*", re.NOFLAG)


@dataclass
class Job:
    name: str
    func: Callable[[], Awaitable[object]]
    state: State = State.PENDING
    result: object = None
    finished_at: dt.datetime | None = None
    tags: set[str] = field(default_factory=set)

    def tagged(self, *tags: str) -> Self:
        self.tags.update(tags)
        return self


async def _run(job: Job) -> None:
    try:
        job.result = await job.func()
        job.state = State.DONE
    except TimeoutError:
        job.state = State.TIMED_OUT
        raise
    except Exception as exc:
        job.state = State.FAILED
        job.result = exc
    finally:
        job.finished_at = dt.datetime.now(dt.UTC)


async def run_all(jobs: list[Job], deadline_s: float) -> dict[State, int]:
    for job in jobs:
        if not NAME.fullmatch(job.name):
            raise ValueError(f"bad job name {job.name!r}")
    try:
        async with asyncio.timeout(deadline_s):
            async with asyncio.TaskGroup() as tg:
                for job in jobs:
                    tg.create_task(_run(job))
    except TimeoutError:
        for job in jobs:
            if job.state is State.PENDING:
                job.state = State.TIMED_OUT
    counts: dict[State, int] = {s: 0 for s in State}
    for job in jobs:
        counts[job.state] += 1
    return counts


def summary(jobs: list[Job]) -> list[str]:
    by_time = sorted((j for j in jobs if j.finished_at), key=operator.attrgetter("finished_at"))
    return [f"{j.finished_at:%H:%M:%S} {j.name}: {j.state}" for j in by_time] + [operator.call(str, len(jobs))]
