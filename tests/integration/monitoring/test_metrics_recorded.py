"""Every metric of the catalogue is recorded by the running platform, and the security alerts fire.

A real API (`claude-tui serve`) and a real worker (`claude-tui worker`) share a database and a
Redis server; a scripted model server stands in for the provider. A scripted session logs in
well and badly, locks an account out, reuses a refresh token, meets a login rate limit,
overloads the server, runs tasks to success, failure and cancellation, validates, audits and
follows events over Server-Sent Events and a WebSocket. The expositions of both processes must
then hold a sample of every metric the catalogue defines. Against a live Prometheus scraping the
API with the committed rule files, each security alert's condition is provoked and the alert
seen.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import redis
from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.parser import text_string_to_metric_families
from websockets.sync.client import connect as ws_connect

from claude_tui.observability import metrics
from model_server import HttpError, ModelServer, Reply, Stall, ToolUse
from monitoring_stack import PrometheusServer, scratch_dir, tool
from servers import RedisServer, ServiceUnavailable, free_port, unavailable, wait_for_port

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.xdist_group("metrics-recorded")]

CLI = [sys.executable, "-m", "claude_tui"]
ADMIN = "operator"
ADMIN_PASSWORD = "Correct-horse-battery-9-staple"
LOCKOUT_FAILURES = 3
RATE_PER_ACCOUNT = 4
RATE_PER_ADDRESS = 20
FINAL = ("succeeded", "failed", "cancelled")
FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}

#: Metrics of the catalogue that no test can make this platform produce, and why.
NOT_PRODUCIBLE: dict[str, str] = {}


# --- the catalogue and the expositions ------------------------------------------------------


def catalogue() -> dict[str, bool]:
    """Every metric family the catalogue module defines -> whether it carries labels."""
    families: dict[str, bool] = {}
    for value in vars(metrics).values():
        if isinstance(value, Counter | Gauge | Histogram):
            for family in value.describe():
                families[family.name] = bool(value._labelnames)
        elif (
            not isinstance(value, type)
            and type(value).__module__ == metrics.__name__
            and callable(getattr(value, "collect", None))
        ):
            for family in value.collect():
                families[family.name] = bool(getattr(family, "_labelnames", ()))
    return families


def parse(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Family name (a counter's without ``_total``) -> its samples (labels, value)."""
    return {
        family.name: [(dict(s.labels), s.value) for s in family.samples]
        for family in text_string_to_metric_families(text)
    }


def sample(
    scrape: dict[str, list[tuple[dict[str, str], float]]], family: str, **labels: str
) -> float | None:
    for sample_labels, value in scrape.get(family, []):
        if all(sample_labels.get(k) == v for k, v in labels.items()):
            return value
    return None


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


# --- the platform ---------------------------------------------------------------------------


@dataclass
class Platform:
    api_url: str
    api_port: int
    worker_url: str
    workdir: Path
    workspaces: Path
    model: ModelServer
    #: every exposition scraped during the session, of the API and of the worker
    scrapes: list[dict[str, list[tuple[dict[str, str], float]]]] = field(default_factory=list)
    #: a refresh token kept unspent for the alert test
    spare_refresh: str = ""

    def scrape(self, which: str = "api") -> dict[str, list[tuple[dict[str, str], float]]]:
        url = self.api_url if which == "api" else self.worker_url
        response = httpx.get(f"{url}/metrics", timeout=10)
        assert response.status_code == 200, response.text
        parsed = parse(response.text)
        self.scrapes.append(parsed)
        return parsed


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([*CLI, *args], env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Wait for a process of ours to listen; its failing to start fails the test, with its log."""
    # Generous: on a loaded shared machine the first import of the app alone takes a while.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{log.stem} exited with {process.returncode}: {log.read_text()[-3000:]}")
        try:
            wait_for_port(port, timeout=1)
        except ServiceUnavailable:
            continue
        return
    pytest.fail(f"{log.stem} did not listen on port {port} within 180s: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def platform(redis_server: RedisServer) -> Iterator[Platform]:
    workdir = scratch_dir("ctui-metrics-")
    workspaces = workdir / "workspaces"
    api_port, worker_port = free_port(), free_port()
    with ModelServer() as model:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_TUI_")}
        env.update(
            {
                "CLAUDE_TUI_DATA_DIR": str(workdir / "data"),
                "CLAUDE_TUI_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'ctui.db'}",
                "CLAUDE_TUI_REDIS_URL": redis_server.url,
                "CLAUDE_TUI_SECRET_KEY": secrets.token_urlsafe(48),
                "CLAUDE_TUI_LOG_LEVEL": "WARNING",
                "CLAUDE_TUI_WORKSPACE_ROOT": str(workspaces),
                "CLAUDE_TUI_AGENT_PROVIDER": "anthropic",
                "CLAUDE_TUI_AGENT_API_KEY": "test-key",
                "CLAUDE_TUI_AGENT_BASE_URL": model.base_url,
                "CLAUDE_TUI_AGENT_LEASE_SECONDS": "5",
                "CLAUDE_TUI_LOCKOUT_FAILURES": str(LOCKOUT_FAILURES),
                "CLAUDE_TUI_LOGIN_RATE_PER_ACCOUNT": f"{RATE_PER_ACCOUNT}/minute",
                "CLAUDE_TUI_LOGIN_RATE_PER_ADDRESS": f"{RATE_PER_ADDRESS}/minute",
                # Two requests at a time and no waiting room: a burst sheds, while a client
                # making one request after another never meets a slot not yet released.
                "CLAUDE_TUI_MAX_CONCURRENT_REQUESTS": "2",
                "CLAUDE_TUI_REQUEST_QUEUE_SECONDS": "0",
                "CLAUDE_TUI_WORKER_METRICS_PORT": str(worker_port),
                "CLAUDE_TUI_WORKER_HEARTBEAT_SECONDS": "0.5",
            }
        )
        create_admin = ["users", "create-admin", "--username", ADMIN, "--email", "op@example.com"]
        for args in (["db", "upgrade"], [*create_admin, "--password-stdin"]):
            result = subprocess.run(
                [*CLI, *args],
                env=env,
                input=ADMIN_PASSWORD + "\n",
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, result.stdout + result.stderr
        api = _start(
            ["serve", "--host", "127.0.0.1", "--port", str(api_port)], env, workdir / "api.log"
        )
        worker = _start(["worker", "--concurrency", "1"], env, workdir / "worker.log")
        try:
            for process, port, log in (
                (api, api_port, "api.log"),
                (worker, worker_port, "worker.log"),
            ):
                _wait_listening(process, port, workdir / log)
            yield Platform(
                f"http://127.0.0.1:{api_port}",
                api_port,
                f"http://127.0.0.1:{worker_port}",
                workdir,
                workspaces,
                model,
            )
        finally:
            _stop(worker)
            _stop(api)
            shutil.rmtree(workdir, ignore_errors=True)


# --- the scripted session -------------------------------------------------------------------


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def _auth_session(platform: Platform, client: httpx.Client, redis_url: str) -> dict[str, str]:
    """Good and bad logins, a lockout, a rate-limited account, a reused refresh token, a
    revocation Redis lost."""
    first = login(client, ADMIN, ADMIN_PASSWORD)
    assert first.status_code == 200, first.text
    headers = {"Authorization": f"Bearer {first.json()['access_token']}"}
    # A refresh token spent twice: the second time is reuse, the family is revoked.
    stolen_pair = login(client, ADMIN, ADMIN_PASSWORD).json()
    stolen = stolen_pair["refresh_token"]
    rotated = client.post("/api/v1/auth/refresh", json={"refresh_token": stolen})
    assert rotated.status_code == 200, rotated.text
    reused = client.post("/api/v1/auth/refresh", json={"refresh_token": stolen})
    assert reused.status_code == 401, reused.text
    # Redis loses that revocation (as in a restart): the database still refuses the family's
    # access token, and the revocation goes back into Redis.
    family = jwt.decode(stolen_pair["access_token"], options={"verify_signature": False})["fam"]
    with redis.Redis.from_url(redis_url) as cache:
        assert cache.delete(f"ctui:revoked:fam:{family}") == 1
        stale = {"Authorization": f"Bearer {stolen_pair['access_token']}"}
        assert client.get("/api/v1/users/me", headers=stale).status_code == 401
        assert cache.exists(f"ctui:revoked:fam:{family}") == 1
    assert login(client, ADMIN, "not-the-password-at-all").status_code == 401
    platform.spare_refresh = login(client, ADMIN, ADMIN_PASSWORD).json()["refresh_token"]
    # The account's fifth attempt within a minute is refused by its rate.
    limited = login(client, ADMIN, ADMIN_PASSWORD)
    assert limited.status_code == 429, limited.text
    for _ in range(LOCKOUT_FAILURES):
        assert login(client, "mallory", "guess-guess-guess").status_code == 401
    locked = login(client, "mallory", "guess-guess-guess")
    assert locked.status_code == 429, locked.text
    assert "locked" in locked.json()["detail"], locked.text
    assert (
        client.get("/api/v1/users/me", headers={"Authorization": "Bearer forged"}).status_code
        == 401
    )
    bad_key = {"X-API-Key": "ctui_abcdefghijkl_" + "x" * 40}
    assert client.get("/api/v1/users/me", headers=bad_key).status_code == 401
    return headers


def _overload(platform: Platform, headers: dict[str, str]) -> None:
    """Requests in parallel past the concurrency limit of two: some are shed with a 503."""

    def call(_: int) -> int:
        return httpx.get(
            f"{platform.api_url}/api/v1/projects", headers=headers, timeout=10
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(20):
            if 503 in set(pool.map(call, range(16))):
                return
    raise AssertionError("no request was shed past a concurrency limit of two")


class SseFollower:
    """Follows a project's Server-Sent Events stream from a thread."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.events: list[str] = []
        self._stop = threading.Event()
        self._url, self._headers = url, {**headers, "Accept": "text/event-stream"}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with (
            httpx.Client(timeout=httpx.Timeout(10, read=60)) as client,
            client.stream("GET", self._url, headers=self._headers) as response,
        ):
            for line in response.iter_lines():
                if line.startswith("event:"):
                    self.events.append(line.split(":", 1)[1].strip())
                if self._stop.is_set():
                    return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=70)


def _new_project(client: httpx.Client, headers: dict[str, str], platform: Platform) -> int:
    response = client.post(
        "/api/v1/projects",
        json={"name": "calc", "workspace_path": "calc", "settings": {"permission_mode": "auto"}},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    root = platform.workspaces / "calc"
    (root / "tests").mkdir(parents=True, exist_ok=True)
    (root / "calc.py").write_text("def add(a, b):\n    return a - b\n")
    (root / "tests" / "test_calc.py").write_text(
        "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
    )
    # The venv's pytest plugins take seconds to load; this project needs none.
    command = (
        f"env PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 {sys.executable} -m pytest -q -p no:cacheprovider "
        "--junitxml={junit}"
    )
    (root / "pyproject.toml").write_text(
        '[project]\nname = "calc"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
        'pythonpath = ["."]\n\n[tool.claude-tui.validation]\n'
        f'test-command = "{command}"\n'
    )
    return int(response.json()["id"])


def _run_task(client: httpx.Client, headers: dict[str, str], project: int, until: str) -> int:
    created = client.post(
        f"/api/v1/projects/{project}/agent-tasks", json={"instruction": "Fix add"}, headers=headers
    )
    assert created.status_code == 201, created.text
    task_id = int(created.json()["id"])

    def reached() -> dict[str, Any] | None:
        task: dict[str, Any] = client.get(f"/api/v1/tasks/{task_id}", headers=headers).json()
        return task if task["status"] in (until, *FINAL) else None

    task = wait_until(reached, 90, f"task {task_id} to reach {until}")
    assert task["status"] == until, task
    return task_id


def _task_session(
    platform: Platform, client: httpx.Client, headers: dict[str, str], project: int
) -> None:
    """Tasks that succeed, fail at the provider, and are cancelled while running."""
    worker = lambda: platform.scrape("worker")  # noqa: E731
    platform.model.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed"})]),
    )
    _run_task(client, headers, project, "succeeded")
    platform.model.add(HttpError(400, "invalid_request_error", "unsupported"))
    _run_task(client, headers, project, "failed")
    assert sample(worker(), "claude_tui_tasks_running") == 0, "failure leaves the gauge at 0"
    platform.model.add(Stall(max_seconds=60))
    stalled = _run_task(client, headers, project, "running")
    wait_until(lambda: sample(worker(), "claude_tui_tasks_running") == 1, 20, "one running task")
    cancel = client.post(f"/api/v1/tasks/{stalled}/cancel", headers=headers)
    assert cancel.status_code == 200, cancel.text
    wait_until(
        lambda: sample(worker(), "claude_tui_tasks_running") == 0,
        30,
        "the cancelled task to leave the running gauge",
    )
    assert (sample(worker(), "claude_tui_worker_last_heartbeat_timestamp_seconds") or 0) > 0


def _events_session(
    platform: Platform, client: httpx.Client, headers: dict[str, str], project: int
) -> None:
    url = f"{platform.api_url}/api/v1/projects/{project}/events"
    token = headers["Authorization"].removeprefix("Bearer ")
    sse = SseFollower(url, headers)
    ws_url = url.replace("http://", "ws://") + f"?token={token}"
    with ws_connect(ws_url, open_timeout=10) as websocket:
        api = lambda: platform.scrape("api")  # noqa: E731
        wait_until(
            lambda: (
                sample(api(), "claude_tui_event_subscribers", transport="sse") == 1
                and sample(api(), "claude_tui_event_subscribers", transport="websocket") == 1
            ),
            20,
            "one SSE and one WebSocket subscriber",
        )
        _task_session(platform, client, headers, project)
        first = json.loads(websocket.recv(timeout=10))
        assert first["kind"], first
        wait_until(lambda: sse.events, 20, "an event on the SSE stream")
        scrape = api()
        # The SSE request is in flight while this scrape is answered.
        assert (sample(scrape, "claude_tui_http_requests_in_progress") or 0) >= 1
        assert (sample(scrape, "claude_tui_events_streamed", transport="sse") or 0) >= 1
        assert (sample(scrape, "claude_tui_events_streamed", transport="websocket") or 0) >= 1
    # Closing the stream from the client side: keep-alives let the server notice.
    sse.close()
    wait_until(
        lambda: (
            sample(platform.scrape("api"), "claude_tui_event_subscribers", transport="websocket")
            == 0
        ),
        20,
        "the WebSocket subscriber to be counted out",
    )


def test_a_scripted_session_records_every_metric_of_the_catalogue(
    platform: Platform, redis_server: RedisServer
) -> None:
    with httpx.Client(base_url=platform.api_url, timeout=30) as client:
        headers = _auth_session(platform, client, redis_server.url)
        assert client.get("/ready").status_code == 200
        _overload(platform, headers)
        project = _new_project(client, headers, platform)
        _events_session(platform, client, headers, project)
        checked = client.post(
            "/api/v1/validations",
            json={"code": "import made_up_module_xyz\n", "language": "python"},
            headers=headers,
        )
        assert checked.status_code == 201, checked.text
        audited = client.post(
            f"/api/v1/projects/{project}/audits", json={"scanners": ["secrets"]}, headers=headers
        )
        assert audited.status_code == 200, audited.text
    platform.scrape("api")
    platform.scrape("worker")

    defined = catalogue()
    assert len(defined) >= 30, defined
    missing = []
    for name, labelled in sorted(defined.items()):
        if name in NOT_PRODUCIBLE:
            continue
        values = [value for scrape in platform.scrapes for _, value in scrape.get(name, [])]
        # A labelled child exists only once recorded; an unlabelled one exists from import,
        # so only a non-zero value shows that the platform recorded it.
        if not values or (not labelled and not any(values)):
            missing.append(name)
    assert not missing, f"metrics of the catalogue never recorded: {missing}"

    api = platform.scrapes[-2]
    failures = {
        (labels["method"], labels["reason"])
        for labels, value in api["claude_tui_auth_failures"]
        if value > 0
    }
    assert {
        ("password", "bad_credentials"),
        ("password", "unknown_user"),
        ("password", "locked_out"),
        ("refresh_token", "revoked_token"),
        ("access_token", "invalid_token"),
        ("api_key", "invalid_api_key"),
    } <= failures, failures
    assert sample(api, "claude_tui_refresh_token_reuse") == 1
    assert sample(api, "claude_tui_rate_limit_hits", scope="login_account") == 1
    assert sample(api, "claude_tui_tasks_created") == 3
    assert sample(api, "claude_tui_event_subscribers", transport="sse") == 0


# --- the security alerts, live --------------------------------------------------------------


def _alert_states(prometheus: PrometheusServer) -> dict[str, set[str]]:
    states: dict[str, set[str]] = {}
    for alert in prometheus.get("/api/v1/alerts")["data"]["alerts"]:
        states.setdefault(alert["labels"]["alertname"], set()).add(alert["state"])
    return states


@pytest.mark.monitoring
def test_each_security_alert_fires_on_its_condition(platform: Platform) -> None:
    if tool("prometheus") is None:
        unavailable("prometheus is not installed (.ci/setup.d/30-monitoring.sh)")
    workdir = platform.workdir / "prometheus"
    workdir.mkdir()
    # No Alertmanager: the alerts' state is read from Prometheus itself.
    prometheus = PrometheusServer(workdir, platform.api_port, free_port())
    try:
        # Increases are measured from what Prometheus has already seen of each series.
        wait_until(
            lambda: all(
                prometheus.query(expr)["data"]["result"]
                for expr in (
                    'up{job="claude-tui-api"} == 1',
                    'claude_tui_auth_failures_total{reason="invalid_token"}',
                    "claude_tui_refresh_token_reuse_total",
                )
            ),
            60,
            "Prometheus to scrape the API",
        )
        assert (
            _alert_states(prometheus)
            .keys()
            .isdisjoint(
                {
                    "ClaudeTuiAuthFailureBurst",
                    "ClaudeTuiRateLimitHitsHigh",
                    "ClaudeTuiRefreshTokenReuse",
                }
            )
        )
        with httpx.Client(base_url=platform.api_url, timeout=30) as client:
            forged = {"Authorization": "Bearer forged"}
            for _ in range(80):
                assert client.get("/api/v1/users/me", headers=forged).status_code == 401
            rotated = client.post(
                "/api/v1/auth/refresh", json={"refresh_token": platform.spare_refresh}
            )
            assert rotated.status_code == 200, rotated.text
            reused = client.post(
                "/api/v1/auth/refresh", json={"refresh_token": platform.spare_refresh}
            )
            assert reused.status_code == 401
            # Spend the address's allowance, let Prometheus see the first refusal, then flood.
            attempt = 0
            while login(client, f"nobody-{attempt}", "x" * 12).status_code != 429:
                attempt += 1
                assert attempt <= 2 * RATE_PER_ADDRESS, "the address limit never refused"
            wait_until(
                lambda: prometheus.query('claude_tui_rate_limit_hits_total{scope="login_address"}')[
                    "data"
                ]["result"],
                30,
                "the address rate-limit series in Prometheus",
            )
            # The window moves during the flood: an attempt may be admitted again now and then.
            refused = attempts = 0
            while refused < 130:
                attempts += 1
                assert attempts <= 400, f"only {refused} of {attempts} attempts were refused"
                refused += login(client, f"flood-{attempts}", "x" * 12).status_code == 429
        wanted = {
            "ClaudeTuiAuthFailureBurst",
            "ClaudeTuiRateLimitHitsHigh",
            "ClaudeTuiRefreshTokenReuse",
        }
        states = wait_until(
            lambda: (s := _alert_states(prometheus)) and wanted <= s.keys() and s,
            60,
            f"the alerts {sorted(wanted)} to be pending or firing",
        )
        for name in wanted:
            assert states[name] <= {"pending", "firing"}, (name, states[name])
        limited = prometheus.get("/api/v1/alerts")["data"]["alerts"]
        scopes = {
            a["labels"].get("scope")
            for a in limited
            if a["labels"]["alertname"] == "ClaudeTuiRateLimitHitsHigh"
        }
        assert scopes == {"login_address"}, scopes
    finally:
        prometheus.stop()
