"""Simulate an M/M/c queue to size a support team.

The randomness here is the point: arrivals and service times are drawn from
exponential distributions, and many seeded runs give the waiting-time spread.
"""
from __future__ import annotations

import heapq
import random
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    arrivals_per_hour: float
    minutes_per_ticket: float
    agents: int
    hours: float = 8.0


@dataclass(frozen=True)
class Outcome:
    served: int
    mean_wait_min: float
    p90_wait_min: float
    utilisation: float


def simulate(s: Scenario, seed: int) -> Outcome:
    rng = random.Random(seed)
    horizon = s.hours * 60
    t = 0.0
    free_at = [0.0] * s.agents
    heapq.heapify(free_at)
    waits: list[float] = []
    busy = 0.0
    while True:
        t += rng.expovariate(s.arrivals_per_hour / 60)
        if t > horizon:
            break
        agent_free = heapq.heappop(free_at)
        start = max(t, agent_free)
        service = rng.expovariate(1 / s.minutes_per_ticket)
        waits.append(start - t)
        busy += service
        heapq.heappush(free_at, start + service)
    if not waits:
        return Outcome(0, 0.0, 0.0, 0.0)
    waits.sort()
    return Outcome(
        served=len(waits),
        mean_wait_min=statistics.fmean(waits),
        p90_wait_min=waits[int(0.9 * (len(waits) - 1))],
        utilisation=min(1.0, busy / (horizon * s.agents)),
    )


def smallest_team(arrivals_per_hour: float, minutes_per_ticket: float, target_p90_min: float, runs: int = 200) -> int:
    for agents in range(1, 200):
        outcomes = [simulate(Scenario(arrivals_per_hour, minutes_per_ticket, agents), seed) for seed in range(runs)]
        if statistics.median(o.p90_wait_min for o in outcomes) <= target_p90_min:
            return agents
    raise ValueError("no team size up to 199 meets the target")
