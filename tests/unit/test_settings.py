from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pytest

from claude_tui.settings import (
    Profile,
    Settings,
    SettingsError,
    redact_url,
    secret_weakness,
)


def make(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **values)  # type: ignore[call-arg]


def test_embedded_defaults_use_sqlite_in_the_data_dir_and_no_redis(tmp_path: Path) -> None:
    s = make(tmp_path)
    assert s.env is Profile.DEVELOPMENT
    assert s.database_url == f"sqlite+aiosqlite:///{tmp_path / 'claude-tui.db'}"
    assert s.redis_url is None
    assert s.effective_workspace_root == tmp_path / "workspaces"


def test_environment_variables_use_the_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUDE_TUI_PORT", "9123")
    monkeypatch.setenv("CLAUDE_TUI_ENV", "staging")
    monkeypatch.setenv("CLAUDE_TUI_REDIS_URL", "")
    s = make(tmp_path)
    assert s.port == 9123
    assert s.env is Profile.STAGING
    assert s.redis_url is None


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("CLAUDE_TUI_LOG_LEVEL=debug\nCLAUDE_TUI_MAX_BODY_BYTES=4096\n")
    s = Settings(_env_file=env_file, data_dir=tmp_path)  # type: ignore[call-arg]
    assert s.log_level == "DEBUG"
    assert s.max_body_bytes == 4096


@pytest.mark.parametrize("profile", [Profile.PRODUCTION, Profile.STAGING])
def test_production_profiles_refuse_a_missing_key(tmp_path: Path, profile: Profile) -> None:
    with pytest.raises(SettingsError, match="CLAUDE_TUI_SECRET_KEY is not set"):
        make(tmp_path, env=profile).resolve_secret_key()
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("key", "reason"),
    [("short", "at least 32"), ("a" * 64, "too predictable"), ("abab" * 16, "too predictable")],
)
def test_production_refuses_weak_keys(tmp_path: Path, key: str, reason: str) -> None:
    with pytest.raises(SettingsError, match=reason):
        make(tmp_path, env=Profile.PRODUCTION, secret_key=key).resolve_secret_key()


def test_production_accepts_a_strong_key(tmp_path: Path) -> None:
    key = secrets.token_urlsafe(48)
    assert make(tmp_path, env=Profile.PRODUCTION, secret_key=key).resolve_secret_key() == key
    assert secret_weakness(key) is None


def test_development_generates_a_private_key_once(tmp_path: Path) -> None:
    first = make(tmp_path).resolve_secret_key()
    second = make(tmp_path).resolve_secret_key()
    assert first == second
    assert secret_weakness(first) is None
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_redacted_hides_secrets_and_url_passwords(tmp_path: Path) -> None:
    s = make(
        tmp_path,
        secret_key="x" * 10 + secrets.token_hex(20),
        database_url="postgresql+asyncpg://app:hunter2@db:5432/app",
        redis_url="redis://:redispw@cache:6379/0",
    )
    shown = s.redacted()
    text = repr(shown)
    assert "hunter2" not in text
    assert "redispw" not in text
    assert s.secret_key is not None
    assert s.secret_key.get_secret_value() not in text
    assert shown["database_url"] == "postgresql+asyncpg://app:***@db:5432/app"
    assert shown["secret_key"] == "**********"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite+aiosqlite:///tmp/x.db", "sqlite+aiosqlite:///tmp/x.db"),
        ("postgresql://user@host/db", "postgresql://user@host/db"),
        ("postgresql://u:p@ss@host/db", "postgresql://u:***@host/db"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected
