"""The production compose file, run by docker-compose on podman's API socket: the project's own
services (migrations, API, worker) against the PostgreSQL and Redis of the test session."""

from __future__ import annotations

import secrets
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from claude_tui.storage import migrate
from integration.container.podman_engine import CONTAINERS_CONF, ROOT, BuiltImage, Podman
from servers import PostgresServer, RedisServer, free_port

pytestmark = [pytest.mark.container, pytest.mark.slow, pytest.mark.xdist_group("container")]

PROD = ROOT / "deploy" / "compose" / "compose.prod.yaml"


class ComposeProject:
    def __init__(self, docker_host: str, files: list[Path], env: dict[str, str]) -> None:
        self.name = f"ctui{uuid.uuid4().hex[:8]}"
        self.files = files
        self.env = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "DOCKER_HOST": docker_host,
            "CONTAINERS_CONF": str(CONTAINERS_CONF),
            # docker-compose v1 would otherwise read proxies and registries of the caller.
            "COMPOSE_INTERACTIVE_NO_CLI": "1",
            **env,
        }

    def run(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        command = ["docker-compose", "-p", self.name]
        for path in self.files:
            command += ["-f", str(path)]
        return subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            check=False,
        )


@pytest.fixture(scope="module")
def stack(
    podman: Podman,
    docker_host: str,
    image: BuiltImage,
    postgres_server: PostgresServer,
    redis_server: RedisServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ComposeProject, int, str]]:
    """migrate, then api-blue and the worker, from compose.prod.yaml with host networking."""
    workdir = tmp_path_factory.mktemp("compose")
    secrets_dir = workdir / "secrets"
    secrets_dir.mkdir()
    database = postgres_server.url(postgres_server.create_database())
    for name, value in {
        "secret_key": secrets.token_urlsafe(48),
        "database_url": database,
        "redis_url": redis_server.url,
        "agent_api_key": secrets.token_urlsafe(24),
        "postgres_password": "unused",
        "redis_password": "unused",
        "grafana_admin_password": "unused",
    }.items():
        (secrets_dir / name).write_text(value + "\n", encoding="utf-8")
        (secrets_dir / name).chmod(0o444)
    port = free_port()
    app = {"image": image.tag, "network_mode": "host"}
    override = {
        "services": {
            "migrate": app,
            "api-blue": {
                **app,
                "environment": {"CLAUDE_TUI_HOST": "127.0.0.1", "CLAUDE_TUI_PORT": str(port)},
            },
            # An OpenAI-compatible endpoint: the worker checks its configuration at start;
            # no task runs here, so nothing listens there.
            "worker": {
                **app,
                "environment": {
                    "CLAUDE_TUI_AGENT_PROVIDER": "openai",
                    "CLAUDE_TUI_AGENT_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
                    "CLAUDE_TUI_AGENT_MODEL": "scripted",
                },
            },
        }
    }
    override_file = workdir / "compose.test.yaml"
    override_file.write_text(yaml.safe_dump(override), encoding="utf-8")
    project = ComposeProject(
        docker_host, [PROD, override_file], {"CLAUDE_TUI_SECRETS_DIR": str(secrets_dir)}
    )
    try:
        yield project, port, database
    finally:
        project.run("down", "--volumes", "--remove-orphans", "--timeout", "5")
        # docker-compose v1 leaves one-off `run` containers behind on podman's API.
        label = f"label=com.docker.compose.project={project.name}"
        leftovers = podman.run("ps", "-a", "-q", "--filter", label, check=False).stdout.split()
        if leftovers:
            podman.run("rm", "-f", *leftovers, check=False)


def test_migrations_run_as_a_one_off_service(stack: tuple[ComposeProject, int, str]) -> None:
    project, _, database = stack
    assert migrate.current(database).strip() == ""
    result = project.run("run", "--rm", "--no-deps", "migrate")
    assert result.returncode == 0, result.stderr[-2000:]
    assert migrate.current(database).split()[0] == migrate.head_revision()


def test_api_and_worker_serve_against_postgres_and_redis(
    stack: tuple[ComposeProject, int, str], podman: Podman
) -> None:
    project, port, _ = stack
    started = project.run("up", "-d", "--no-deps", "api-blue", "worker")
    assert started.returncode == 0, started.stderr[-2000:]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    ready: httpx.Response | None = None
    while time.monotonic() < deadline:
        try:
            ready = httpx.get(f"{base}/ready", timeout=2)
            if ready.status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    logs = project.run("logs", "--no-color", "api-blue").stdout[-3000:]
    assert ready is not None, logs
    assert ready.status_code == 200, ready.text + logs
    components = ready.json()["components"]
    assert components["database"]["ok"] is True
    assert components["redis"]["ok"] is True
    version = httpx.get(f"{base}/version", timeout=5)
    assert version.status_code == 200
    assert version.json()["version"]
    api_container = f"{project.name}_api-blue_1"
    check = podman.run("healthcheck", "run", api_container, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    # The worker connected to the queue and keeps running (a crash would restart it).
    time.sleep(3)
    worker = podman.run(
        "inspect", f"{project.name}_worker_1", "--format", "{{.State.Status}} {{.RestartCount}}"
    )
    state, restarts = worker.stdout.split()
    worker_logs = project.run("logs", "--no-color", "worker").stdout[-3000:]
    assert state == "running", worker_logs
    assert restarts == "0", worker_logs
