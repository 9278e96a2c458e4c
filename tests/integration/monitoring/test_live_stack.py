"""The monitoring stack, live: the app, real Prometheus and Alertmanager, and a pager webhook.

The app runs as `claude-tui serve` on PostgreSQL. Errors are induced the way they happen in
production: the database stops accepting connections, user requests fail with 5xx, the
fast-burn availability alert fires and reaches the pager; once the database is back the alert
resolves. Windows and `for` of the SLO rules are shortened by the documented override
(LIVE_SLO_OVERRIDES, docs/operations/slo.md).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from monitoring_stack import (
    DASHBOARDS,
    LIVE_NAMESPACE,
    AlertmanagerServer,
    PrometheusServer,
    WebhookReceiver,
    load_yaml,
    scratch_dir,
)
from servers import (
    PostgresServer,
    ServiceUnavailable,
    free_port,
    require_tool,
    unavailable,
    wait_for_port,
)

pytestmark = [
    pytest.mark.monitoring,
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.xdist_group("monitoring-live"),
]

ADMIN_PASSWORD = "Correct-horse-battery-9-staple"
CLI = [sys.executable, "-m", "claude_tui"]
FAST_BURN = {"alertname": "ApiAvailabilityErrorBudgetBurn", "long_window": "1h"}


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


@dataclass
class Traffic:
    """Steady user traffic (an authenticated API route, plus probes) from a background thread."""

    base_url: str
    token: str
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base_url, timeout=5) as client:
            while not self._stop.is_set():
                for path in ("/api/v1/users/me", "/api/v1/users/me", "/ready", "/health"):
                    try:
                        status = client.get(path, headers=headers).status_code
                    except httpx.HTTPError:
                        status = 0
                    self.statuses[(path, status)] += 1
                time.sleep(0.03)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


@dataclass
class Stack:
    app_url: str
    database: str
    postgres: PostgresServer
    prometheus: PrometheusServer
    alertmanager: AlertmanagerServer
    webhook: WebhookReceiver
    traffic: Traffic
    workdir: Path

    def set_database_accepting(self, accepting: bool) -> None:
        """Open or close the app's database to new connections, cutting the existing ones."""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.postgres.port} user=postgres dbname=postgres",
            autocommit=True,
        ) as conn:
            flag = "true" if accepting else "false"
            conn.execute(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS {flag}')
            if not accepting:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (self.database,),
                )


def _app_env(workdir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_TUI_")}
    env.update(
        {
            "CLAUDE_TUI_DATA_DIR": str(workdir / "data"),
            "CLAUDE_TUI_DATABASE_URL": database_url,
            "CLAUDE_TUI_SECRET_KEY": secrets.token_urlsafe(48),
            "CLAUDE_TUI_LOG_LEVEL": "WARNING",
        }
    )
    return env


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    result = subprocess.run(
        [*CLI, *args], env=env, input=stdin, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def stack(postgres_server: PostgresServer) -> Iterator[Stack]:
    for binary in ("prometheus", "prometheus-alertmanager"):
        require_tool(binary, install="bash .ci/setup.d/30-monitoring.sh")
    workdir = scratch_dir("ctui-live-")
    database = postgres_server.create_database()
    env = _app_env(workdir, postgres_server.url(database))
    _cli(env, "db", "upgrade")
    _cli(
        env,
        "users",
        "create-admin",
        "--username",
        "operator",
        "--email",
        "operator@example.com",
        "--password-stdin",
        stdin=ADMIN_PASSWORD + "\n",
    )
    api_port = free_port()
    log = (workdir / "app.log").open("wb")
    app = subprocess.Popen(
        [*CLI, "serve", "--host", "127.0.0.1", "--port", str(api_port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    started: list[Any] = []
    try:
        wait_for_port(api_port, timeout=30)
        app_url = f"http://127.0.0.1:{api_port}"
        login = httpx.post(
            f"{app_url}/api/v1/auth/token",
            data={"username": "operator", "password": ADMIN_PASSWORD},
            timeout=10,
        )
        assert login.status_code == 200, login.text
        webhook = WebhookReceiver()
        started.append(webhook)
        alertmanager = AlertmanagerServer(workdir, webhook.url)
        started.append(alertmanager)
        prometheus = PrometheusServer(workdir, api_port, alertmanager.port)
        started.append(prometheus)
        traffic = Traffic(app_url, login.json()["access_token"])
        traffic.start()
        started.append(traffic)
        yield Stack(
            app_url,
            database,
            postgres_server,
            prometheus,
            alertmanager,
            webhook,
            traffic,
            workdir,
        )
    except ServiceUnavailable as exc:
        unavailable(str(exc))
    finally:
        for part in reversed(started):
            part.stop() if hasattr(part, "stop") else part.close()
        app.terminate()
        try:
            app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.kill()
        log.close()


def _targets_up(stack: Stack) -> dict[str, str] | None:
    active = stack.prometheus.get("/api/v1/targets")["data"]["activeTargets"]
    health = {t["labels"]["job"]: t["health"] for t in active}
    wanted = {"claude-tui-api", "prometheus", "alertmanager"}
    return health if wanted <= set(health) and all(health[j] == "up" for j in wanted) else None


def test_targets_are_up(stack: Stack) -> None:
    health = wait_until(lambda: _targets_up(stack), 30, "every target up")
    assert "claude-tui-worker" not in health, "no worker runs in this test"
    api = stack.prometheus.query('up{job="claude-tui-api"}')["data"]["result"]
    assert api[0]["metric"]["namespace"] == LIVE_NAMESPACE


def test_every_rule_evaluates_and_the_key_series_have_data(stack: Stack) -> None:
    wait_until(lambda: _targets_up(stack), 30, "every target up")

    def key_series_present() -> bool:
        # Recording rules fill in over successive evaluations; wait for every one asserted on.
        return all(
            stack.prometheus.query(expr)["data"]["result"]
            for expr in (
                'slo:sli_error:ratio_rate5m{slo="availability"}',
                'job_route_class:claude_tui_http_requests:rate5m{route_class="api"}',
                'job_route_class:claude_tui_http_requests:rate5m{route_class="probe"}',
                'job_route_class:claude_tui_http_request_duration_seconds:p99_5m{route_class="api"}',
            )
        )

    wait_until(key_series_present, 60, "the SLI and the route-class recording rules to have data")
    groups = stack.prometheus.get("/api/v1/rules")["data"]["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    assert len(rules) >= 50
    for rule in rules:
        assert rule["health"] == "ok", (rule["name"], rule.get("lastError"))
        answer = stack.prometheus.query(rule["query"])
        assert answer["status"] == "success", (rule["name"], answer)

    def value(expr: str) -> float:
        result = stack.prometheus.query(expr)["data"]["result"]
        assert result, f"{expr} returned no data"
        return float(result[0]["value"][1])

    assert value('slo:sli_error:ratio_rate5m{slo="availability"}') == 0
    assert 0 <= value('slo:sli_error:ratio_rate5m{slo="latency"}') <= 1
    assert value('slo:objective:ratio{slo="availability"}') == 0.999
    assert value('slo:error_budget_remaining:ratio30d{slo="availability"}') == 1
    assert value('job_route_class:claude_tui_http_requests:rate5m{route_class="api"}') > 0
    assert value('job_route_class:claude_tui_http_requests:rate5m{route_class="probe"}') > 0
    assert (
        value('job_route_class:claude_tui_http_request_duration_seconds:p99_5m{route_class="api"}')
        > 0
    )
    assert value('claude_tui_db_pool_size{pool="main"}') > 0
    assert value("claude_tui_data_dir_free_bytes") > 0
    firing = {
        a["labels"]["alertname"] for a in stack.prometheus.get("/api/v1/alerts")["data"]["alerts"]
    }
    # Latency depends on how busy this machine is (shared CI cores): not asserted here.
    assert firing <= {"Watchdog", "ApiLatencyErrorBudgetBurn"}, f"a healthy service raised {firing}"


_GRAFANA_VARIABLES = {
    "$__rate_interval": "1m",
    "$__interval": "15s",
    "$__range": "5m",
    "${__range}": "5m",
}


def grafana_expr_to_promql(expr: str) -> str:
    """A dashboard query with Grafana's variables replaced as Grafana would (regex for ours)."""
    for variable, value in _GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return re.sub(r"\$\{?(job|namespace|provider|route_class|instance)\}?", ".*", expr)


def dashboard_expressions() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("expr"), str) and node["expr"].strip():
                found.append((where, node["expr"]))
            for key, child in node.items():
                walk(child, f"{where}/{node.get('title', key)}")
        elif isinstance(node, list):
            for child in node:
                walk(child, where)

    for path in sorted(DASHBOARDS.glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)
    return found


def test_every_dashboard_and_alert_expression_evaluates(stack: Stack) -> None:
    wait_until(lambda: _targets_up(stack), 30, "every target up")
    expressions = dashboard_expressions()
    assert len(expressions) >= 20, "the dashboards should query Prometheus"
    for where, expr in expressions:
        answer = stack.prometheus.query(grafana_expr_to_promql(expr))
        assert answer["status"] == "success", (where, expr, answer)
    for path in sorted((stack.workdir / "rules").glob("*.yml")):
        for group in load_yaml(path)["groups"]:
            for rule in group["rules"]:
                answer = stack.prometheus.query(rule["expr"])
                assert answer["status"] == "success", (path.name, rule, answer)


def test_alertmanager_inhibits_lower_severities_of_the_same_alert(stack: Stack) -> None:
    labels = {"alertname": "ClaudeTuiDataDiskLow", "namespace": "inhibition-check"}
    stack.alertmanager.post_alerts(
        [
            {"labels": {**labels, "severity": "critical"}},
            {"labels": {**labels, "severity": "warning"}},
            {"labels": {**labels, "severity": "info", "alertname": "ClaudeTuiVersionSkew"}},
        ]
    )

    def states() -> dict[str, str] | None:
        alerts = stack.alertmanager.alerts(namespace="inhibition-check")
        if len(alerts) < 3:
            return None
        return {
            f"{a['labels']['alertname']}/{a['labels']['severity']}": a["status"]["state"]
            for a in alerts
        }

    result = wait_until(
        lambda: (s := states()) and s.get("ClaudeTuiDataDiskLow/warning") == "suppressed" and s,
        20,
        "the warning to be inhibited",
    )
    assert result["ClaudeTuiDataDiskLow/critical"] == "active"
    # Another alert name is not inhibited by this critical one.
    assert result["ClaudeTuiVersionSkew/info"] == "active"
    wait_until(
        lambda: any(
            a["labels"].get("namespace") == "inhibition-check"
            for a in stack.webhook.alerts("pager")
        ),
        20,
        "the critical disk alert at the pager",
    )
    chat = [
        a
        for a in stack.webhook.alerts("chat")
        if a["labels"].get("namespace") == "inhibition-check"
    ]
    assert chat == [], "the inhibited warning must not reach the chat receiver"
    assert "null" not in stack.webhook.receivers()
    wait_until(lambda: stack.webhook.alerts("deadmans-switch"), 20, "the Watchdog heartbeat")
    assert all(
        a["labels"]["alertname"] == "Watchdog" for a in stack.webhook.alerts("deadmans-switch")
    )


def _fast_burn(alerts: list[dict[str, Any]], status: str) -> list[dict[str, Any]]:
    return [
        a
        for a in alerts
        if a["status"] == status and all(a["labels"].get(k) == v for k, v in FAST_BURN.items())
    ]


def test_error_burst_fires_the_fast_burn_page_and_it_resolves(stack: Stack) -> None:
    wait_until(lambda: _targets_up(stack), 30, "every target up")
    started = time.monotonic()
    stack.set_database_accepting(False)
    try:
        wait_until(
            lambda: (
                stack.traffic.statuses[("/ready", 503)] > 5
                and any(
                    status >= 500
                    for (path, status) in stack.traffic.statuses
                    if path == "/api/v1/users/me"
                )
            ),
            30,
            "user requests to fail",
        )
        firing = wait_until(
            lambda: _fast_burn(stack.webhook.alerts("pager"), "firing"),
            90,
            "the fast-burn page",
        )
    finally:
        stack.set_database_accepting(True)
    fired_after = time.monotonic() - started
    alert = firing[0]
    assert alert["labels"] == {
        "alertname": "ApiAvailabilityErrorBudgetBurn",
        "severity": "critical",
        "service": "claude-tui-api",
        "slo": "availability",
        "job": "claude-tui-api",
        "namespace": LIVE_NAMESPACE,
        "long_window": "1h",
        "short_window": "5m",
        "monitor": "claude-tui",
    }
    assert alert["annotations"]["runbook_url"].endswith(
        "/docs/runbooks/ApiAvailabilityErrorBudgetBurn.md"
    )
    assert "14.4x" in alert["annotations"]["summary"]
    assert not _fast_burn(stack.webhook.alerts("chat"), "firing"), "a page is not a chat message"

    recovered = wait_until(
        lambda: (
            stack.traffic.statuses[("/ready", 200)]
            and _fast_burn(stack.webhook.alerts("pager"), "resolved")
        ),
        120,
        "the fast-burn page to resolve",
    )
    assert recovered[0]["fingerprint"] == alert["fingerprint"]
    after = httpx.get(
        f"{stack.app_url}/api/v1/users/me",
        headers={"Authorization": f"Bearer {stack.traffic.token}"},
    )
    assert after.status_code == 200
    print(
        f"fast-burn page after {fired_after:.1f}s of errors; "
        f"resolved {time.monotonic() - started:.1f}s after the errors began"
    )
