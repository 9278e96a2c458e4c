"""A real `claude-tui worker` answers its liveness and readiness probes from its queue heartbeat."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from claude_tui.settings import Settings
from claude_tui.storage import migrate
from model_server import ModelServer
from servers import RedisServer, ServiceUnavailable, free_port, unavailable, wait_for_port

pytestmark = [pytest.mark.redis, pytest.mark.slow]

HEARTBEAT_SECONDS = 0.5


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    """A Redis of this test alone: the test stops it."""
    try:
        server = RedisServer().start()
    except ServiceUnavailable as exc:
        unavailable(str(exc))
        raise AssertionError("unreachable") from exc
    yield server
    server.destroy()


def _probe(url: str) -> tuple[int, str]:
    try:
        response = httpx.get(url, timeout=5)
    except httpx.HTTPError as exc:
        return 0, str(exc)
    return response.status_code, response.text


def _wait_for(url: str, status: int, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    last: tuple[int, str] = (0, "")
    while time.monotonic() < deadline:
        last = _probe(url)
        if last[0] == status:
            return last[1]
        time.sleep(0.2)
    raise AssertionError(f"{url} answered {last} for {seconds:g}s, not {status}")


def test_probes_follow_the_heartbeat_of_the_queue(
    make_settings: Callable[..., Settings],
    sqlite_url: str,
    redis: RedisServer,
    model_server: ModelServer,
    tmp_path: Path,
) -> None:
    settings = make_settings(database_url=sqlite_url)
    migrate.upgrade(settings.database_url)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_TUI_")}
    env.update(
        {
            "CLAUDE_TUI_DATA_DIR": str(settings.data_dir),
            "CLAUDE_TUI_DATABASE_URL": settings.database_url,
            "CLAUDE_TUI_REDIS_URL": redis.url,
            "CLAUDE_TUI_SECRET_KEY": secrets.token_urlsafe(48),
            "CLAUDE_TUI_AGENT_PROVIDER": "anthropic",
            "CLAUDE_TUI_AGENT_API_KEY": "test-key",
            "CLAUDE_TUI_AGENT_BASE_URL": model_server.base_url,
            "CLAUDE_TUI_WORKER_METRICS_PORT": str(port),
            "CLAUDE_TUI_WORKER_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        }
    )
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "claude_tui", "worker", "--concurrency", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # A loaded shared machine can take long to import the worker.
        try:
            wait_for_port(port, timeout=180)
        except ServiceUnavailable:
            pytest.fail(f"the worker never listened: {log.read_text()[-3000:]}")
        assert "last heartbeat" in _wait_for(f"{base}/ready", 200, 30)
        assert _probe(f"{base}/health")[0] == 200
        metrics = httpx.get(f"{base}/metrics", timeout=5)
        assert "claude_tui_worker_last_heartbeat_timestamp_seconds" in metrics.text

        # The queue goes away: first not ready (3 missed beats), then not live (6).
        redis.stop()
        lost = time.monotonic()
        assert "stale after 1.5s" in _wait_for(f"{base}/ready", 503, 30)
        assert _probe(f"{base}/health")[0] == 200, "liveness tolerates more than readiness"
        assert "stale after 3s" in _wait_for(f"{base}/health", 503, 30)
        assert time.monotonic() - lost >= 3 * HEARTBEAT_SECONDS
        assert worker.poll() is None, "losing the queue is for the probes to report, not a crash"

        # The queue is back: the same worker is ready again without a restart.
        redis.start()
        _wait_for(f"{base}/ready", 200, 60)
        assert _probe(f"{base}/health")[0] == 200
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
