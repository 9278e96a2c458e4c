from __future__ import annotations

from pydantic import Field, HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STATUS_", env_file=".env")

    check_interval_s: float = Field(30.0, gt=1)
    request_timeout_s: float = Field(5.0, gt=0)
    targets: list[HttpUrl] = Field(default_factory=list)
    alert_webhook: HttpUrl | None = None
    history_size: int = 288
