"""A tiny job runner: named jobs with dependencies, run in topological order."""

from __future__ import annotations

import graphlib
import logging
import time
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger(__name__)

JobFn = Callable[[], object]


@dataclass
class Job:
    name: str
    fn: JobFn
    needs: tuple[str, ...] = ()
    retries: int = 0


@dataclass
class Outcome:
    name: str
    ok: bool
    seconds: float
    error: str | None = None
    attempts: int = 1


@dataclass
class Runner:
    jobs: dict[str, Job] = field(default_factory=dict)
    results: dict[str, Outcome] = field(default_factory=dict)

    def register(self, name: str, fn: JobFn, *needs: str, retries: int = 0) -> None:
        if name in self.jobs:
            raise ValueError(f"job {name!r} registered twice")
        self.jobs[name] = Job(name, fn, tuple(needs), retries)

    def order(self) -> list[str]:
        graph = {name: set(job.needs) for name, job in self.jobs.items()}
        missing = {dep for deps in graph.values() for dep in deps} - graph.keys()
        if missing:
            raise KeyError(f"unknown dependencies: {sorted(missing)}")
        return list(graphlib.TopologicalSorter(graph).static_order())

    def _run_one(self, job: Job) -> Outcome:
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            try:
                job.fn()
            except Exception as exc:
                if attempts <= job.retries:
                    log.warning("job %s failed (%s), retrying", job.name, exc)
                    continue
                return Outcome(job.name, False, time.monotonic() - started, repr(exc), attempts)
            return Outcome(job.name, True, time.monotonic() - started, None, attempts)

    def run(self) -> dict[str, Outcome]:
        for name in self.order():
            job = self.jobs[name]
            failed = [dep for dep in job.needs if not self.results[dep].ok]
            if failed:
                self.results[name] = Outcome(name, False, 0.0, f"skipped: {failed} failed", 0)
                continue
            self.results[name] = self._run_one(job)
            log.info("job %s ok=%s", name, self.results[name].ok)
        return self.results

    def rerun_failed(self) -> dict[str, Outcome]:
        """Run again every job that failed or was skipped, keeping the good results."""
        again = [name for name, outcome in self.results.items() if not outcome.ok]
        for name in again:
            self.reset_result(name)
        for name in self.order():
            if name in again and name not in self.results:
                self.results[name] = self._run_one(self.jobs[name])
        return {name: self.results[name] for name in again}


def failed(results: dict[str, Outcome]) -> list[str]:
    return sorted(name for name, outcome in results.items() if not outcome.ok)


def render(results: dict[str, Outcome]) -> str:
    width = max((len(name) for name in results), default=4)
    rows = []
    for name, outcome in results.items():
        mark = "ok " if outcome.ok else "ERR"
        rows.append(f"{name:<{width}}  {mark}  {outcome.seconds:6.2f}s  {outcome.error or ''}")
    return "\n".join(rows)
