from __future__ import annotations

from ...core.vectors import Vec


def step(pos: Vec, vel: Vec, acc: Vec, dt: float) -> tuple[Vec, Vec]:
    half = vel + acc * (dt / 2)
    return pos + half * dt, half + acc * (dt / 2)
