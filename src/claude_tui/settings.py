"""One settings object for the whole platform, read from the environment and `.env`."""

from __future__ import annotations

import ipaddress
import math
import os
import secrets
import stat
from collections import Counter
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from claude_tui.private_files import private_directory
from claude_tui.profile import Profile as Profile
from claude_tui.profile import SettingsError as SettingsError

APP_NAME = "claude-tui"
MIN_SECRET_LENGTH = 32
MIN_SECRET_ENTROPY_BITS = 128.0
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


def default_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def secret_entropy_bits(value: str) -> float:
    """Shannon entropy of the string times its length: a rough bound on guessability."""
    if not value:
        return 0.0
    counts = Counter(value)
    per_char = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return per_char * len(value)


def secret_weakness(value: str) -> str | None:
    """Why a secret key is too weak to sign tokens with, or None when it is fine."""
    if len(value) < MIN_SECRET_LENGTH:
        return f"it has {len(value)} characters, at least {MIN_SECRET_LENGTH} are required"
    if secret_entropy_bits(value) < MIN_SECRET_ENTROPY_BITS:
        return "it is too predictable (repeated or low-variety characters)"
    return None


class Settings(BaseSettings):
    """Effective configuration. Environment variables use the prefix ``CLAUDE_TUI_``."""

    model_config = SettingsConfigDict(
        env_prefix="CLAUDE_TUI_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    env: Profile = Profile.DEVELOPMENT
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    redis_url: str | None = None
    secret_key: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    log_file: Path | None = None
    # Peers whose X-Forwarded-For / X-Forwarded-Proto are believed: the reverse proxy's
    # addresses or networks, comma-separated. Empty trusts no forwarded header from anyone,
    # loopback included, so a client cannot pick the address the login limiter counts.
    forwarded_allow_ips: str = ""
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_concurrent_requests: int = Field(default=20, ge=0, le=100_000)
    request_queue_seconds: float = Field(default=0.1, ge=0, le=60)
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    workspace_root: Path | None = None
    # Vulnerability source of the audits the API runs: the OSV service, or a directory of OSV
    # JSON advisories (a mirror) on machines without access to it.
    audit_osv_url: str = "https://api.osv.dev"
    audit_advisories_dir: Path | None = None
    otlp_endpoint: str | None = None
    access_token_minutes: int = Field(default=15, ge=1, le=1440)
    refresh_token_days: int = Field(default=14, ge=1, le=365)
    login_rate_per_address: str = "30/minute"
    login_rate_per_account: str = "10/minute"
    lockout_failures: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    server_url: str | None = None
    server_token: SecretStr | None = None
    backup_dir: Path | None = None
    backup_key: SecretStr | None = None
    backup_retention: int = Field(default=14, ge=1)
    git_commit: str = Field(default="unknown")
    build_date: str = Field(default="unknown")
    # The AI agent: which model carries out tasks, and what one task may spend.
    agent_provider: Literal["anthropic", "openai", "claude-code"] | None = None
    agent_model: str | None = None
    agent_base_url: str | None = None
    agent_api_key: SecretStr | None = None
    agent_context_tokens: int = Field(default=32768, ge=1024)
    agent_max_output_tokens: int = Field(default=8192, ge=256)
    agent_timeout_seconds: float = Field(default=120.0, gt=0)
    agent_max_retries: int = Field(default=4, ge=0, le=10)
    agent_max_tokens_per_task: int | None = Field(default=2_000_000, ge=1)
    agent_max_cost_usd_per_task: float | None = Field(default=5.0, gt=0)
    agent_max_reflections: int = Field(default=3, ge=0, le=20)
    agent_max_steps: int = Field(default=50, ge=1)
    agent_max_concurrent_tasks: int = Field(default=4, ge=1, le=256)
    agent_lease_seconds: float = Field(default=15.0, ge=1.0)
    agent_command_timeout_seconds: float = Field(default=300.0, gt=0)
    agent_claude_cli: str | None = None
    # The Claude Code CLI runs in the sandbox; these widen it for what it needs of the server:
    # names of environment variables it also gets (a proxy, a config dir), and paths it may
    # write besides the workspace (its login, ~/.claude).
    agent_claude_env: list[str] = Field(default_factory=list)
    agent_claude_paths: list[Path] = Field(default_factory=list)
    # DANGEROUS: run workspace code (tests, the agent's commands) without the bubblewrap
    # sandbox when it cannot start, as the server's user with its files, secrets and network.
    allow_unsandboxed: bool = False
    # A project's tests run with its own virtualenv, else with one built from its declared
    # test dependencies (pip in the sandbox, network on for that step only), kept here
    # (default: the user's cache directory). Off: such projects use claude-tui's interpreter.
    validation_install_test_env: bool = True
    validation_test_env_dir: Path | None = None
    # Where a `claude-tui worker` serves its own /metrics (0 turns it off).
    worker_metrics_host: str = "127.0.0.1"
    worker_metrics_port: int = Field(default=9101, ge=0, le=65535)
    worker_heartbeat_seconds: float = Field(default=15.0, gt=0)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator(
        "redis_url",
        "otlp_endpoint",
        "agent_provider",
        "agent_model",
        "agent_base_url",
        "server_url",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            if entry == "*":
                continue
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network (give e.g. 10.0.0.0/8, ::1 or *)"
                ) from None
        return ",".join(entries)

    @property
    def trusted_proxies(self) -> list[str]:
        """The peers trusted to forward client addresses; empty trusts none."""
        return self.forwarded_allow_ips.split(",") if self.forwarded_allow_ips else []

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / 'claude-tui.db'}"
        if self.workspace_root is None:
            self.workspace_root = self.data_dir / "workspaces"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def effective_backup_dir(self) -> Path:
        return self.backup_dir or self.data_dir / "backups"

    @property
    def effective_workspace_root(self) -> Path:
        return self.workspace_root or self.data_dir / "workspaces"

    def resolve_secret_key(self) -> str:
        """The key that signs tokens.

        Staging and production require a strong configured key. Development generates one on
        first use and keeps it in a file only the user can read.
        """
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            weakness = secret_weakness(value)
            if weakness is None:
                return value
            if self.env is not Profile.DEVELOPMENT:
                raise SettingsError(
                    f"CLAUDE_TUI_SECRET_KEY is too weak for the {self.env} profile: {weakness}. "
                    "Generate one with: "
                    "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
                )
            return value
        if self.env is not Profile.DEVELOPMENT:
            raise SettingsError(
                f"CLAUDE_TUI_SECRET_KEY is not set; the {self.env} profile requires a strong "
                "secret key (at least 32 random characters)."
            )
        return _development_key(self.data_dir / SECRET_KEY_FILE)

    def redacted(self) -> dict[str, Any]:
        """The settings as plain values, with secrets and passwords in URLs hidden."""
        out: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, SecretStr):
                out[name] = "**********" if value.get_secret_value() else ""
            elif isinstance(value, str) and name.endswith("_url"):
                out[name] = redact_url(value)
            elif isinstance(value, Path):
                out[name] = str(value)
            elif isinstance(value, StrEnum):
                out[name] = value.value
            else:
                out[name] = value
        if self.secret_key is None:
            out["secret_key"] = (
                "(generated, kept in the data directory)"
                if self.env is Profile.DEVELOPMENT
                else "(missing)"
            )
        return out


def redact_url(url: str) -> str:
    """Hide the password of a URL such as ``postgresql://user:pw@host/db``."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    if ":" not in creds:
        return url
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def _development_key(path: Path) -> str:
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    private_directory(path.parent)
    value = secrets.token_urlsafe(48)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(path, flags, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
