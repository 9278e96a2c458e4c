"""Client addresses behind a proxy: ``X-Forwarded-For`` counts only from configured proxies.

A real ``claude-tui serve`` answers on loopback; the login limiter keys on the address the
server believes, so its 429s show whose address that was.
"""

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
from tests.servers import free_port

pytestmark = pytest.mark.slow

Serve = Callable[[dict[str, str]], str]
PER_ADDRESS = 5


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start ``claude-tui serve`` with extra settings; yield its base URL."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(extra: dict[str, str]) -> str:
        env = {
            **os.environ,
            "CLAUDE_TUI_DATA_DIR": str(tmp_path / f"data-{len(procs)}"),
            "CLAUDE_TUI_SECRET_KEY": secrets.token_urlsafe(48),
            "CLAUDE_TUI_LOGIN_RATE_PER_ADDRESS": f"{PER_ADDRESS}/minute",
            "CLAUDE_TUI_LOGIN_RATE_PER_ACCOUNT": "100/minute",
            "CLAUDE_TUI_LOG_LEVEL": "WARNING",
            **extra,
        }
        for key in ("CLAUDE_TUI_DATABASE_URL", "CLAUDE_TUI_REDIS_URL", "CLAUDE_TUI_ENV"):
            env.pop(key, None)
        if "CLAUDE_TUI_FORWARDED_ALLOW_IPS" not in extra:
            env.pop("CLAUDE_TUI_FORWARDED_ALLOW_IPS", None)
        # uvicorn's own variable must not decide it either.
        env["FORWARDED_ALLOW_IPS"] = "*"
        migrated = subprocess.run(
            [sys.executable, "-m", "claude_tui", "db", "upgrade"],
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert migrated.returncode == 0, migrated.stderr
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "claude_tui", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    return url
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise AssertionError(proc.communicate()[1].decode())
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.1)

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=30)


def _logins(url: str, forwarded_for: list[str]) -> list[int]:
    """One failed login per header value, each for another account name."""
    statuses = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for index, address in enumerate(forwarded_for):
            response = client.post(
                "/api/v1/auth/token",
                data={"username": f"nobody{index}", "password": "wrong-password-1"},
                headers={"X-Forwarded-For": address},
            )
            statuses.append(response.status_code)
    return statuses


def test_by_default_rotating_forwarded_headers_from_loopback_are_ignored(serve: Serve) -> None:
    url = serve({})
    statuses = _logins(url, [f"203.0.113.{n}" for n in range(1, 13)])
    assert statuses[:PER_ADDRESS] == [401] * PER_ADDRESS
    assert statuses[PER_ADDRESS:] == [429] * (12 - PER_ADDRESS), statuses


def test_a_configured_proxy_is_trusted_for_the_client_address(serve: Serve) -> None:
    url = serve({"CLAUDE_TUI_FORWARDED_ALLOW_IPS": "127.0.0.0/8, ::1"})
    # Twelve people behind the proxy: none is limited by another's failures.
    assert _logins(url, [f"203.0.113.{n}" for n in range(1, 13)]) == [401] * 12
    # One person behind it is still limited.
    statuses = _logins(url, ["198.51.100.7"] * 8)
    assert statuses == [401] * PER_ADDRESS + [429] * (8 - PER_ADDRESS), statuses


def test_an_untrusted_peer_is_not_believed_even_with_a_proxy_configured(serve: Serve) -> None:
    url = serve({"CLAUDE_TUI_FORWARDED_ALLOW_IPS": "192.0.2.10"})
    statuses = _logins(url, [f"203.0.113.{n}" for n in range(1, 9)])
    assert statuses == [401] * PER_ADDRESS + [429] * (8 - PER_ADDRESS), statuses


def test_a_malformed_proxy_setting_is_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CLAUDE_TUI_DATA_DIR": str(tmp_path / "data"),
        "CLAUDE_TUI_FORWARDED_ALLOW_IPS": "10.0.0.0/8, not-an-address",
    }
    result = subprocess.run(
        [sys.executable, "-m", "claude_tui", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "forwarded_allow_ips" in lines[0]
    assert "not-an-address" in lines[0]
