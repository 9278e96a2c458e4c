"""Roles and the sparc workflow template."""

from __future__ import annotations

import itertools

import pytest

from claude_tui.domain.dag import topological_order
from claude_tui.domain.roles import Action, Role, role_allows
from claude_tui.domain.sparc import SPARC_PHASES, expand_sparc


def test_roles_are_ordered_and_grant_actions_by_rank() -> None:
    assert Role.MAINTAINER.at_least(Role.DEVELOPER)
    assert not Role.VIEWER.at_least(Role.DEVELOPER)
    assert role_allows("viewer", Action.VIEW)
    assert not role_allows("viewer", Action.WRITE_TASKS)
    assert role_allows("developer", Action.RUN_TASKS)
    assert not role_allows("developer", Action.MANAGE_MEMBERS)
    assert all(role_allows("maintainer", action) for action in Action)


def test_sparc_expands_a_goal_into_five_chained_tasks() -> None:
    specs = expand_sparc("  Add a CSV export to the report page  ")
    assert [s.key for s in specs] == list(SPARC_PHASES)
    assert [s.title.split(":")[0] for s in specs] == [
        "Specification",
        "Pseudocode",
        "Architecture",
        "Refinement",
        "Completion",
    ]
    assert specs[0].depends_on == ()
    for before, after in itertools.pairwise(specs):
        assert after.depends_on == (before.key,)
    assert all("Goal: Add a CSV export to the report page" in s.description for s in specs)
    graph = {s.key: s.depends_on for s in specs}
    assert topological_order(graph) == list(SPARC_PHASES)


def test_sparc_shortens_long_goals_in_titles_and_needs_a_goal() -> None:
    spec = expand_sparc("word " * 100)[0]
    assert len(spec.title) <= 200
    assert spec.title.endswith("…")
    with pytest.raises(ValueError, match="goal"):
        expand_sparc("   ")
