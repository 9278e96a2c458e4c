"""Errors raised when a domain rule is broken; services turn them into typed service errors."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """A rule of the domain was broken; the message says which and how."""


class IllegalTransitionError(DomainError):
    """A task was asked to move to a status its current status cannot reach."""

    def __init__(self, current: str, target: str, allowed: Sequence[str]) -> None:
        options = ", ".join(allowed) if allowed else "none (it is final)"
        super().__init__(
            f"a task cannot go from '{current}' to '{target}'; from '{current}' it may go to: "
            f"{options}"
        )
        self.current = current
        self.target = target


class CycleError(DomainError):
    """Dependencies would form a cycle; ``cycle`` lists it, first node repeated at the end."""

    def __init__(self, cycle: Sequence[object], label: str = "task") -> None:
        self.cycle = list(cycle)
        path = " -> ".join(f"{label} {node}" for node in self.cycle)
        super().__init__(f"dependencies would form a cycle: {path}")
