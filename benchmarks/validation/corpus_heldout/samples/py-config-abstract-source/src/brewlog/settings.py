"""Settings: defaults, then a TOML file, then environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping
import abc

ENV_PREFIX = "BREWLOG_"


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///brewlog.db"
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    debug: bool = False
    log_level: str = "INFO"
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    batch_size: int = 100


def _coerce(name: str, raw: Any, target: type) -> Any:
    if target is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{name}: {raw!r} is not a boolean")
    if target is int:
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{name}: {raw!r} is not an integer") from None
    if target is tuple:
        if isinstance(raw, (list, tuple)):
            return tuple(str(x) for x in raw)
        return tuple(part.strip() for part in str(raw).split(",") if part.strip())
    return str(raw)


_TYPES: dict[str, type] = {
    "database_url": str,
    "listen_host": str,
    "listen_port": int,
    "debug": bool,
    "log_level": str,
    "allowed_origins": tuple,
    "batch_size": int,
}


def from_mapping(base: Settings, values: Mapping[str, Any], source: str) -> Settings:
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"{source}: unknown settings {sorted(unknown)}")
    changes = {key: _coerce(key, raw, _TYPES[key]) for key, raw in values.items()}
    return replace(base, **changes)


class Source(abc.ABC):
    """Somewhere settings can come from."""

    @abc.abstractmethod
    def values(self) -> Mapping[str, Any]:
        """Raw values keyed by setting name."""

    def apply(self, base: Settings) -> Settings:
        return from_mapping(base, self.values(), type(self).__name__)


class DictSource(Source):
    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    def values(self) -> Mapping[str, Any]:
        # Everything not given here keeps the value of the layer below.
        return self._data


def from_file(base: Settings, path: Path) -> Settings:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return from_mapping(base, data.get("brewlog", {}), str(path))


def from_env(base: Settings, environ: Mapping[str, str] = os.environ) -> Settings:
    values = {
        key[len(ENV_PREFIX):].lower(): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX)
    }
    return from_mapping(base, values, "environment")


def validate(settings: Settings) -> Settings:
    if not 0 < settings.listen_port < 65536:
        raise ConfigError(f"listen_port: {settings.listen_port} out of range")
    if settings.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"log_level: {settings.log_level!r} unknown")
    if settings.batch_size < 1:
        raise ConfigError("batch_size must be at least 1")
    return settings


def load(path: Path | None = None) -> Settings:
    settings = Settings()
    if path is not None and path.exists():
        settings = from_file(settings, path)
    return validate(from_env(settings))
