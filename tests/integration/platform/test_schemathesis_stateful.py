"""Schemathesis's stateful phase: sequences of calls that feed one response into the next.

Schemathesis infers the links between operations from the served /openapi.json (a project's
``id`` from ``POST /projects`` into ``/projects/{project_id}/...``, a task's into
``/tasks/{task_id}/...``), then walks them, as an administrator and as an ordinary user, on
SQLite and PostgreSQL, over a real socket. Checks: no 5xx, status codes the schema documents,
content types and bodies that match it. The walk is fixed (derandomized, the same scenarios on
every run) and bounded: a few scenarios of a few steps each, without shrinking. Every
failing step is collected and reported, not only the first.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.stateful import run_state_machine_as_test

from claude_tui.api import create_app
from claude_tui.api.deps import policy_for
from claude_tui.services import tokens
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from claude_tui.storage.database import Database
from claude_tui.storage.models import Project, ProjectMember, Task, User
from servers import serve_in_thread

#: The schema is generated on the first request: a loaded machine took over 10 s once.
SCHEMA_TIMEOUT = 60

SCENARIOS = 8
STEPS_PER_SCENARIO = 6
# The four runs (two roles, two databases) together add well under a minute to the suite.
BUDGET_SECONDS = 30
# Logout and a password change would end the session the run calls with.
SESSION_ENDING = r"^/api/v1/(auth/logout|users/me/password)$"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


async def _seed(settings: Settings, policy: Any, is_admin: bool) -> str:
    """A user with a session, and a project of theirs with a task for links to start from."""
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            user = User(
                username="walker", email="walker@example.test", password_hash="!", is_admin=is_admin
            )
            session.add(user)
            await session.flush()
            project = Project(name="walked", workspace_path="walked", created_by=user.id)
            session.add(project)
            await session.flush()
            session.add(ProjectMember(project_id=project.id, user_id=user.id, role="maintainer"))
            session.add(Task(project_id=project.id, title="seed", created_by=user.id))
            await session.commit()
            pair = await tokens.start_session(session, policy, user)
    finally:
        await db.dispose()
    return pair.access_token


@pytest.fixture(params=["admin", "user"])
def served(
    make_settings: Callable[..., Settings], database_url: str, request: pytest.FixtureRequest
) -> Iterator[tuple[str, str]]:
    settings = make_settings(database_url=database_url)
    migrate.upgrade(settings.database_url)
    settings.effective_workspace_root.mkdir(parents=True, exist_ok=True)
    app = create_app(settings)
    token = asyncio.run(_seed(settings, policy_for(app), is_admin=request.param == "admin"))
    with serve_in_thread(app) as url:
        yield url, token


@pytest.mark.slow
def test_linked_call_sequences_conform_to_the_schema(
    served: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    base_url, token = served
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(
        f"{base_url}/openapi.json", timeout=SCHEMA_TIMEOUT
    ).exclude(path_regex=SESSION_ENDING)
    calls: list[str] = []
    failures: list[str] = []

    class Walk(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": base_url, "headers": headers, "timeout": 30}

        def after_call(self, response: Any, case: Any) -> None:
            calls.append(f"{case.method} {case.path} -> {response.status_code}")

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            # Recorded, not raised: every failing step is reported, and the walk goes on.
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{case.method} {case.path}: {str(exc)[:2000]}")

    transitions = schema.statistic.transitions.selected
    started = time.monotonic()
    ended_early = ""
    try:
        run_state_machine_as_test(
            Walk,
            settings=settings(
                max_examples=SCENARIOS,
                stateful_step_count=STEPS_PER_SCENARIO,
                derandomize=True,
                database=None,
                deadline=None,
                # No shrinking: it would replay sequences of real calls for minutes, and failures
                # are recorded as they come; derandomize makes them reproduce.
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            ),
        )
    except Flaky as exc:
        # The server's state lives on between scenarios, so a replayed prefix can take another
        # branch; Hypothesis then stops the walk. The calls made until then still count.
        ended_early = f" (ended early: {type(exc).__name__})"
    elapsed = time.monotonic() - started
    operations = {call.rsplit(" -> ", 1)[0] for call in calls}
    with capsys.disabled():
        print(
            f"\nschemathesis stateful: {len(calls)} calls to {len(operations)} operations "
            f"over {transitions} links in {elapsed:.1f}s{ended_early}"
        )
    assert transitions >= 100, "the links between operations were not inferred"
    assert len(calls) >= 3 * SCENARIOS, calls
    assert len(operations) >= 10, sorted(operations)
    assert not failures, "\n\n".join(failures)
    assert elapsed < BUDGET_SECONDS
