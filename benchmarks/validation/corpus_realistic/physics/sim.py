"""Rigid-body simulation with a fixed time step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRAVITY = np.array([0.0, -9.81])


@dataclass
class Body:
    position: np.ndarray
    velocity: np.ndarray
    mass: float


def step(bodies: list[Body], dt: float) -> None:
    for body in bodies:
        body.velocity = body.velocity + GRAVITY * dt
        body.position = body.position + body.velocity * dt
        if body.position[1] < 0.0:
            # Bounce off the floor, losing a fifth of the energy.
            body.position[1] = -body.position[1]
            body.velocity[1] = -0.8 * body.velocity[1]


def simulate(bodies: list[Body], seconds: float, dt: float = 1 / 240) -> list[np.ndarray]:
    """Simulate ``seconds`` of motion and return the positions after each step."""
    trajectory = []
    for _ in range(int(seconds / dt)):
        step(bodies, dt)
        trajectory.append(np.array([b.position.copy() for b in bodies]))
    return trajectory
