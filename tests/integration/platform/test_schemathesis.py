"""Property-based API test with Schemathesis against the served /openapi.json.

Authenticated as an administrator (who may reach every project) and as an ordinary user (a
maintainer of one project, for whom administrators' routes and other projects are refused),
over a real socket. Checks:
no 5xx, status codes the schema documents, content types and bodies that match the schema.
Bounded in time by a small number of examples per operation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

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

EXAMPLES_PER_OPERATION = 12
# A fixed seed: the same cases on every run, so that a failure in CI reproduces locally.
SEED = 20261207
# The operations of projects, members, tasks (with the agent's task operations), workflows,
# events, audits, validation reports and templates, exactly.
PLATFORM_PATHS = (
    r"^/api/v1/("
    r"projects(/\{project_id\}(/(members(/\{user_id\})?|tasks|workflows|events|audits"
    r"|validations))?)?"
    r"|tasks(/\{task_id\}(/(status|cancel|approvals|diff|undo))?)?"
    r"|workflows(/\{workflow_id\}(/schedule)?)?"
    r"|templates(/\{name\}(/projects)?)?"
    r")$"
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


async def _seed(settings: Settings, policy: Any, is_admin: bool) -> str:
    """A user with a session, and a project of theirs with a task for ids to find."""
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            admin = User(
                username="fuzz", email="fuzz@example.test", password_hash="!", is_admin=is_admin
            )
            session.add(admin)
            await session.flush()
            project = Project(name="fuzzed", workspace_path="fuzzed", created_by=admin.id)
            session.add(project)
            await session.flush()
            session.add(ProjectMember(project_id=project.id, user_id=admin.id, role="maintainer"))
            session.add(Task(project_id=project.id, title="seed", created_by=admin.id))
            await session.commit()
            pair = await tokens.start_session(session, policy, admin)
    finally:
        await db.dispose()
    return pair.access_token


@pytest.fixture(params=["admin", "user"])
def served(
    make_settings: Callable[..., Settings], database_url: str, request: pytest.FixtureRequest
) -> Iterator[tuple[str, str]]:
    """The app over a real socket, on each database: PostgreSQL refuses input SQLite takes."""
    settings = make_settings(database_url=database_url)
    migrate.upgrade(settings.database_url)
    settings.effective_workspace_root.mkdir(parents=True, exist_ok=True)
    app = create_app(settings)
    token = asyncio.run(_seed(settings, policy_for(app), is_admin=request.param == "admin"))
    with serve_in_thread(app) as url:
        yield url, token


@pytest.mark.slow
def test_platform_api_conforms_to_its_schema(
    served: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    base_url, token = served
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(
        f"{base_url}/openapi.json", timeout=SCHEMA_TIMEOUT
    ).include(path_regex=PLATFORM_PATHS)
    cases = 0
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @seed(SEED)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case: Any) -> None:
            nonlocal cases
            cases += 1
            response = case.call(base_url=base_url, headers=headers, timeout=30)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            exercise()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:2000]}")
    with capsys.disabled():
        print(f"\nschemathesis: {cases} generated cases over {operations} operations")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)


# The coverage phase: every boundary and every invalid value the schema defines (missing required
# fields, values just past each limit, wrong types), for every platform operation, as each role on
# each database. Deterministic by construction, so a failure reproduces exactly.


@pytest.fixture
def coverage_schema(served: tuple[str, str]) -> Any:
    base_url, token = served
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", timeout=SCHEMA_TIMEOUT)
    schema.config.phases.update(phases=["coverage"])
    schema.config.update(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
    return schema


# The platform's operations (the identity ones, which end sessions, have their own suite).
# With the workspace files, the dashboard, the agent's status and its task creation, validation
# reports and the operations endpoints.
COVERAGE_PATHS = (
    PLATFORM_PATHS
    + r"|^/api/v1/(projects/\{project_id\}/(files(/content)?|agent-tasks)|dashboard|agent/status"
    + r"|validations)$|^/(health|ready|version)$"
)
lazy = schemathesis.pytest.from_fixture("coverage_schema").include(path_regex=COVERAGE_PATHS)


@pytest.mark.slow
@lazy.parametrize()
def test_every_boundary_the_schema_defines_is_answered_as_documented(case: Any) -> None:
    case.call_and_validate(checks=CHECKS, timeout=30)
