"""Schemathesis against the identity and server-settings operations, served on PostgreSQL.

PostgreSQL is the stricter backend (integer ranges, NUL characters), so a fuzzed value that
only SQLite would swallow shows up here. Authenticated as an administrator; logout is left
out because it would end the session the run uses. Checks: no 5xx, documented status codes,
content types and bodies that match the schema.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from claude_tui.api import create_app
from claude_tui.api.deps import policy_for
from claude_tui.services import identity, tokens
from claude_tui.services.principal import Principal
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from claude_tui.storage.database import Database
from claude_tui.storage.models import User
from servers import serve_in_thread

#: The schema is generated on the first request: a loaded machine took over 10 s once.
SCHEMA_TIMEOUT = 60

EXAMPLES_PER_OPERATION = 15
IDENTITY_PATHS = (
    r"^/api/v1/("
    r"auth/(token|refresh)"
    r"|users(/me(/password)?|/\{user_id\})?"
    r"|api-keys(/\{key_id\})?"
    r"|audit"
    r"|settings/provider(/api-key)?"
    r")$"
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


async def _token(settings: Settings, policy: Any, is_admin: bool) -> str:
    db = Database(settings.database_url)
    operator = Principal(user_id=0, username="fuzz-operator", is_admin=True, via="local")
    try:
        async with db.session() as session:
            view = await identity.create_user(
                session,
                operator,
                username="fuzz-admin" if is_admin else "fuzz-user",
                email="fuzz-admin@example.test" if is_admin else "fuzz-user@example.test",
                password="Fuzzing-passphrase-1",
                is_admin=is_admin,
            )
            user = await session.get(User, view.id)
            assert user is not None
            pair = await tokens.start_session(session, policy, user)
    finally:
        await db.dispose()
    return pair.access_token


@pytest.fixture(params=["admin", "user"])
def served(
    make_settings: Callable[..., Settings], database_url: str, request: pytest.FixtureRequest
) -> Iterator[tuple[str, str]]:
    """The app over a real socket, on each database, as an administrator and as a plain user."""
    settings = make_settings(database_url=database_url)
    migrate.upgrade(settings.database_url)
    app = create_app(settings)
    token = asyncio.run(_token(settings, policy_for(app), is_admin=request.param == "admin"))
    with serve_in_thread(app) as url:
        yield url, token


@pytest.mark.slow
def test_identity_api_conforms_to_its_schema(
    served: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    base_url, token = served
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(
        f"{base_url}/openapi.json", timeout=SCHEMA_TIMEOUT
    ).include(path_regex=IDENTITY_PATHS)
    cases = 0
    operations = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

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
        # Schemathesis reports failures as a BaseExceptionGroup: collect every operation's.
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {str(exc)[:2000]}")
    with capsys.disabled():
        print(f"\nschemathesis (identity): {cases} generated cases over {operations} operations")
    assert operations == 15
    assert not failures, "\n\n".join(failures)


# The coverage phase: every boundary and every invalid value the schema defines, for every
# identity operation. Deterministic by construction, so a failure reproduces exactly.
@pytest.fixture
def coverage_schema(served: tuple[str, str]) -> Any:
    base_url, token = served
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", timeout=SCHEMA_TIMEOUT)
    schema.config.phases.update(phases=["coverage"])
    schema.config.update(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
    return schema


lazy = schemathesis.pytest.from_fixture("coverage_schema").include(path_regex=IDENTITY_PATHS)


@pytest.mark.slow
@lazy.parametrize()
def test_every_identity_boundary_the_schema_defines_is_answered_as_documented(case: Any) -> None:
    case.call_and_validate(checks=CHECKS, timeout=30)
