"""Podman fixtures for the container tier: the image is built once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest

from integration.container.podman_engine import (
    CONTAINERS_CONF,
    ROOT,
    TIER_RESULTS,
    BuiltImage,
    Podman,
)
from servers import require_tool, unavailable

BASE_IMAGE = os.environ.get("CLAUDE_TUI_BASE_IMAGE", "localhost/claude-tui-base:bookworm")
BUILD_TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="session")
def podman() -> Podman:
    require_tool("podman", install="bash .ci/setup.d/40-containers.sh")
    if os.geteuid() != 0:
        unavailable("the container tier runs rootful podman (run the tests as root)")
    engine = Podman({**os.environ, "CONTAINERS_CONF": str(CONTAINERS_CONF)})
    if engine.run("image", "exists", BASE_IMAGE, check=False).returncode != 0:
        unavailable(f"base image {BASE_IMAGE} is missing (run deploy/docker/make-base-image.sh)")
    return engine


@pytest.fixture(scope="module")
def docker_host(podman: Podman, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """podman's Docker-compatible API on a private socket, for docker-compose."""
    require_tool("docker-compose", install="apt-get install docker-compose")
    socket = tmp_path_factory.mktemp("podman-api") / "podman.sock"
    service = subprocess.Popen(
        ["podman", "system", "service", "--time=0", f"unix://{socket}"],
        env=podman.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert socket.exists(), "podman system service did not create its socket"
    yield f"unix://{socket}"
    service.terminate()
    service.wait(timeout=20)


def _host_script(script: str) -> float:
    """Run a wheel-building script of deploy/docker with the tests' interpreter; its seconds."""
    started = time.monotonic()
    built = subprocess.run(
        ["bash", str(ROOT / "deploy" / "docker" / script)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PYTHON": os.environ.get("PYTHON", sys.executable)},
    )
    assert built.returncode == 0, built.stderr[-2000:]
    return time.monotonic() - started


def _build(podman: Podman, tag: str, revision: str, *target: str) -> float:
    """Build ``tag`` from the local base (``target``: ``--target NAME``); its seconds."""
    started = time.monotonic()
    podman.run(
        "build",
        "--format",
        "docker",
        "--layers",
        *target,
        "-f",
        str(ROOT / "deploy" / "docker" / "Dockerfile"),
        "--build-arg",
        f"BASE_IMAGE={BASE_IMAGE}",
        "--build-arg",
        f"REVISION={revision or 'unknown'}",
        "-t",
        tag,
        str(ROOT),
        timeout=1200,
    )
    return time.monotonic() - started


def _revision() -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()


def _size(podman: Podman, tag: str) -> int:
    return int(podman.run("image", "inspect", tag, "--format", "{{.Size}}").stdout.strip())


@pytest.fixture(scope="session")
def image(podman: Podman) -> Iterator[BuiltImage]:
    """Wheels built on the host, then the image built from the local base; untagged at the end."""
    BUILD_TIMINGS["wheels_seconds"] = _host_script("build-wheels.sh")
    revision = _revision()
    tag = f"localhost/claude-tui:test-{uuid.uuid4().hex[:10]}"
    BUILD_TIMINGS["build_seconds"] = _build(podman, tag, revision)
    size = _size(podman, tag)
    BUILD_TIMINGS["image_bytes"] = size
    yield BuiltImage(tag=tag, revision=revision, size_bytes=size)
    # Untag rather than remove: the layers stay in the build cache for the next session (the
    # unique top layers are a few MB; `podman image prune` reclaims them).
    podman.run("untag", tag, tag, check=False)


@pytest.fixture(scope="session")
def audit_image(podman: Podman, image: BuiltImage) -> Iterator[BuiltImage]:
    """The image's `audit` target (the scanners added), from wheels built on the host."""
    wheels = _host_script("build-scanner-wheels.sh")
    tag = f"localhost/claude-tui:test-audit-{uuid.uuid4().hex[:10]}"
    seconds = _build(podman, tag, image.revision, "--target", "audit")
    size = _size(podman, tag)
    TIER_RESULTS["audit image"] = (
        f"scanner wheels {wheels:.1f}s, build {seconds:.1f}s, size {size / 1e6:.0f} MB"
    )
    yield BuiltImage(tag=tag, revision=image.revision, size_bytes=size)
    podman.run("untag", tag, tag, check=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if BUILD_TIMINGS:
        terminalreporter.write_line(
            "container image: wheels {wheels:.1f}s, build {build:.1f}s, size {size:.0f} MB".format(
                wheels=BUILD_TIMINGS.get("wheels_seconds", 0.0),
                build=BUILD_TIMINGS.get("build_seconds", 0.0),
                size=BUILD_TIMINGS.get("image_bytes", 0) / 1e6,
            )
        )
    for name, value in TIER_RESULTS.items():
        terminalreporter.write_line(f"{name}: {value}")
