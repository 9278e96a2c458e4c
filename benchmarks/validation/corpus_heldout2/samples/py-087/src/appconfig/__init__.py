"""Read the service configuration from a TOML file and the environment."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(Exception):
    """The configuration is missing or invalid; the message says where."""


@dataclass(frozen=True)
class Config:
    listen: str = "127.0.0.1:8080"
    database_url: str = ""
    workers: int = 2
    debug: bool = False
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)


def _read(path: Path) -> dict[str, object]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {value!r}") from None


def load(path: Path | None = None) -> Config:
    data = _read(path) if path is not None else {}
    service = data.get("service", {})
    if not isinstance(service, dict):
        raise ConfigError("[service] must be a table")
    db = os.environ.get("DATABASE_URL") or service.get("database_url", "")
    if not db:
        raise ConfigError("database_url is required (in [service] or DATABASE_URL)")
    return Config(
        listen=str(service.get("listen", Config.listen)),
        database_url=str(db),
        workers=_env_int("WORKERS", int(service.get("workers", Config.workers))),
        debug=os.environ.get("DEBUG", str(service.get("debug", False))).lower() in ("1", "true", "yes"),
        allowed_hosts=tuple(service.get("allowed_hosts", ())),
    )
