"""The compose files: valid for docker-compose, and built the way each stack needs."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from servers import require_tool
from unit.deploy.deploy_tools import ROOT

COMPOSE = ROOT / "deploy" / "compose"
DEV = COMPOSE / "compose.dev.yaml"
PROD = COMPOSE / "compose.prod.yaml"
APP_SERVICES = ("migrate", "api-blue", "api-green", "worker")


def _config(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    binary = require_tool("docker-compose", install="apt-get install docker-compose")
    return subprocess.run(
        [binary, "-f", str(path), *extra, "config"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("path", "profile"), [(DEV, ()), (PROD, ()), (PROD, ("--profile", "monitoring"))]
)
def test_docker_compose_accepts_the_file(path: Path, profile: tuple[str, ...]) -> None:
    result = _config(path, *profile)
    assert result.returncode == 0, result.stderr
    services = set(yaml.safe_load(result.stdout)["services"])
    if profile:
        assert {"prometheus", "alertmanager", "grafana", "loki", "promtail"} <= services


def test_docker_compose_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    broken.write_text("services:\n  api:\n    image: x\n    bogus_option: 1\n")
    assert _config(broken).returncode != 0


def test_dev_stack_migrates_before_the_api_and_waits_for_healthy_stores() -> None:
    services = _load(DEV)["services"]
    api = services["api"]
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert api["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "--reload" in api["command"]
    assert any("src/claude_tui" in volume for volume in api["volumes"]), "source mounted"
    for name in ("postgres", "redis", "api"):
        assert services[name]["healthcheck"]["test"], name


def test_prod_app_services_are_hardened_limited_and_take_secrets_from_files() -> None:
    services = _load(PROD)["services"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["read_only"] is True, name
        assert service["user"] == "10001:10001", name
        assert service["cap_drop"] == ["ALL"], name
        assert service["mem_limit"], name
        assert service["cpus"], name
        assert service["restart"] in ("unless-stopped", "no"), name
        environment = service["environment"]
        assert not {"CLAUDE_TUI_SECRET_KEY", "CLAUDE_TUI_DATABASE_URL"} & set(environment)
        assert "CLAUDE_TUI_DATABASE_URL_FILE" in environment, name
        for variable, path in environment.items():
            if str(path).startswith("/run/secrets/"):
                assert path.removeprefix("/run/secrets/") in service["secrets"], variable
    for name, service in services.items():
        assert "mem_limit" in service, f"{name} has no memory limit"
        for value in (service.get("environment") or {}).values():
            assert "password" not in str(value).lower() or str(value).startswith("/run/"), name


def test_monitoring_profile_mounts_the_files_of_deploy_monitoring() -> None:
    services = _load(PROD)["services"]
    monitoring = [s for s in services.values() if "monitoring" in s.get("profiles", [])]
    sources = [
        volume.split(":")[0]
        for service in monitoring
        for volume in service.get("volumes", [])
        if volume.startswith("../monitoring/")
    ]
    assert len(sources) >= 6
    missing = [source for source in sources if not (COMPOSE / source).exists()]
    assert not missing, f"monitoring files the profile mounts do not exist: {missing}"


def test_proxy_upstreams_name_the_two_colours() -> None:
    upstreams = COMPOSE / "proxy" / "upstreams"
    active = (upstreams / "active.conf").read_text(encoding="utf-8")
    preview = (upstreams / "preview.conf").read_text(encoding="utf-8")
    assert "server api-blue:8000;" in active
    assert "server api-green:8000;" in preview
    nginx = (COMPOSE / "proxy" / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_pass http://claude_tui_active;" in nginx
    assert "proxy_pass http://claude_tui_preview;" in nginx


def test_prometheus_reaches_the_worker_metrics_of_the_production_stack() -> None:
    from claude_tui.settings import Settings

    worker = _load(PROD)["services"]["worker"]
    # The worker binds its metrics server to loopback unless the stack says otherwise.
    assert worker["environment"]["CLAUDE_TUI_WORKER_METRICS_HOST"] == "0.0.0.0"
    config = _load(ROOT / "deploy" / "monitoring" / "prometheus" / "prometheus.yml")
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "claude-tui-worker"]
    port = Settings.model_fields["worker_metrics_port"].default
    assert job["static_configs"][0]["targets"] == [f"worker:{port}"]


def test_the_api_colours_believe_forwarded_addresses_from_the_stack_network_only() -> None:
    from claude_tui.settings import Settings

    result = _config(PROD)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("api-blue", "api-green"):
        value = services[name]["environment"]["CLAUDE_TUI_FORWARDED_ALLOW_IPS"]
        trusted = Settings(_env_file=None, forwarded_allow_ips=value).trusted_proxies  # type: ignore[call-arg]
        assert trusted, name
        assert "*" not in trusted, name
        # Loopback is not the proxy: a process on the host must not pick its address.
        assert not any(entry.startswith(("127.", "::1")) for entry in trusted), name
    assert "CLAUDE_TUI_FORWARDED_ALLOW_IPS" not in services["worker"]["environment"]
    assert "ports" not in services["api-blue"]
    assert "ports" not in services["api-green"]
    nginx = (COMPOSE / "proxy" / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
