"""Dependency graphs of tasks: cycles, order, and what to start or cancel next.

A graph maps each node to the nodes it depends on (its prerequisites). Functions keep the
iteration order of the mapping, so results are deterministic for a given input.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from claude_tui.domain.errors import CycleError
from claude_tui.domain.task_status import TaskStatus

N = TypeVar("N", bound=Hashable)

_WHITE, _GREY, _BLACK = 0, 1, 2


def find_cycle(graph: Mapping[N, Collection[N]]) -> list[N] | None:
    """A cycle as a path ``[a, b, ..., a]`` where each node depends on the next, or None."""
    color: dict[N, int] = {}
    for root in graph:
        if color.get(root, _WHITE) != _WHITE:
            continue
        # Iterative depth-first search: deep chains must not hit the recursion limit.
        path: list[N] = [root]
        iterators = [iter(graph.get(root, ()))]
        color[root] = _GREY
        while iterators:
            child = next(iterators[-1], None)
            if child is None:
                color[path.pop()] = _BLACK
                iterators.pop()
                continue
            state = color.get(child, _WHITE)
            if state == _GREY:
                return [*path[path.index(child) :], child]
            if state == _WHITE:
                color[child] = _GREY
                path.append(child)
                iterators.append(iter(graph.get(child, ())))
    return None


def check_acyclic(graph: Mapping[N, Collection[N]], label: str = "task") -> None:
    """Raise CycleError naming the cycle when the graph has one."""
    cycle = find_cycle(graph)
    if cycle is not None:
        raise CycleError(cycle, label)


def with_dependencies(
    graph: Mapping[N, Collection[N]], node: N, dependencies: Iterable[N]
) -> dict[N, tuple[N, ...]]:
    """A copy of ``graph`` in which ``node`` depends on ``dependencies`` instead."""
    updated = {key: tuple(value) for key, value in graph.items()}
    updated[node] = tuple(dependencies)
    return updated


def topological_order(graph: Mapping[N, Collection[N]]) -> list[N]:
    """Nodes with every prerequisite before its dependents; CycleError when impossible.

    Prerequisites that are not keys of ``graph`` are treated as outside it and left out.
    """
    check_acyclic(graph)
    order: list[N] = []
    placed: set[N] = set()
    for root in graph:
        if root in placed:
            continue
        stack: list[tuple[N, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if node in placed:
                continue
            if expanded:
                placed.add(node)
                order.append(node)
                continue
            stack.append((node, True))
            stack.extend(
                (dep, False)
                for dep in reversed(list(graph.get(node, ())))
                if dep in graph and dep not in placed
            )
    return order


def dependents(graph: Mapping[N, Collection[N]], node: N) -> set[N]:
    """Every node that depends on ``node``, directly or through others."""
    reverse: dict[N, list[N]] = {}
    for child, prerequisites in graph.items():
        for prerequisite in prerequisites:
            reverse.setdefault(prerequisite, []).append(child)
    found: set[N] = set()
    frontier = list(reverse.get(node, ()))
    while frontier:
        current = frontier.pop()
        if current not in found:
            found.add(current)
            frontier.extend(reverse.get(current, ()))
    return found


@dataclass(frozen=True)
class SchedulePlan(Generic[N]):
    """What to do next: tasks to start, in order, and tasks to cancel."""

    start: list[N] = field(default_factory=list)
    cancel: list[N] = field(default_factory=list)
    finished: bool = False


def plan_next(
    graph: Mapping[N, Collection[N]],
    statuses: Mapping[N, TaskStatus],
    concurrency: int,
) -> SchedulePlan[N]:
    """Decide which tasks start next and which are cancelled.

    A task whose prerequisite failed or was cancelled is cancelled (and so, in turn, are its
    own dependents). A pending task starts when every prerequisite succeeded, while fewer
    than ``concurrency`` tasks are queued, running or validating. A prerequisite without a
    status is treated as not finished.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    order = topological_order(graph)
    doomed: set[N] = set()
    for node in order:
        for dep in graph.get(node, ()):
            dep_status = statuses.get(dep)
            if dep in doomed or dep_status in (TaskStatus.FAILED, TaskStatus.CANCELLED):
                doomed.add(node)
                break
    cancel = [node for node in order if node in doomed and not statuses[node].is_final]
    active = sum(1 for node in order if statuses[node].is_active and node not in doomed)
    slots = max(concurrency - active, 0)
    ready = [
        node
        for node in order
        if statuses[node] is TaskStatus.PENDING
        and node not in doomed
        and all(statuses.get(dep) is TaskStatus.SUCCEEDED for dep in graph.get(node, ()))
    ]
    finished = all(statuses[node].is_final or node in doomed for node in order)
    return SchedulePlan(start=ready[:slots], cancel=cancel, finished=finished)
