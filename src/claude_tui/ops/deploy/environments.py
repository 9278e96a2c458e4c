"""Deployment environments: ``deploy/environments/NAME.toml``, validated on load.

An environment names its target (compose or Kubernetes), its replicas, whether a person
confirms the deploy, whether a passing security scan of the image is required, the gates of
a release (readiness, smoke paths, analysis thresholds, grace period), where the database to
back up is, and the target's own table (``[compose]`` or ``[k8s]``). A bad file is one
:class:`EnvironmentFileError` line naming the file and the field.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

if TYPE_CHECKING:
    from claude_tui.ops.deploy.target import Target

ENVIRONMENT_NAMES = ("development", "staging", "production")
DEFAULT_DIR = Path(__file__).resolve().parents[4] / "deploy" / "environments"


class EnvironmentFileError(Exception):
    """An environment file is missing or invalid; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Gates(_Strict):
    """What a new colour must pass before (and after) it takes traffic."""

    readiness_timeout: float = Field(default=120.0, gt=0, le=3600)
    smoke_paths: list[str] = Field(default_factory=lambda: ["/health", "/ready", "/version"])
    # Paths the analysis sends its probe requests to (default: the smoke paths).
    analysis_paths: list[str] = Field(default_factory=list)
    analysis_window: float = Field(default=30.0, ge=0, le=3600)
    # Probe requests per second during the analysis (0: only the traffic the colour gets).
    analysis_rate: float = Field(default=10.0, ge=0, le=1000)
    min_success_rate: float = Field(default=0.99, ge=0, le=1)
    max_p99_ms: float = Field(default=500.0, gt=0)
    min_requests: int = Field(default=20, ge=0)
    # Latency is judged only over this many requests: a p99 of a few dozen is one slow answer.
    min_latency_samples: int = Field(default=100, ge=0)
    # After the switch the new colour's p99 is compared with the old colour's over the same
    # window (same host, same load): above max_p99_ms (the floor) it fails only when it is
    # also more than this many times the old one's.
    max_p99_ratio: float = Field(default=1.5, ge=1)
    # An inconclusive analysis (too few requests to judge) is extended by one more window, at
    # most this many times; still inconclusive then, it fails (a gate that could not judge
    # does not pass).
    max_extensions: int = Field(default=2, ge=0, le=20)
    post_switch_window: float = Field(default=30.0, ge=0, le=3600)
    grace_period: float = Field(default=60.0, ge=0, le=86400)
    # Prometheus that scrapes the colours: the analysis queries it instead of reading /metrics
    # (every replica counts). The selector picks the new colour's series; {colour} is replaced.
    prometheus_url: str | None = None
    prometheus_selector: str = 'colour="{colour}"'
    # How often Prometheus scrapes the colours: after the probe window the analysis waits one
    # interval, so that the last scrape has the window's requests, and queries over both.
    prometheus_scrape_interval: float = Field(default=15.0, gt=0, le=300)

    @model_validator(mode="after")
    def _paths(self) -> Gates:
        for path in (*self.smoke_paths, *self.analysis_paths):
            if not path.startswith("/"):
                raise ValueError(f"path {path!r} must start with /")
        return self

    @property
    def probe_paths(self) -> list[str]:
        return self.analysis_paths or self.smoke_paths


class Backup(_Strict):
    """The database backed up before the migrations of every deploy."""

    # The URL, or a file holding it (a secret), or neither: no backup step.
    database_url: str | None = None
    database_url_file: Path | None = None
    directory: Path | None = None
    keep: int = Field(default=14, ge=1)
    required: bool = True

    def resolved_url(self) -> str | None:
        if self.database_url:
            value = os.path.expandvars(self.database_url).strip()
            # A variable that is not set leaves "$NAME" behind: no database named.
            return None if not value or "$" in value else value
        if self.database_url_file is not None:
            try:
                return self.database_url_file.read_text(encoding="utf-8").strip() or None
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise EnvironmentFileError(
                    f"backup.database_url_file {self.database_url_file}: {exc.strerror}"
                ) from exc
        return None


class ComposeSettings(_Strict):
    project: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    files: list[Path] = Field(min_length=1)
    # Where relative paths of the compose files resolve (default: the first file's directory).
    project_directory: Path | None = None
    engine: Literal["podman", "docker"] = "podman"
    # DOCKER_HOST for docker-compose (podman's API socket); unset: the engine's default.
    docker_host: str | None = None
    active_url: str
    preview_url: str
    state_dir: Path
    # The address of each colour as the proxy reaches it (compose network or host network).
    upstreams: dict[str, str] = Field(
        default_factory=lambda: {"blue": "api-blue:8000", "green": "api-green:8000"}
    )
    # What scale-down does to the old colour: "pause" freezes its containers (no CPU, memory
    # kept; a rollback resumes them in a second), "stop" stops them (a rollback starts them).
    standby: Literal["pause", "stop"] = "pause"
    proxy_service: str = "proxy"
    migrate_service: str = "migrate"
    # Extra environment for docker-compose (variables the compose files read).
    env: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _colours(self) -> ComposeSettings:
        if set(self.upstreams) != {"blue", "green"}:
            raise ValueError("upstreams must name exactly blue and green")
        return self


class K8sSettings(_Strict):
    namespace: str = Field(min_length=1)
    kubeconfig: Path | None = None
    context: str | None = None
    manifests: Path = Path("deploy/k8s/overlays/staging")
    active_service: str = "claude-tui-api"
    preview_service: str = "claude-tui-api-preview"
    preview_url: str | None = None
    state_configmap: str = "claude-tui-deploy-state"


class Environment(_Strict):
    name: str
    path: Path
    target: Literal["compose", "k8s"]
    replicas: int = Field(default=1, ge=1, le=100)
    confirm: bool = False
    require_security_scan: bool = False
    # Where passing scan records live (JSON files, see docs/operations/deploy.md).
    security_scan_dir: Path | None = None
    # Health of the live route for `deploy status` (default: the compose active URL).
    public_url: str | None = None
    gates: Gates = Field(default_factory=Gates)
    backup: Backup = Field(default_factory=lambda: Backup(required=False))
    compose: ComposeSettings | None = None
    k8s: K8sSettings | None = None

    @model_validator(mode="after")
    def _target_table(self) -> Environment:
        if self.target == "compose" and self.compose is None:
            raise ValueError("target is compose but there is no [compose] table")
        if self.target == "k8s" and self.k8s is None:
            raise ValueError("target is k8s but there is no [k8s] table")
        if self.require_security_scan and self.security_scan_dir is None:
            raise ValueError("require_security_scan needs security_scan_dir")
        if self.backup.required and not (self.backup.database_url or self.backup.database_url_file):
            raise ValueError("backup.required needs backup.database_url or database_url_file")
        return self

    @property
    def health_url(self) -> str | None:
        if self.public_url:
            return self.public_url
        return self.compose.active_url if self.compose is not None else None


def _resolve_paths(data: dict[str, object], base: Path) -> None:
    """Relative paths in the file are relative to the file's directory."""

    def fix(table: object, keys: tuple[str, ...]) -> None:
        if not isinstance(table, dict):
            return
        for key in keys:
            value = table.get(key)
            if isinstance(value, str) and value and not Path(value).is_absolute():
                table[key] = str((base / value).resolve())
            elif isinstance(value, list):
                table[key] = [
                    str((base / v).resolve())
                    if isinstance(v, str) and not Path(v).is_absolute()
                    else v
                    for v in value
                ]

    fix(data, ("security_scan_dir",))
    fix(data.get("backup"), ("database_url_file", "directory"))
    fix(data.get("compose"), ("files", "state_dir", "project_directory"))
    fix(data.get("k8s"), ("kubeconfig", "manifests"))


def load_file(path: Path, name: str | None = None) -> Environment:
    """Load and validate one environment file."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise EnvironmentFileError(f"{path}: no such environment file") from exc
    except OSError as exc:
        raise EnvironmentFileError(f"{path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise EnvironmentFileError(f"{path}: not valid TOML: {exc}") from exc
    _resolve_paths(data, path.parent)
    data.setdefault("name", name or path.stem)
    data["path"] = str(path)
    try:
        return Environment.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "file"
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        raise EnvironmentFileError(f"{path}: {where}: {message}") from exc


def environments_dir() -> Path:
    configured = os.environ.get("CLAUDE_TUI_DEPLOY_ENVIRONMENTS")
    return Path(configured) if configured else DEFAULT_DIR


def load(name: str, directory: Path | None = None) -> Environment:
    """The environment ``name`` from ``directory`` (default: deploy/environments, or
    ``$CLAUDE_TUI_DEPLOY_ENVIRONMENTS``)."""
    folder = directory or environments_dir()
    path = folder / f"{name}.toml"
    if not path.exists():
        known = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
        raise EnvironmentFileError(
            f"unknown environment {name!r}: no {path}"
            + (f" (known: {', '.join(known)})" if known else "")
        )
    return load_file(path, name)


def make_target(env: Environment) -> Target:
    """The target the environment names."""
    from claude_tui.ops.deploy.target import TargetError

    if env.target == "compose":
        from claude_tui.ops.deploy.compose import ComposeTarget

        return ComposeTarget(env)
    try:
        from claude_tui.ops.deploy import k8s
    except ImportError as exc:
        raise TargetError(f"the Kubernetes target is not available: {exc}") from exc
    target: Target = k8s.KubernetesTarget(env)
    return target
