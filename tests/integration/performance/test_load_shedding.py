"""Past its concurrency limit a real server sheds load with 503 + Retry-After, then recovers."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from tests.servers import free_port

pytestmark = pytest.mark.slow

PASSWORD = "Shed-load-9-gracefully"
Served = Callable[[int, float], tuple[str, dict[str, str]]]


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claude_tui", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """Start ``claude-tui serve`` with a concurrency limit; yield its URL and auth header."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(limit: int, queue_seconds: float) -> tuple[str, dict[str, str]]:
        data = tmp_path / f"data-{len(procs)}"
        env = {
            **os.environ,
            "CLAUDE_TUI_DATA_DIR": str(data),
            "CLAUDE_TUI_SECRET_KEY": secrets.token_urlsafe(48),
            "CLAUDE_TUI_MAX_CONCURRENT_REQUESTS": str(limit),
            "CLAUDE_TUI_REQUEST_QUEUE_SECONDS": str(queue_seconds),
            "CLAUDE_TUI_LOG_LEVEL": "WARNING",
        }
        for key in ("CLAUDE_TUI_DATABASE_URL", "CLAUDE_TUI_REDIS_URL", "CLAUDE_TUI_ENV"):
            env.pop(key, None)
        _cli(env, "db", "upgrade")
        _cli(
            env,
            "users",
            "create-admin",
            "--username",
            "shedder",
            "--email",
            "shedder@example.test",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "claude_tui", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.1)
        token = httpx.post(
            f"{url}/api/v1/auth/token",
            data={"username": "shedder", "password": PASSWORD},
            timeout=30,
        )
        assert token.status_code == 200, token.text
        return url, {"Authorization": f"Bearer {token.json()['access_token']}"}

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=30)


async def _burst(url: str, headers: dict[str, str], count: int) -> list[httpx.Response]:
    """``count`` requests at once, each on its own connection."""
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as c:
        return await asyncio.gather(
            *(c.get("/api/v1/tasks", params={"limit": 100}) for _ in range(count))
        )


def _shed_count(url: str) -> float:
    text = httpx.get(f"{url}/metrics", timeout=10).text
    found = re.findall(r'^claude_tui_http_requests_shed_total\{reason="(\w+)"\} (\S+)$', text, re.M)
    return sum(float(value) for _, value in found)


def test_over_the_limit_requests_get_503_then_the_server_recovers(served: Served) -> None:
    url, headers = served(2, 0)
    assert _shed_count(url) == 0

    answers = asyncio.run(_burst(url, headers, 60))

    statuses = [r.status_code for r in answers]
    assert set(statuses) <= {200, 503}, statuses
    shed = [r for r in answers if r.status_code == 503]
    assert shed, "60 concurrent requests against a limit of 2 were all served"
    assert statuses.count(200) >= 2
    for response in shed:
        assert response.headers["retry-after"] == "1"
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 503
        assert body["request_id"] == response.headers["x-request-id"]
    assert _shed_count(url) == len(shed)
    # Refused requests count as server errors of their own route: the availability SLO sees them.
    text = httpx.get(f"{url}/metrics", timeout=10).text
    assert re.search(
        r'^claude_tui_http_requests_total\{method="GET",route="<shed>",status_class="5xx"\} '
        + f"{len(shed)}(\\.0)?$",
        text,
        re.M,
    ), text
    # Health, readiness and metrics stay answerable while requests are shed.
    assert httpx.get(f"{url}/ready", timeout=10).status_code == 200

    # Load drops: every request is served again, and no slot was left taken.
    for _ in range(3):
        calm = asyncio.run(_burst(url, headers, 2))
        assert [r.status_code for r in calm] == [200, 200]
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        assert all(client.get("/api/v1/projects").status_code == 200 for _ in range(20))
    assert _shed_count(url) == len(shed)


def test_a_short_queue_absorbs_a_burst_that_fits_in_it(served: Served) -> None:
    url, headers = served(2, 30)

    answers = asyncio.run(_burst(url, headers, 3))

    assert [r.status_code for r in answers] == [200, 200, 200]
    assert _shed_count(url) == 0


def test_a_burst_beyond_the_queue_is_shed_as_full(served: Served) -> None:
    url, headers = served(1, 30)

    answers = asyncio.run(_burst(url, headers, 40))

    statuses = [r.status_code for r in answers]
    assert statuses.count(503) > 0, statuses
    text = httpx.get(f"{url}/metrics", timeout=10).text
    assert 'claude_tui_http_requests_shed_total{reason="queue_full"}' in text
    assert httpx.get(f"{url}/api/v1/tasks", headers=headers, timeout=30).status_code == 200


async def _closed_loop(
    url: str, headers: dict[str, str], clients: int, seconds: float
) -> list[int]:
    """``clients`` keep-alive clients, each sending its next request once answered."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    statuses: list[int] = []
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as c:
        deadline = time.monotonic() + seconds

        async def client() -> None:
            while time.monotonic() < deadline:
                response = await c.get("/api/v1/tasks", params={"limit": 50})
                statuses.append(response.status_code)

        await asyncio.gather(*(client() for _ in range(clients)))
    return statuses


def test_as_many_clients_as_slots_are_never_shed(served: Served) -> None:
    """A slot is free once its answer is sent, not when the request's session is closed."""
    url, headers = served(3, 0)

    statuses = asyncio.run(_closed_loop(url, headers, 3, 6))

    assert len(statuses) > 30, "too few requests to tell"
    assert statuses.count(503) == 0, f"{statuses.count(503)} of {len(statuses)} shed"
    assert set(statuses) == {200}
    assert _shed_count(url) == 0
