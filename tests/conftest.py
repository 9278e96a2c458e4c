"""Shared fixtures: settings in temp dirs, real PostgreSQL and Redis, the app and a client."""

from __future__ import annotations

import os
import secrets
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from claude_tui.api import create_app
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from servers import (
    REQUIRE_ENV,
    PostgresServer,
    RedisServer,
    ServiceUnavailable,
    require_sandbox,
    services_required,
    unavailable,
)


def pytest_configure(config: pytest.Config) -> None:
    # Tests stay on loopback: a project without a virtualenv runs its tests with claude-tui's
    # interpreter instead of one installed from the package index (the tests of that build use
    # a local wheelhouse and ask for it explicitly).
    os.environ.setdefault("CLAUDE_TUI_VALIDATION_INSTALL_TEST_ENV", "false")
    config.addinivalue_line(
        "markers",
        "sandbox: runs untrusted code in the bubblewrap sandbox (skipped, or failed in CI, "
        "when bwrap cannot start one)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Either spelling selects the same tests: ``-m sandbox`` also finds fixture users.
    for item in items:
        if "sandbox_required" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.sandbox)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("sandbox") is not None:
        require_sandbox()


@pytest.fixture
def sandbox_required() -> None:
    """Skip, or fail under CLAUDE_TUI_REQUIRE_SERVICES=1, unless bwrap can sandbox here."""
    require_sandbox()


def _tier(nodeid: str) -> str:
    """``tests/integration/agent/test_loop.py::t`` -> ``integration/agent``."""
    parts = nodeid.split("::")[0].split("/")
    if parts and parts[0] == "tests":
        parts = parts[1:]
    return "/".join(parts[:2] if len(parts) > 2 else parts[:1]) or "tests"


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    # A skip's longrepr is (path, line, "Skipped: reason"); through xdist it may be a list.
    if isinstance(longrepr, tuple | list) and len(longrepr) == 3:
        reason = str(longrepr[2])
    else:
        reason = str(longrepr)
    return reason.removeprefix("Skipped: ").strip()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Every skipped tier with its reasons, grouped, so that nothing is skipped silently."""
    reports = terminalreporter.stats.get("skipped", [])
    by_tier: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for report in reports:
        by_tier[_tier(report.nodeid)][_skip_reason(report)] += 1
    if not by_tier:
        return
    total = sum(sum(reasons.values()) for reasons in by_tier.values())
    terminalreporter.write_sep("=", f"skipped tiers: {total} tests, by tier and reason")
    for tier in sorted(by_tier):
        for index, (reason, count) in enumerate(by_tier[tier].most_common()):
            name = tier if index == 0 else ""
            terminalreporter.write_line(f"{name:<24} {count:>4} skipped  {reason}")
    if not services_required():
        terminalreporter.write_line(
            f"(with {REQUIRE_ENV}=1, as in CI, a missing tool or server is a failure instead)"
        )


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Undo a test's ``configure_logging``: its handlers may write to a stream that closes.

    A command run in-process (Typer's runner) sets up logging on the runner's captured
    stdout; left in place, later log records in the same worker fail on the closed stream.
    """
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer().start()
    except ServiceUnavailable as exc:
        unavailable(str(exc))
        raise AssertionError("unreachable") from exc
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    try:
        server = RedisServer().start()
    except ServiceUnavailable as exc:
        unavailable(str(exc))
        raise AssertionError("unreachable") from exc
    yield server
    server.destroy()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    return postgres_server.url(postgres_server.create_database())


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'claude-tui.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend the platform supports."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'claude-tui.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.url(server.create_database())


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings isolated in a temp dir; keyword arguments override fields."""

    def factory(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path / "data",
            "secret_key": secrets.token_urlsafe(48),
            "log_format": "json",
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return factory


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url=database_url)


@pytest.fixture
def migrated_settings(settings: Settings) -> Settings:
    migrate.upgrade(settings.database_url)
    return settings


@pytest.fixture
async def app(migrated_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(migrated_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
        yield ac


# Identity fixtures, for every test that calls the API as somebody.
#
# ``make_user``      async factory: ``await make_user()`` creates an account through the real
#                    identity service and opens a real session for it. Keyword arguments:
#                    ``username`` (default: generated), ``is_admin`` (False), ``password``
#                    (default: a random valid one), ``email``. Returns an ``AuthUser`` with
#                    ``id``, ``username``, ``password``, ``access_token``, ``refresh_token``
#                    and ``headers`` = ``{"Authorization": "Bearer <access token>"}``.
# ``admin``          an administrator made by ``make_user(is_admin=True)``.
# ``admin_headers``  the ``Authorization`` headers of ``admin``.
#
# Both use the ``app`` fixture, so they run on SQLite and on PostgreSQL with ``database_url``.


@dataclass(frozen=True)
class AuthUser:
    """An account created for a test, with a live session."""

    id: int
    username: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@pytest.fixture
def make_user(app: FastAPI) -> Callable[..., Awaitable[AuthUser]]:
    """Factory creating users through the identity service; see the notes above."""
    from claude_tui.api.deps import policy_for
    from claude_tui.services import identity, tokens
    from claude_tui.services.principal import Principal
    from claude_tui.storage.models import User

    operator = Principal(user_id=0, username="test-operator", is_admin=True, via="local")

    async def factory(
        username: str | None = None,
        *,
        is_admin: bool = False,
        password: str | None = None,
        email: str | None = None,
    ) -> AuthUser:
        name = username or f"user-{secrets.token_hex(4)}"
        secret = password or f"Pw-{secrets.token_urlsafe(18)}"
        async with app.state.db.session() as session:
            view = await identity.create_user(
                session,
                operator,
                username=name,
                email=email or f"{name}@example.test",
                password=secret,
                is_admin=is_admin,
            )
            user = await session.get(User, view.id)
            assert user is not None
            pair = await tokens.start_session(session, policy_for(app), user)
        return AuthUser(view.id, view.username, secret, pair.access_token, pair.refresh_token)

    return factory


@pytest.fixture
async def admin(make_user: Callable[..., Awaitable[AuthUser]]) -> AuthUser:
    return await make_user(is_admin=True)


@pytest.fixture
def admin_headers(admin: AuthUser) -> dict[str, str]:
    return admin.headers
