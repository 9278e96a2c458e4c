"""The task state machine."""

from __future__ import annotations

import itertools

import pytest

from claude_tui.domain.errors import IllegalTransitionError
from claude_tui.domain.task_status import TRANSITIONS, TaskStatus, check_transition


def test_the_happy_path_is_legal() -> None:
    path = ["pending", "queued", "running", "validating", "succeeded"]
    for current, target in itertools.pairwise(path):
        assert check_transition(current, target) is TaskStatus(target)


def test_validation_can_send_a_task_back_to_running_and_failed_tasks_can_be_retried() -> None:
    assert check_transition("validating", "running") is TaskStatus.RUNNING
    assert check_transition("failed", "pending") is TaskStatus.PENDING
    assert check_transition("cancelled", "pending") is TaskStatus.PENDING


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("pending", "running"),
        ("pending", "succeeded"),
        ("queued", "validating"),
        ("running", "succeeded"),
        ("succeeded", "pending"),
        ("failed", "running"),
    ],
)
def test_illegal_transitions_are_rejected_with_what_is_allowed(current: str, target: str) -> None:
    with pytest.raises(IllegalTransitionError) as info:
        check_transition(current, target)
    message = str(info.value)
    assert f"from '{current}' to '{target}'" in message
    for allowed in TRANSITIONS[TaskStatus(current)]:
        assert allowed.value in message


def test_a_succeeded_task_is_final() -> None:
    with pytest.raises(IllegalTransitionError, match="none"):
        check_transition("succeeded", "failed")
    assert TaskStatus.SUCCEEDED.is_final
    assert not TaskStatus.RUNNING.is_final
    assert TaskStatus.RUNNING.is_active


def test_unknown_status_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="exploded"):
        check_transition("pending", "exploded")
