"""The compose target: two colours of the API and an nginx proxy on one host.

``api-blue`` and ``api-green`` (deploy/compose/compose.prod.yaml) run the image named by
``CLAUDE_TUI_BLUE_IMAGE`` / ``CLAUDE_TUI_GREEN_IMAGE``; the proxy serves the active colour
on the live port and one colour on the preview port. A switch rewrites the proxy's upstream
files (in the environment's state directory, mounted into the proxy), checks the
configuration with ``nginx -t`` and reloads nginx, which finishes in-flight requests on the
old workers: no connection is dropped. Every response of the proxy names the colour that
served it (``X-Claude-Tui-Colour``), which is how a switch is confirmed.

Scaling a colour down pauses its containers by default (``standby = "pause"``: no CPU,
memory kept); ``standby = "stop"`` stops them. A rollback resumes the kept containers with
the engine (``unpause`` or ``start``, never a compose ``up``), waits for ``/ready`` through
the preview route and switches.

The state directory also holds the deploy lock (``deploy.lock``, an fcntl lock naming its
holder), the colours' images and the active colour (``state.json``) and the history
(``history.jsonl``).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

import httpx

from claude_tui.ops.deploy.environments import ComposeSettings, Environment
from claude_tui.ops.deploy.target import (
    COLOURS,
    Colour,
    ColourState,
    DeployLocked,
    TargetError,
    TargetState,
)

COLOUR_HEADER = "X-Claude-Tui-Colour"
ROUTES = ("active", "preview")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


class ComposeTarget:
    """One environment on docker-compose (podman's API socket, or Docker)."""

    name = "compose"

    def __init__(self, env: Environment) -> None:
        if env.compose is None:
            raise TargetError(f"environment {env.name} has no [compose] table")
        self.env = env
        self.settings: ComposeSettings = env.compose
        self.state_dir = self.settings.state_dir
        self.upstreams_dir = self.state_dir / "upstreams"
        self.state_file = self.state_dir / "state.json"
        self.history_file = self.state_dir / "history.jsonl"
        self.lock_file = self.state_dir / "deploy.lock"

    # --- commands -------------------------------------------------------------------------

    def _compose_command(self) -> list[str]:
        if self.settings.engine == "podman" or shutil.which("docker") is None:
            return ["docker-compose"]
        return ["docker", "compose"]

    def _environ(self) -> dict[str, str]:
        state = self._read_state()
        environ = {
            **os.environ,
            **self.settings.env,
            "CLAUDE_TUI_PROXY_UPSTREAMS": str(self.upstreams_dir),
            "COMPOSE_INTERACTIVE_NO_CLI": "1",
        }
        if self.settings.docker_host:
            environ["DOCKER_HOST"] = self.settings.docker_host
        images = state["images"]
        for colour in COLOURS:
            if images.get(colour):
                environ[f"CLAUDE_TUI_{colour.upper()}_IMAGE"] = images[colour]
        active = state.get("active")
        if active and images.get(active):
            environ["CLAUDE_TUI_IMAGE"] = images[active]
        return environ

    def _run(
        self,
        args: list[str],
        what: str,
        timeout: float = 300,
        environ: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        try:
            result = subprocess.run(  # noqa: S603 - argument lists, never a shell
                args,
                capture_output=True,
                text=True,
                env=environ or self._environ(),
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError as exc:
            raise TargetError(f"{what}: {args[0]} is not installed") from exc
        except subprocess.TimeoutExpired as exc:
            raise TargetError(f"{what}: no result within {timeout:g}s") from exc
        if result.returncode != 0:
            raise TargetError(f"{what} failed: {_last_line(result.stderr or result.stdout)}")
        return result

    def _compose(
        self, *args: str, what: str, timeout: float = 300, environ: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [*self._compose_command(), "-p", self.settings.project]
        if self.settings.project_directory is not None:
            command += ["--project-directory", str(self.settings.project_directory)]
        for path in self.settings.files:
            command += ["-f", str(path)]
        return self._run([*command, *args], what, timeout, environ)

    def _engine(self, *args: str, what: str, timeout: float = 120) -> str:
        return self._run([self.settings.engine, *args], what, timeout).stdout

    def _containers(
        self, service: str, running_only: bool = False, status: str | None = None
    ) -> list[str]:
        filters = [
            "--filter",
            f"label=com.docker.compose.project={self.settings.project}",
            "--filter",
            f"label=com.docker.compose.service={service}",
        ]
        if running_only or status:
            filters += ["--filter", f"status={status or 'running'}"]
        out = self._engine("ps", "-a", "-q", *filters, what=f"list {service}")
        return out.split()

    @staticmethod
    def service(colour: Colour) -> str:
        return f"api-{colour}"

    # --- state ----------------------------------------------------------------------------

    def _read_state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"active": None, "images": {}, "preview": None, "served": {}}
        except (OSError, ValueError) as exc:
            raise TargetError(f"unreadable deploy state {self.state_file}: {exc}") from exc
        data.setdefault("images", {})
        data.setdefault("preview", None)
        if "served" not in data:
            # Written before the served releases were kept: a failed release was removed then,
            # so whatever a colour holds was live once.
            data["served"] = {c: i for c, i in data["images"].items() if i}
        return dict(data)

    def _write_state(self, data: dict[str, Any]) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        scratch = self.state_file.with_suffix(".tmp")
        scratch.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        scratch.replace(self.state_file)

    def state(self) -> TargetState:
        data = self._read_state()
        colours: dict[Colour, ColourState] = {}
        for colour in COLOURS:
            image = data["images"].get(colour)
            served = data["served"].get(colour)
            if image is None and served is None:
                continue
            running = 0
            if image is not None:
                running = len(self._containers(self.service(colour), running_only=True))
            colours[colour] = ColourState(colour, image, running, running, served)
        return TargetState(data.get("active"), colours)

    # --- preflight and lock ---------------------------------------------------------------

    def preflight(self, image: str) -> list[str]:
        problems: list[str] = []
        compose = self._compose_command()[0]
        for tool in {compose, self.settings.engine}:
            if shutil.which(tool) is None:
                problems.append(f"{tool} is not installed")
        if problems:
            return problems
        for path in self.settings.files:
            if not path.exists():
                problems.append(f"compose file {path} does not exist")
        if problems:
            return problems
        try:
            self._engine(
                "info",
                "--format",
                "{{.Host.Arch}}" if self._podman else "{{.Arch}}",
                what=f"{self.settings.engine} info",
                timeout=60,
            )
        except TargetError as exc:
            return [f"the container engine is not reachable: {exc}"]
        try:
            self._engine("image", "inspect", image, "--format", "{{.Id}}", what="image inspect")
        except TargetError:
            try:
                self._engine("pull", image, what="pull", timeout=600)
            except TargetError:
                problems.append(f"image {image} is not on this host and cannot be pulled")
        environ = self._environ()
        environ["CLAUDE_TUI_IMAGE"] = image
        try:
            self._compose("config", "-q", what="compose config", timeout=60, environ=environ)
        except TargetError as exc:
            problems.append(str(exc))
        return problems

    @property
    def _podman(self) -> bool:
        return self.settings.engine == "podman"

    @contextmanager
    def lock(self, owner: str) -> Iterator[None]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        handle = self.lock_file.open("a+", encoding="utf-8")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                handle.seek(0)
                holder = handle.read().strip() or "an unknown process"
                raise DeployLocked(
                    f"another deploy of {self.env.name} is in progress ({holder})"
                ) from exc
            handle.seek(0)
            handle.truncate()
            since = datetime.now(UTC).isoformat(timespec="seconds")
            handle.write(f"{owner}, pid {os.getpid()} on {socket.gethostname()}, since {since}")
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                handle.flush()
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()

    # --- migrations and colours -----------------------------------------------------------

    def run_migrations(self, image: str) -> None:
        """The migrate service, started by compose and waited for through the engine (faster
        and more reliable than ``compose run`` on podman's API)."""
        environ = self._environ()
        environ["CLAUDE_TUI_IMAGE"] = image
        service = self.settings.migrate_service
        try:
            self._compose(
                "up", "-d", "--no-deps", "--force-recreate", service,
                what="start the migrations", timeout=600, environ=environ,
            )  # fmt: skip
            containers = self._containers(service)
            if not containers:
                raise TargetError(f"the {service} service started no container")
            codes = self._engine("wait", *containers, what="wait for the migrations", timeout=900)
            for container, code in zip(containers, codes.split(), strict=False):
                if code.strip() != "0":
                    logs = self._run(
                        [self.settings.engine, "logs", "--tail", "20", container],
                        "read the migration logs",
                    )
                    raise TargetError(
                        f"migrations exited with {code.strip()}: "
                        f"{_last_line(logs.stderr + logs.stdout)}"
                    )
        finally:
            with suppress(TargetError):
                self._compose("rm", "-f", "-s", service, what="remove the migration container")

    def _kept(self, service: str) -> dict[str, str]:
        """The service's containers (id -> state: running, paused, exited, ...), one call."""
        out = self._engine(
            "ps", "-a", "--format", "{{.ID}} {{.State}}",
            "--filter", f"label=com.docker.compose.project={self.settings.project}",
            "--filter", f"label=com.docker.compose.service={service}",
            what=f"list {service}",
        )  # fmt: skip
        kept: dict[str, str] = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2:
                kept[parts[0]] = parts[1].lower()
        return kept

    def resume(self, colour: Colour, image: str, replicas: int) -> bool:
        # The engine's own unpause/start: compose would re-read the files and recreate
        # containers whose configuration it finds changed, which costs seconds (a cold start).
        if self._read_state()["images"].get(colour) != image:
            return False
        service = self.service(colour)
        kept = self._kept(service)
        if len(kept) < max(replicas, 1):
            return False
        paused = [c for c, state in kept.items() if state == "paused"]
        stopped = [c for c, state in kept.items() if state in ("exited", "stopped", "created")]
        if paused:
            self._engine("unpause", *paused, what=f"resume {service}")
        if stopped:
            self._engine("start", *stopped, what=f"start {service}")
        return True

    def _resume(self, service: str) -> None:
        """Unfreeze the containers a pause-standby scale-down left (a no-op otherwise)."""
        paused = self._containers(service, status="paused")
        if paused:
            self._engine("unpause", *paused, what=f"resume {service}")

    def bring_up(self, colour: Colour, image: str, replicas: int) -> None:
        data = self._read_state()
        data["images"][colour] = image
        self._write_state(data)
        service = self.service(colour)
        self._resume(service)
        self._compose(
            "up",
            "-d",
            "--no-deps",
            "--scale",
            f"{service}={replicas}",
            service,
            what=f"start {service}",
            timeout=600,
        )
        self._route("preview", colour)

    def wait_ready(self, colour: Colour, timeout: float) -> None:
        url = self.preview_url(colour).rstrip("/") + "/ready"
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            try:
                response = httpx.get(url, timeout=5.0)
                served_by = response.headers.get(COLOUR_HEADER)
                if response.status_code == 200 and served_by == colour:
                    return
                last = f"{response.status_code} from {served_by or 'the proxy'}"
            except httpx.HTTPError as exc:
                last = type(exc).__name__
            if not self._containers(self.service(colour), running_only=True):
                raise TargetError(f"{self.service(colour)} stopped before it was ready")
            time.sleep(0.5)
        raise TargetError(f"{colour} not ready within {timeout:g}s (last answer: {last})")

    def preview_url(self, colour: Colour) -> str:
        if self._read_state().get("preview") != colour:
            self._route("preview", colour)
        return self.settings.preview_url

    def switch(self, colour: Colour) -> None:
        data = self._read_state()
        if not data["images"].get(colour):
            raise TargetError(f"{colour} is not deployed")
        data["active"] = colour
        self._write_state(data)
        self._apply(data, preview=data.get("preview") or colour)

    def analysis_urls(self, colour: Colour, baseline: Colour) -> tuple[str, str]:
        # One preview route: ``colour`` is reached through the live route it now serves.
        if self._read_state().get("active") != colour:
            raise TargetError(f"{colour} does not serve live traffic: nothing to compare")
        self._route("preview", baseline)
        return self.settings.active_url, self.settings.preview_url

    def mark_served(self, colour: Colour, image: str) -> None:
        data = self._read_state()
        data["served"][colour] = image
        self._write_state(data)

    def restore_standby(self, colour: Colour, image: str, replicas: int, timeout: float) -> None:
        self.bring_up(colour, image, replicas)
        self.wait_ready(colour, timeout)
        self.scale_down(colour)

    def scale_down(self, colour: Colour) -> None:
        data = self._read_state()
        if data.get("active") == colour:
            raise TargetError(f"{colour} serves live traffic; switch away before scaling it down")
        if data.get("preview") == colour and data.get("active"):
            self._route("preview", data["active"])
        service = self.service(colour)
        running = self._containers(service, running_only=True)
        if self.settings.standby == "pause" and running:
            self._engine("pause", *running, what=f"pause {service}")
        else:
            self._compose("stop", "-t", "30", service, what=f"stop {service}", timeout=120)

    def tear_down(self, colour: Colour) -> None:
        data = self._read_state()
        if data.get("active") == colour:
            raise TargetError(f"{colour} serves live traffic; it cannot be torn down")
        if data.get("active"):
            if data.get("preview") == colour:
                self._route("preview", data["active"])
        else:
            # Nothing is live: the proxy has nothing to serve either.
            self._compose(
                "stop", "-t", "5", self.settings.proxy_service, what="stop the proxy", timeout=60
            )
            data = self._read_state()
            data["preview"] = None
            self._write_state(data)
        service = self.service(colour)
        self._resume(service)
        self._compose("rm", "-f", "-s", service, what=f"remove {service}", timeout=120)
        data = self._read_state()
        data["images"][colour] = None
        self._write_state(data)

    # --- the proxy ------------------------------------------------------------------------

    def _route(self, route: str, colour: Colour) -> None:
        data = self._read_state()
        if route == "preview":
            data["preview"] = colour
        self._write_state(data)
        self._apply(data, preview=data["preview"] or colour)

    def _apply(self, data: dict[str, Any], preview: Colour) -> None:
        """Write both upstream files, then start or reload the proxy and wait until both
        routes answer from the colours they name."""
        active: Colour = data.get("active") or preview
        self.upstreams_dir.mkdir(parents=True, exist_ok=True)
        wanted = {"active": active, "preview": preview}
        for route, colour in wanted.items():
            text = (
                f"# Written by claude-tui deploy ({self.env.name}): {route} -> {colour}.\n"
                f"upstream claude_tui_{route} {{\n"
                f"    server {self.settings.upstreams[colour]};\n"
                "}\n"
                f'map "" $claude_tui_{route}_colour {{\n    default "{colour}";\n}}\n'
            )
            scratch = self.upstreams_dir / f".{route}.conf.tmp"
            scratch.write_text(text, encoding="utf-8")
            scratch.replace(self.upstreams_dir / f"{route}.conf")
        proxies = self._containers(self.settings.proxy_service, running_only=True)
        if not proxies:
            self._compose(
                "up",
                "-d",
                "--no-deps",
                self.settings.proxy_service,
                what="start the proxy",
                timeout=300,
            )
        else:
            for container in proxies:
                # One exec: each costs a few hundred ms on a busy host. A configuration that
                # fails the check is never loaded (and the reload alone would not say so).
                self._engine(
                    "exec", container, "sh", "-c", "nginx -t -q && nginx -s reload",
                    what="check and reload the proxy",
                )  # fmt: skip
        self._confirm(self.settings.active_url, active)
        self._confirm(self.settings.preview_url, preview)

    def _confirm(self, url: str, colour: Colour, timeout: float = 30.0) -> None:
        """Wait until ``url`` is served through the upstream of ``colour``."""
        deadline = time.monotonic() + timeout
        seen = "no answer"
        while time.monotonic() < deadline:
            try:
                response = httpx.get(url.rstrip("/") + "/health", timeout=3.0)
                seen = response.headers.get(COLOUR_HEADER) or "no colour header"
                if seen == colour:
                    return
            except httpx.HTTPError as exc:
                seen = type(exc).__name__
            time.sleep(0.1)
        raise TargetError(f"the proxy at {url} does not route to {colour} ({seen})")

    # --- history --------------------------------------------------------------------------

    def history_lines(self) -> Iterator[str]:
        try:
            with self.history_file.open(encoding="utf-8") as handle:
                yield from (line.rstrip("\n") for line in handle if line.strip())
        except FileNotFoundError:
            return

    def append_history(self, line: str) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with self.history_file.open("a", encoding="utf-8") as handle:
            handle.write(line.rstrip("\n") + "\n")
            handle.flush()
            os.fsync(handle.fileno())
