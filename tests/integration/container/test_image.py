"""The image, built from the local base and run as production runs it: read-only, non-root."""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from integration.container.podman_engine import TIER_RESULTS, BuiltImage, Podman
from servers import free_port

pytestmark = [pytest.mark.container, pytest.mark.slow, pytest.mark.xdist_group("container")]

APP_UID = 10001
GRACE_SECONDS = 30
# Megabytes as podman and docker print them (10^6 bytes).
MAX_IMAGE_BYTES = 400 * 1000 * 1000
HARDENED = (
    "--read-only",
    "--read-only-tmpfs=false",  # only the mounts below are writable
    "--tmpfs",
    "/tmp:rw,size=64m",
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges",
)


@dataclass(frozen=True)
class RunningApi:
    name: str
    base_url: str
    data_dir: Path


def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("container-data")
    data.chmod(0o750)
    os.chown(data, APP_UID, APP_UID)
    return data


def _wait_ready(base_url: str, timeout: float = 60.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    last: str = "no answer"
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{base_url}/ready", timeout=2)
        except httpx.HTTPError as exc:
            last = str(exc)
        else:
            if response.status_code == 200:
                return response
            last = f"HTTP {response.status_code}: {response.text[:300]}"
        time.sleep(0.25)
    raise AssertionError(f"{base_url}/ready did not answer 200 within {timeout:g}s: {last}")


@pytest.fixture(scope="module")
def api(
    podman: Podman, image: BuiltImage, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApi]:
    """The API on a migrated SQLite database in the data volume, hardened as in production."""
    data = _data_dir(tmp_path_factory)
    volume = f"{data}:/var/lib/claude-tui"
    migrated = podman.run("run", "--rm", *HARDENED, "-v", volume, image.tag, "migrate")
    assert "database at head" in migrated.stdout
    port = free_port()
    name = f"ctui-api-{port}"
    podman.run(
        "run",
        "-d",
        "--name",
        name,
        *HARDENED,
        "-v",
        volume,
        "-e",
        f"CLAUDE_TUI_SECRET_KEY={secrets.token_urlsafe(48)}",
        "-p",
        f"127.0.0.1:{port}:8000",
        image.tag,
    )
    running = RunningApi(name=name, base_url=f"http://127.0.0.1:{port}", data_dir=data)
    try:
        _wait_ready(running.base_url)
        yield running
    finally:
        podman.run("rm", "-f", "-t", "0", name, check=False)


def test_image_metadata_declares_user_healthcheck_init_and_labels(
    podman: Podman, image: BuiltImage
) -> None:
    inspected = json.loads(podman.run("image", "inspect", image.tag).stdout)[0]
    config = inspected["Config"]
    assert config["User"] == f"{APP_UID}:{APP_UID}"
    assert config["Entrypoint"][0] == "tini"
    assert config["Cmd"] == ["serve"]
    assert inspected["Healthcheck"]["Test"][:3] == ["CMD", "claude-tui", "health-check"]
    labels = config["Labels"]
    assert labels["org.opencontainers.image.revision"] == image.revision
    assert labels["org.opencontainers.image.version"]
    assert labels["org.opencontainers.image.source"].startswith("https://")
    assert "8000/tcp" in config["ExposedPorts"]


def test_health_and_ready_answer_from_a_read_only_container(api: RunningApi) -> None:
    health = httpx.get(f"{api.base_url}/health", timeout=5)
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}
    ready = httpx.get(f"{api.base_url}/ready", timeout=5)
    assert ready.status_code == 200
    assert ready.json()["components"]["database"]["ok"] is True
    assert (api.data_dir / "claude-tui.db").is_file(), "the database lives in the data volume"


def test_every_process_runs_as_the_app_user_not_root(podman: Podman, api: RunningApi) -> None:
    rows = podman.run("top", api.name, "huser", "args").stdout.strip().splitlines()[1:]
    assert rows, "podman top listed no process"
    for row in rows:
        assert row.split()[0] == str(APP_UID), row
    assert podman.run("exec", api.name, "id", "-u").stdout.strip() == str(APP_UID)


def test_root_filesystem_is_read_only_and_tmp_is_writable(podman: Podman, api: RunningApi) -> None:
    denied = podman.run("exec", api.name, "touch", "/opt/claude-tui/x", check=False)
    assert denied.returncode != 0
    assert "Read-only file system" in denied.stderr
    assert podman.run("exec", api.name, "touch", "/tmp/x", check=False).returncode == 0


def test_healthcheck_passes_on_a_ready_server(podman: Podman, api: RunningApi) -> None:
    result = podman.run("healthcheck", "run", api.name, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_healthcheck_fails_while_the_database_is_not_migrated(
    podman: Podman, image: BuiltImage, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = _data_dir(tmp_path_factory)
    name = f"ctui-unmigrated-{free_port()}"
    podman.run(
        "run",
        "-d",
        "--name",
        name,
        *HARDENED,
        "-v",
        f"{data}:/var/lib/claude-tui",
        "-e",
        "CLAUDE_TUI_ENV=development",
        image.tag,
    )
    try:
        probe = podman.run("exec", name, "claude-tui", "health-check", check=False)
        for _ in range(40):  # the server may still be starting: wait for an HTTP answer
            if "did not answer" not in probe.stderr:
                break
            time.sleep(0.25)
            probe = podman.run("exec", name, "claude-tui", "health-check", check=False)
        assert probe.returncode == 1
        assert "not ready" in probe.stderr
        assert "database" in probe.stderr
        assert "Traceback" not in probe.stderr
        assert podman.run("healthcheck", "run", name, check=False).returncode != 0
    finally:
        podman.run("rm", "-f", "-t", "0", name, check=False)


def test_production_profile_without_secret_key_exits_with_one_line(
    podman: Podman, image: BuiltImage
) -> None:
    result = podman.run("run", "--rm", *HARDENED, image.tag, "serve", check=False)
    assert result.returncode == 2
    assert "CLAUDE_TUI_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_secret_key_is_read_from_a_mounted_file(
    podman: Podman, image: BuiltImage, tmp_path: Path
) -> None:
    secret = tmp_path / "secret-key"
    secret.write_text(secrets.token_urlsafe(48) + "\n", encoding="utf-8")
    secret.chmod(0o444)
    mounted = podman.run(
        "run",
        "--rm",
        *HARDENED,
        "-v",
        f"{secret}:/run/secrets/secret-key:ro",
        "-e",
        "CLAUDE_TUI_SECRET_KEY_FILE=/run/secrets/secret-key",
        image.tag,
        "config",
        "show",
        check=False,
    )
    assert mounted.returncode == 0, mounted.stderr
    assert "**********" in mounted.stdout
    missing = podman.run(
        "run",
        "--rm",
        *HARDENED,
        "-e",
        "CLAUDE_TUI_SECRET_KEY_FILE=/run/secrets/absent",
        image.tag,
        "serve",
        check=False,
    )
    assert missing.returncode == 2
    assert "CLAUDE_TUI_SECRET_KEY_FILE names /run/secrets/absent" in missing.stderr


def test_version_command_matches_the_image_label(podman: Podman, image: BuiltImage) -> None:
    labels = json.loads(podman.run("image", "inspect", image.tag).stdout)[0]["Config"]["Labels"]
    printed = podman.run("run", "--rm", *HARDENED, image.tag, "version").stdout.strip()
    assert printed == labels["org.opencontainers.image.version"]


def test_worker_command_is_available_in_the_image(podman: Podman, image: BuiltImage) -> None:
    result = podman.run("run", "--rm", *HARDENED, image.tag, "worker", "--help", check=False)
    assert result.returncode == 0, result.stderr
    assert "worker" in result.stdout.lower()


def test_default_image_is_under_400_mb(image: BuiltImage) -> None:
    TIER_RESULTS["default image"] = f"{image.size_bytes / 1e6:.0f} MB"
    assert image.size_bytes < MAX_IMAGE_BYTES, (
        f"the default image weighs {image.size_bytes / 1e6:.0f} MB, over "
        f"{MAX_IMAGE_BYTES / 1e6:.0f} MB (podman history {image.tag} shows which layer grew)"
    )


def test_image_has_no_pip_compiler_or_scanner_binaries(podman: Podman, image: BuiltImage) -> None:
    found = podman.run(
        "run",
        "--rm",
        *HARDENED,
        image.tag,
        "sh",
        "-c",
        "for tool in pip pip3 gcc cc strip gitleaks semgrep hadolint trivy; do "
        "command -v $tool || true; done; "
        'python -c \'import importlib.util as u; print(u.find_spec("pip") or "")\'',
    )
    assert found.stdout.split() == []


def test_every_language_the_validation_engine_parses_has_its_grammar(
    podman: Podman, image: BuiltImage
) -> None:
    parsed = podman.run(
        "run",
        "--rm",
        *HARDENED,
        image.tag,
        "python",
        "-c",
        "from claude_tui.validation.languages import Language\n"
        "from claude_tui.validation.treesitter import parse\n"
        "for language in Language:\n"
        "    tree = parse(language, b'x = 1\\n')\n"
        "    print(language.value, tree.root_node.type)",
        check=False,
    )
    assert parsed.returncode == 0, parsed.stderr[-2000:]
    languages = [line.split()[0] for line in parsed.stdout.splitlines()]
    assert languages == ["python", "javascript", "typescript", "tsx", "go", "rust", "java", "bash"]


def _audited_project(tmp_path_factory: pytest.TempPathFactory, required: list[str]) -> Path:
    """A project with a Dockerfile that hadolint flags; ``required`` scanners in its policy."""
    project = tmp_path_factory.mktemp("audited")
    (project / "Dockerfile").write_text(
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n", encoding="utf-8"
    )
    (project / ".claude-tui").mkdir()
    (project / ".claude-tui" / "audit.toml").write_text(
        f"[scanners]\nrequired = {json.dumps(required)}\n", encoding="utf-8"
    )
    for path in (project, *project.rglob("*")):
        os.chown(path, APP_UID, APP_UID)
    return project


def _audit(podman: Podman, tag: str, project: Path) -> tuple[int, dict[str, dict[str, str]], str]:
    """``claude-tui audit`` of ``project`` in the image: exit code, scanners by name, text."""
    run = [
        "run",
        "--rm",
        *HARDENED,
        "-v",
        f"{project}:/project:ro",
        tag,
        "claude-tui",
        "audit",
        "/project",
        "--only",
        "infra.hadolint",
        "--only",
        "secrets",
    ]
    report = podman.run(*run, "--format", "json", check=False)
    assert "Traceback" not in report.stderr, report.stderr[-2000:]
    parsed = json.loads(report.stdout)
    text = podman.run(*run, check=False)
    assert text.returncode == report.returncode
    return report.returncode, {s["name"]: s for s in parsed["scanners"]}, text.stdout


def test_audit_in_the_default_image_says_its_scanners_are_not_installed(
    podman: Podman, image: BuiltImage, tmp_path_factory: pytest.TempPathFactory
) -> None:
    optional = _audited_project(tmp_path_factory, ["secrets"])
    code, scanners, text = _audit(podman, image.tag, optional)
    hadolint = scanners["infra.hadolint"]
    assert hadolint["status"] == "not run"
    assert hadolint["reason"] == "hadolint is not installed (1 file(s) not checked)"
    assert "infra.hadolint: not run - hadolint is not installed" in text
    assert scanners["secrets"]["reason"] == "gitleaks engine not installed"
    assert code == 0, "an optional scanner that did not run does not fail the audit"

    required = _audited_project(tmp_path_factory, ["secrets", "infra.hadolint"])
    code, scanners, text = _audit(podman, image.tag, required)
    assert code == 2, text
    assert scanners["infra.hadolint"]["status"] == "not run"
    assert "Result: INCOMPLETE" in text


def test_audit_image_runs_the_scanners(
    podman: Podman, audit_image: BuiltImage, tmp_path_factory: pytest.TempPathFactory
) -> None:
    project = _audited_project(tmp_path_factory, ["secrets", "infra.hadolint"])
    code, scanners, text = _audit(podman, audit_image.tag, project)
    hadolint = scanners["infra.hadolint"]
    assert hadolint["status"] == "completed", hadolint
    assert hadolint["tool"].startswith("Haskell Dockerfile Linter"), hadolint
    assert sum(hadolint["counts"].values()) >= 1, text
    assert "gitleaks" in scanners["secrets"]["tool"], scanners["secrets"]
    assert "not installed" not in text
    assert code in (0, 1), text


# Last in the module: it stops the shared API container.
def test_sigterm_stops_the_server_gracefully_within_the_grace_period(
    podman: Podman, api: RunningApi
) -> None:
    started = time.monotonic()
    podman.run("stop", "-t", str(GRACE_SECONDS), api.name, timeout=GRACE_SECONDS + 30)
    elapsed = time.monotonic() - started
    state = json.loads(podman.run("inspect", api.name).stdout)[0]["State"]
    logs = podman.run("logs", api.name)
    assert elapsed < GRACE_SECONDS / 2, f"stop took {elapsed:.1f}s"
    assert state["ExitCode"] == 0, "SIGKILL (137) or a crash instead of a clean exit"
    assert "Application shutdown complete" in logs.stdout + logs.stderr
