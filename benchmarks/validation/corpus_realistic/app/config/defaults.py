"""Default settings; environment variables override each key."""

import os

DEFAULTS = {
    "DATABASE_URL": "sqlite:///app.db",
    "REDIS_URL": "redis://localhost:6379/0",
    "SECRET_KEY": "",
    "LOG_LEVEL": "INFO",
    # ... other settings
}

REQUIRED = ("SECRET_KEY",)


def load() -> dict[str, str]:
    values = {key: os.environ.get(key, default) for key, default in DEFAULTS.items()}
    missing = [key for key in REQUIRED if not values[key]]
    if missing:
        raise RuntimeError(f"missing settings: {', '.join(missing)}")
    return values
