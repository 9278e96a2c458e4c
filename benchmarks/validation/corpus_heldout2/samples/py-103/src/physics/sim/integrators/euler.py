from __future__ import annotations

from ...core.vectors import Vec


def step(pos: Vec, vel: Vec, acc: Vec, dt: float) -> tuple[Vec, Vec]:
    return pos + vel * dt, vel + acc * dt
