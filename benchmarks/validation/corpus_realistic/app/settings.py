from __future__ import annotations

from functools import lru_cache

from pydantic import Field, PostgresDsn, RedisDsn
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_", env_file=".env")

    database_url: PostgresDsn
    redis_url: RedisDsn | None = None
    secret_key: str = Field(min_length=32)
    debug: bool = False
    # ... other configuration fields


@lru_cache
def get_settings() -> Settings:
    return Settings()


settings = get_settings()
