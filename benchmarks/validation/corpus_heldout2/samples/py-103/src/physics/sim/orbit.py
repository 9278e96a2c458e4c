"""Two-body orbit of a light body around a fixed heavy one."""
from __future__ import annotations

from ..core import units
from ..core.vectors import Vec
from .integrators import INTEGRATORS


def gravity(pos: Vec, central_mass: float) -> Vec:
    r = pos.norm()
    return pos * (-units.G * central_mass / r**3)


def orbit(pos: Vec, vel: Vec, central_mass: float, days: float, dt: float = 3600.0, method: str = "verlet") -> list[Vec]:
    try:
        step = INTEGRATORS[method]
    except KeyError:
        raise ValueError(f"unknown integrator {method!r}; choose from {sorted(INTEGRATORS)}") from None
    path = [pos]
    for _ in range(int(days * units.DAY / dt)):
        pos, vel = step(pos, vel, gravity(pos, central_mass), dt)
        path.append(pos)
    return path
