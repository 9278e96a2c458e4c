"""Monitoring configuration paths and readers, and real Prometheus and Alertmanager servers."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import yaml

from claude_tui.observability import slo_rules
from servers import ServiceUnavailable, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[1]
MONITORING = ROOT / "deploy" / "monitoring"
PROMETHEUS = MONITORING / "prometheus"
RULES = PROMETHEUS / "rules"
RULE_TESTS = PROMETHEUS / "tests"
ALERTMANAGER_CONFIG = MONITORING / "alertmanager" / "alertmanager.yml"
SLO_SPEC = MONITORING / "slo.yml"
RUNBOOKS = ROOT / "docs" / "runbooks"
DASHBOARDS = MONITORING / "grafana" / "dashboards"


def tool(name: str) -> str | None:
    return shutil.which(name)


def rule_files() -> list[Path]:
    return sorted(RULES.glob("*.yml"))


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def all_rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for path in rule_files():
        for group in load_yaml(path)["groups"]:
            rules.extend(group["rules"])
    return rules


def alerting_rules() -> list[dict[str, Any]]:
    return [rule for rule in all_rules() if "alert" in rule]


def recording_rules() -> list[dict[str, Any]]:
    return [rule for rule in all_rules() if "record" in rule]


# --- live servers -------------------------------------------------------------------------


#: The documented override of the live test (docs/operations/slo.md): every SLO window and
#: `for` shrinks so that a burst of errors fires and resolves the alerts within seconds. Rule
#: names and labels are those of production.
LIVE_SLO_OVERRIDES = slo_rules.RenderOverrides(
    windows={"5m": "10s", "30m": "20s", "1h": "30s", "6h": "40s", "3d": "60s", "30d": "120s"},
    for_="2s",
)
#: Alertmanager timings of the live test; the routing tree and receivers' names are unchanged.
LIVE_ROUTE_TIMINGS = {"group_wait": "1s", "group_interval": "1s"}
LIVE_NAMESPACE = "claude-tui-live"


class WebhookReceiver:
    """Collects Alertmanager webhook notifications, by receiver (the URL path)."""

    def __init__(self) -> None:
        self.notifications: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver._lock:
                    receiver.notifications.append((self.path.strip("/"), json.loads(body)))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def alerts(self, receiver: str) -> list[dict[str, Any]]:
        """Every alert delivered to ``receiver`` so far, in order, with the payload status."""
        with self._lock:
            return [
                alert
                for name, payload in self.notifications
                if name == receiver
                for alert in payload["alerts"]
            ]

    def receivers(self) -> set[str]:
        with self._lock:
            return {name for name, _ in self.notifications}

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Process:
    def __init__(self, name: str, args: list[str], port: int, workdir: Path) -> None:
        self.name = name
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = workdir / f"{name}.log"
        with self.log.open("wb") as out:
            self._proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, timeout=30)
            self._wait_ready()
        except ServiceUnavailable as exc:
            self.stop()
            raise ServiceUnavailable(
                f"{name} did not start: {self.log.read_text()[-2000:]}"
            ) from exc

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise ServiceUnavailable(f"{self.name} exited with {self._proc.returncode}")
            try:
                if httpx.get(f"{self.url}/-/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise ServiceUnavailable(f"{self.name} was not ready within 30s")

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


def live_rules(directory: Path) -> Path:
    """The committed rule files in ``directory``, the SLO file rendered with the live override."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in rule_files():
        if path.name != "slo.yml":
            (directory / path.name).write_text(path.read_text(encoding="utf-8"))
    spec = slo_rules.load_spec(SLO_SPEC)
    (directory / "slo.yml").write_text(
        slo_rules.dump_rules(slo_rules.render_rules(spec, LIVE_SLO_OVERRIDES))
    )
    return directory


class PrometheusServer(_Process):
    """Prometheus from the committed file-SD configuration, on loopback, with short intervals."""

    def __init__(self, workdir: Path, api_port: int, alertmanager_port: int) -> None:
        port = free_port()
        config = load_yaml(PROMETHEUS / "prometheus-file-sd.yml")
        config["global"].update(
            {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"}
        )
        rules = live_rules(workdir / "rules")
        config["rule_files"] = [str(rules / "*.yml")]
        targets = workdir / "targets"
        targets.mkdir()
        labels = {"namespace": LIVE_NAMESPACE, "env": "test"}
        files = {
            "api.json": [{"targets": [f"127.0.0.1:{api_port}"], "labels": labels}],
            "worker.json": [],
            "prometheus.json": [{"targets": [f"127.0.0.1:{port}"]}],
            "alertmanager.json": [{"targets": [f"127.0.0.1:{alertmanager_port}"]}],
        }
        for name, content in files.items():
            (targets / name).write_text(json.dumps(content))
        # The committed config names its target files relative to itself.
        config_path = workdir / "prometheus.yml"
        config_path.write_text(yaml.safe_dump(config))
        super().__init__(
            "prometheus",
            [
                "prometheus",
                f"--config.file={config_path}",
                f"--storage.tsdb.path={workdir / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--web.enable-lifecycle",
                # Alerts raised before Alertmanager is discovered are re-sent quickly.
                "--rules.alert.resend-delay=2s",
            ],
            port,
            workdir,
        )

    def query(self, expr: str) -> dict[str, Any]:
        """The JSON answer of an instant query (status, data or error)."""
        response = self._client.post("/api/v1/query", data={"query": expr})
        result: dict[str, Any] = response.json()
        return result

    def get(self, path: str) -> Any:
        return self._client.get(path).json()

    @property
    def _client(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self, "_http", None)
        if client is None:
            client = self._http = httpx.Client(base_url=self.url, timeout=10)
        return client

    def stop(self) -> None:
        http: httpx.Client | None = getattr(self, "_http", None)
        if http is not None:
            http.close()
        super().stop()


class AlertmanagerServer(_Process):
    """Alertmanager from the committed configuration, receivers pointed at a webhook."""

    def __init__(self, workdir: Path, webhook_url: str, port: int | None = None) -> None:
        port = port or free_port()
        config = live_alertmanager_config(webhook_url)
        config_path = workdir / "alertmanager.yml"
        config_path.write_text(yaml.safe_dump(config))
        super().__init__(
            "alertmanager",
            [
                "prometheus-alertmanager",
                f"--config.file={config_path}",
                f"--storage.path={workdir / 'am-data'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
            ],
            port,
            workdir,
        )

    def post_alerts(self, alerts: list[dict[str, Any]]) -> None:
        response = httpx.post(f"{self.url}/api/v2/alerts", json=alerts, timeout=10)
        response.raise_for_status()

    def alerts(self, **filters: str) -> list[dict[str, Any]]:
        params = [("filter", f'{k}="{v}"') for k, v in filters.items()]
        params += [("inhibited", "true"), ("silenced", "true"), ("active", "true")]
        result: list[dict[str, Any]] = httpx.get(
            f"{self.url}/api/v2/alerts", params=params, timeout=10
        ).json()
        return result


def live_alertmanager_config(webhook_url: str) -> dict[str, Any]:
    """The committed Alertmanager config with every receiver a webhook and short timings."""
    config = load_yaml(ALERTMANAGER_CONFIG)

    def shorten(route: dict[str, Any]) -> None:
        for key, value in LIVE_ROUTE_TIMINGS.items():
            if key in route or route is config["route"]:
                route[key] = value
        for child in route.get("routes", []):
            shorten(child)

    shorten(config["route"])
    for receiver in config["receivers"]:
        name = receiver["name"]
        configs = [k for k in receiver if k.endswith("_configs")]
        for key in configs:
            del receiver[key]
        if configs:
            receiver["webhook_configs"] = [{"url": f"{webhook_url}/{name}", "send_resolved": True}]
    return config


def scratch_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
