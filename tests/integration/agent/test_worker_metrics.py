"""A ``claude-tui worker`` serves its own /metrics with a heartbeat, on the port it is given."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from claude_tui.settings import Settings
from claude_tui.storage import migrate
from servers import RedisServer, free_port


def _worker_env(settings: Settings, redis_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "CLAUDE_TUI_DATA_DIR": str(settings.data_dir),
        "CLAUDE_TUI_DATABASE_URL": settings.database_url,
        "CLAUDE_TUI_REDIS_URL": redis_url,
        "CLAUDE_TUI_AGENT_PROVIDER": "anthropic",
        "CLAUDE_TUI_AGENT_API_KEY": "test-key",
        "CLAUDE_TUI_WORKER_METRICS_PORT": str(port),
        "CLAUDE_TUI_WORKER_HEARTBEAT_SECONDS": "1",
    }


@pytest.mark.redis
def test_worker_exposes_a_heartbeat_and_refuses_a_taken_port(
    make_settings: Callable[..., Settings],
    sqlite_url: str,
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    settings = make_settings(database_url=sqlite_url)
    migrate.upgrade(settings.database_url)
    port = free_port()
    env = _worker_env(settings, redis_server.url, port)
    worker = subprocess.Popen(
        [sys.executable, "-m", "claude_tui", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        beat = 0.0
        while time.monotonic() < deadline and beat <= 0:
            try:
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
            except httpx.HTTPError:
                time.sleep(0.2)
                continue
            for line in text.splitlines():
                if line.startswith("claude_tui_worker_last_heartbeat_timestamp_seconds "):
                    beat = float(line.split()[1])
            time.sleep(0.2)
        assert beat > time.time() - 60, "no heartbeat on the worker's /metrics"

        second = subprocess.run(
            [sys.executable, "-m", "claude_tui", "worker"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 2
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1, second.stderr
        assert "cannot serve worker metrics" in lines[0]
        assert "CLAUDE_TUI_WORKER_METRICS_PORT" in second.stderr
    finally:
        worker.terminate()
        worker.wait(timeout=20)
