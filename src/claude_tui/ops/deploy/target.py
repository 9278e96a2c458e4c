"""The contract between the deploy engine and the places it deploys to (compose, Kubernetes).

The engine (``engine.py``) owns the order of the steps, the gates, the events, the history
and the rollback decisions; a target only knows how to do each step on its platform. Every
method raises :class:`TargetError` with one readable line when the step fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Literal, Protocol

Colour = Literal["blue", "green"]
COLOURS: tuple[Colour, Colour] = ("blue", "green")


def other(colour: Colour) -> Colour:
    return "green" if colour == "blue" else "blue"


class TargetError(Exception):
    """A step could not be done; the message is one line a person can act on."""


class DeployLocked(TargetError):
    """Another deploy or rollback of the same environment holds the lock."""


@dataclass(frozen=True)
class ColourState:
    colour: Colour
    image: str | None  # None: this colour is not deployed
    replicas: int  # desired replicas (0: scaled down)
    ready: int  # replicas ready to serve
    # The last release of this colour that served traffic and was kept: what a rollback to
    # this colour runs, and what a failed attempt on it is replaced by. None: never served.
    served: str | None = None


@dataclass(frozen=True)
class TargetState:
    active: Colour | None  # the colour serving traffic; None before the first deploy
    colours: dict[Colour, ColourState] = field(default_factory=dict)


class Target(Protocol):
    """One environment on one platform. Implementations: ``compose.py``, ``k8s.py``."""

    name: str  # "compose" | "k8s"

    def preflight(self, image: str) -> list[str]:
        """Problems that forbid a deploy (tool missing, engine/cluster unreachable, image
        unknown); empty when the target can deploy ``image``."""
        ...

    def lock(self, owner: str) -> AbstractContextManager[None]:
        """Hold the environment's deploy lock, shared by everyone who deploys to it.
        Raises :class:`DeployLocked` naming the holder when taken."""
        ...

    def state(self) -> TargetState: ...

    def run_migrations(self, image: str) -> None:
        """Run ``claude-tui db upgrade`` from ``image`` once, to completion."""
        ...

    def bring_up(self, colour: Colour, image: str, replicas: int) -> None:
        """Start (or replace) ``colour`` with ``image``; do not wait for readiness."""
        ...

    def resume(self, colour: Colour, image: str, replicas: int) -> bool:
        """Return the standby ``scale_down`` kept of ``colour`` to service when it holds
        ``image`` (no rollout, no new containers); False when there is none to resume and
        the colour must be brought up. Does not wait for readiness."""
        ...

    def wait_ready(self, colour: Colour, timeout: float) -> None:
        """Return when every replica of ``colour`` is ready; TargetError on timeout."""
        ...

    def preview_url(self, colour: Colour) -> str:
        """A base URL that reaches ``colour`` without going through the active route."""
        ...

    def analysis_urls(self, colour: Colour, baseline: Colour) -> tuple[str, str]:
        """Base URLs that reach ``colour`` (serving live traffic) and ``baseline`` at the
        same time, to compare them over one window."""
        ...

    def mark_served(self, colour: Colour, image: str) -> None:
        """Remember ``image`` as the release ``colour`` last served (see ColourState.served)."""
        ...

    def restore_standby(self, colour: Colour, image: str, replicas: int, timeout: float) -> None:
        """Put ``colour`` back on ``image`` after a failed attempt, as ``scale_down`` leaves a
        colour: ready to be resumed by a rollback."""
        ...

    def switch(self, colour: Colour) -> None:
        """Send live traffic to ``colour`` without dropping connections."""
        ...

    def scale_down(self, colour: Colour) -> None:
        """Stop serving from ``colour`` but keep its definition (image) for a rollback."""
        ...

    def tear_down(self, colour: Colour) -> None:
        """Remove ``colour``'s failed release (never the active colour's)."""
        ...

    def history_lines(self) -> Iterator[str]:
        """The environment's recorded deploys and rollbacks, one JSON object per line."""
        ...

    def append_history(self, line: str) -> None: ...
