"""Cost of authentication: password login, token refresh, and an authenticated request.

Run: ``.venv/bin/python benchmarks/identity/bench_auth.py [--requests N]``. Drives the real app
in process (SQLite in a temp dir, no network) and reports medians and 95th percentiles of:
a password login (Argon2 dominates), a refresh, and ``GET /api/v1/users/me`` with a JWT
access token and with an API key (the per-request cost of ``current_principal``). Also
records the machine's load, since other work on a shared machine skews every number.
Results go to benchmarks/results/identity.json and .md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from claude_tui.api import create_app
from claude_tui.services import identity
from claude_tui.services.principal import Principal
from claude_tui.settings import Settings
from claude_tui.storage import migrate

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
PASSWORD = "Measured-passphrase-1"


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "runs": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(p95 * 1000, 3),
    }


async def _timed(runs: int, call: Callable[[], Awaitable[httpx.Response]]) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = await call()
        samples.append(time.perf_counter() - start)
        assert response.status_code < 300, response.text
    return samples


async def measure(data_dir: Path, requests: int, logins: int) -> dict[str, Any]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        secret_key=secrets.token_urlsafe(48),
        log_level="WARNING",
        # The benchmark logs in repeatedly from one address on purpose.
        login_rate_per_address="100000/minute",
        login_rate_per_account="100000/minute",
    )
    migrate.upgrade(settings.database_url)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        operator = Principal(user_id=0, username="bench", is_admin=True, via="local")
        async with app.state.db.session() as session:
            await identity.create_user(
                session, operator, username="bench", email="bench@example.test", password=PASSWORD
            )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def login() -> httpx.Response:
                return await client.post(
                    "/api/v1/auth/token", data={"username": "bench", "password": PASSWORD}
                )

            await login()  # warm-up: imports, first connection, first hash
            login_samples = await _timed(logins, login)
            pair = (await login()).json()
            jwt_headers = {"Authorization": f"Bearer {pair['access_token']}"}
            key = (
                await client.post(
                    "/api/v1/api-keys", json={"name": "bench", "scopes": ["*"]}, headers=jwt_headers
                )
            ).json()["key"]
            key_headers = {"X-API-Key": key}
            refresh_token = pair["refresh_token"]

            async def refresh() -> httpx.Response:
                nonlocal refresh_token
                response = await client.post(
                    "/api/v1/auth/refresh", json={"refresh_token": refresh_token}
                )
                refresh_token = response.json()["refresh_token"]
                return response

            refresh_samples = await _timed(max(10, requests // 10), refresh)

            async def me_with_jwt() -> httpx.Response:
                return await client.get("/api/v1/users/me", headers=jwt_headers)

            async def me_with_key() -> httpx.Response:
                return await client.get("/api/v1/users/me", headers=key_headers)

            async def health() -> httpx.Response:
                return await client.get("/health")

            # Alternate the kinds so drifting machine load hits each alike.
            jwt_samples: list[float] = []
            key_samples: list[float] = []
            bare_samples: list[float] = []
            for _ in range(requests // 10):
                jwt_samples += await _timed(10, me_with_jwt)
                key_samples += await _timed(10, me_with_key)
                bare_samples += await _timed(10, health)
    return {
        "password_login": _summary(login_samples),
        "refresh": _summary(refresh_samples),
        "users_me_with_jwt": _summary(jwt_samples),
        "users_me_with_api_key": _summary(key_samples),
        "health_unauthenticated": _summary(bare_samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--logins", type=int, default=15)
    args = parser.parse_args()
    cpu_before = time.process_time()
    with tempfile.TemporaryDirectory(prefix="ctui-bench-auth-") as tmp:
        results = asyncio.run(measure(Path(tmp) / "data", args.requests, args.logins))
    report = {
        "benchmark": "identity",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpu_seconds": round(time.process_time() - cpu_before, 2),
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "identity.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Identity: cost of authentication",
        "",
        f"In process, SQLite, Python {report['python']}, {report['cpus']} CPUs, "
        f"load average {report['load_average_1m']} during the run.",
        "",
        "| operation | runs | median (ms) | p95 (ms) |",
        "|---|---|---|---|",
    ]
    for name, stats in results.items():
        lines.append(f"| {name} | {stats['runs']} | {stats['median_ms']} | {stats['p95_ms']} |")
    (RESULTS / "identity.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
