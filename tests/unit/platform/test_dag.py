"""DAG rules, with property tests over random graphs."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claude_tui.domain.dag import (
    dependents,
    find_cycle,
    plan_next,
    topological_order,
    with_dependencies,
)
from claude_tui.domain.errors import CycleError
from claude_tui.domain.task_status import TaskStatus


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 12) -> dict[int, tuple[int, ...]]:
    """Random acyclic graphs: a node depends only on nodes with a smaller number."""
    size = draw(st.integers(min_value=1, max_value=max_nodes))
    graph: dict[int, tuple[int, ...]] = {}
    for node in range(size):
        earlier = list(range(node))
        picks = draw(st.lists(st.sampled_from(earlier), unique=True)) if earlier else []
        graph[node] = tuple(picks)
    # Present the nodes shuffled, so no result depends on the numbering.
    keys = draw(st.permutations(list(graph)))
    return {key: graph[key] for key in keys}


def _is_cycle(graph: dict[int, tuple[int, ...]], cycle: list[int]) -> bool:
    return (
        len(cycle) >= 2
        and cycle[0] == cycle[-1]
        and all(b in graph[a] for a, b in itertools.pairwise(cycle))
    )


# The CPU is shared with other test workers: time limits would make these flaky, not stricter.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(dags())
def test_acyclic_graphs_have_no_cycle_and_an_order_that_respects_dependencies(
    graph: dict[int, tuple[int, ...]],
) -> None:
    assert find_cycle(graph) is None
    order = topological_order(graph)
    assert sorted(order) == sorted(graph)
    position = {node: index for index, node in enumerate(order)}
    for node, prerequisites in graph.items():
        assert all(position[dep] < position[node] for dep in prerequisites)


@RELAXED
@given(dags(), st.data())
def test_a_back_edge_makes_a_cycle_that_is_named(
    graph: dict[int, tuple[int, ...]], data: st.DataObject
) -> None:
    nodes = sorted(graph)
    low = data.draw(st.sampled_from(nodes))
    high = data.draw(st.sampled_from([n for n in nodes if n >= low]))
    # Make ``high`` reachable from ``low`` through a chain, then close the loop.
    chain = dict(graph)
    for node in range(low + 1, high + 1):
        chain[node] = (*chain[node], node - 1)
    looped = with_dependencies(chain, low, (*chain[low], high))
    cycle = find_cycle(looped)
    assert cycle is not None
    assert _is_cycle(looped, cycle)
    with pytest.raises(CycleError) as info:
        topological_order(looped)
    assert " -> ".join(f"task {n}" for n in info.value.cycle) in str(info.value)


def test_cycle_message_names_every_task_in_order() -> None:
    with pytest.raises(CycleError, match="task 1 -> task 2 -> task 3 -> task 1"):
        topological_order({1: (2,), 2: (3,), 3: (1,)})
    assert find_cycle({7: (7,)}) == [7, 7]


def test_deep_chains_do_not_hit_the_recursion_limit() -> None:
    chain = {n: ((n - 1,) if n else ()) for n in range(5000)}
    assert topological_order(chain)[:3] == [0, 1, 2]
    assert len(dependents(chain, 0)) == 4999


@given(dags(), st.integers(min_value=1, max_value=4), st.data())
@settings(RELAXED, max_examples=150)
def test_simulated_runs_respect_dependencies_concurrency_and_failures(
    graph: dict[int, tuple[int, ...]], concurrency: int, data: st.DataObject
) -> None:
    """Drive a whole workflow with the planner: every rule holds at every step."""
    failing = set(data.draw(st.lists(st.sampled_from(sorted(graph)), unique=True, max_size=3)))
    status = dict.fromkeys(graph, TaskStatus.PENDING)
    for _ in range(4 * len(graph) + 4):
        plan = plan_next(graph, status, concurrency)
        for node in plan.cancel:
            assert not status[node].is_final
            status[node] = TaskStatus.CANCELLED
        for node in plan.start:
            assert status[node] is TaskStatus.PENDING
            assert all(status[d] is TaskStatus.SUCCEEDED for d in graph[node])
            status[node] = TaskStatus.RUNNING
        assert sum(s.is_active for s in status.values()) <= concurrency
        if plan.finished:
            break
        # Finish one running task per step, so concurrency is really exercised.
        running = [n for n, s in status.items() if s is TaskStatus.RUNNING]
        if running:
            done = data.draw(st.sampled_from(running))
            status[done] = TaskStatus.FAILED if done in failing else TaskStatus.SUCCEEDED
    assert all(s.is_final for s in status.values()), status
    for node, final in status.items():
        blocked = any(f in failing and node in dependents(graph, f) for f in failing)
        if node in failing and not blocked:
            assert final is TaskStatus.FAILED
        elif blocked:
            assert final is TaskStatus.CANCELLED
        else:
            assert final is TaskStatus.SUCCEEDED


def test_a_failed_task_cancels_its_dependents_but_not_independent_work() -> None:
    graph = {"a": (), "b": ("a",), "c": ("b",), "d": ()}
    status = {
        "a": TaskStatus.FAILED,
        "b": TaskStatus.PENDING,
        "c": TaskStatus.PENDING,
        "d": TaskStatus.PENDING,
    }
    plan = plan_next(graph, status, 2)
    assert plan.cancel == ["b", "c"]
    assert plan.start == ["d"]
    assert not plan.finished


def test_concurrency_counts_active_tasks_and_unknown_prerequisites_block() -> None:
    graph = {1: (), 2: (), 3: (), 4: (99,)}
    status = {
        1: TaskStatus.RUNNING,
        2: TaskStatus.PENDING,
        3: TaskStatus.PENDING,
        4: TaskStatus.PENDING,
    }
    assert plan_next(graph, status, 2).start == [2]
    assert plan_next(graph, status, 1).start == []
    with pytest.raises(ValueError, match="concurrency"):
        plan_next(graph, status, 0)
