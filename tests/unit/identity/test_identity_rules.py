"""Pure rules of identity: passwords, access-token claims, key format, audit cursors, limits."""

from __future__ import annotations

import re
from datetime import timedelta

import jwt
import pytest

from claude_tui.observability.logging import redact_value
from claude_tui.services import api_keys, audit_log, identity, tokens
from claude_tui.services.errors import AuthenticationError, InvalidInputError
from claude_tui.services.login_guard import LoginLimits
from claude_tui.settings import Settings, SettingsError

SECRET = "k" * 8 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
POLICY = tokens.TokenPolicy(SECRET, timedelta(minutes=15), timedelta(days=14))


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short-1", "at least 12 characters"),
        ("x" * 257, "at most 256 characters"),
        ("abababababababab", "at least 5 different characters"),
        ("Password1234", "commonly used"),
        ("my-name-is-frank!", "your username"),
        ("frankie-the-tank-99", "your email name"),
    ],
)
def test_each_password_rule_is_named(password: str, fragment: str) -> None:
    problems = identity.password_problems(password, username="frank", email="frankie@x.test")
    assert any(fragment in p for p in problems), problems
    with pytest.raises(InvalidInputError, match="not acceptable"):
        identity.check_password_rules(password, username="frank", email="frankie@x.test")


def test_a_long_varied_passphrase_passes() -> None:
    assert identity.password_problems("violet staple orbit 42", username="frank") == []


async def test_passwords_are_hashed_with_argon2id_and_verified() -> None:
    hashed = await identity.hash_password("violet staple orbit 42")
    assert hashed.startswith("$argon2id$")
    assert await identity.verify_password("violet staple orbit 42", hashed)
    assert not await identity.verify_password("violet staple orbit 43", hashed)
    assert not await identity.verify_password("violet staple orbit 42", None)


def test_access_token_round_trip_and_refusals() -> None:
    token, jti = tokens._encode_access(POLICY, 7, "fam1")
    claims = tokens.decode_access_token(POLICY, token)
    assert (claims.user_id, claims.jti, claims.family_id) == (7, jti, "fam1")
    assert claims.expires_at - claims.issued_at == timedelta(minutes=15)
    raw = jwt.decode(token, SECRET, algorithms=["HS256"])
    variants = [
        jwt.encode({**raw, "iss": "someone-else"}, SECRET),
        jwt.encode({k: v for k, v in raw.items() if k != "fam"}, SECRET),
        jwt.encode({**raw, "sub": "not-a-number"}, SECRET),
        jwt.encode(raw, SECRET, algorithm="HS512"),
    ]
    for bad in variants:
        with pytest.raises(AuthenticationError):
            tokens.decode_access_token(POLICY, bad)


def test_refresh_tokens_are_stored_as_sha256() -> None:
    digest = tokens.hash_refresh_token("abc")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest != tokens.hash_refresh_token("abd")


def test_api_keys_are_recognisable_and_redacted_in_logs() -> None:
    raw = f"{api_keys.KEY_PREFIX}{'a' * 12}_{'B' * 40}"
    assert api_keys.looks_like_api_key(raw)
    assert not api_keys.looks_like_api_key("eyJhbGciOi")
    assert redact_value(f"key was {raw}") == "key was [REDACTED]"
    assert api_keys.hash_key(raw) != api_keys.hash_key(raw + "x")
    assert set(api_keys.SCOPES) >= {"*", "users:read", "api_keys:write", "audit:read"}


def test_audit_cursor_round_trip_and_garbage() -> None:
    assert audit_log.decode_cursor(audit_log.encode_cursor(1234)) == 1234
    for garbage in ("", "!!!", "bm90OjEy", audit_log.encode_cursor(1)[:-1] + "@"):
        with pytest.raises(InvalidInputError):
            audit_log.decode_cursor(garbage)


def test_login_limits_come_from_settings_and_bad_values_are_named() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        login_rate_per_address="7/second",
        login_rate_per_account="3/hour",
        lockout_failures=4,
        lockout_minutes=9,
    )
    limits = LoginLimits.from_settings(settings)
    assert (limits.per_address.amount, limits.per_address.get_expiry()) == (7, 1)
    assert (limits.per_account.amount, limits.per_account.get_expiry()) == (3, 3600)
    assert (limits.lockout.amount, limits.lockout.get_expiry()) == (4, 540)
    broken = settings.model_copy(update={"login_rate_per_account": "often"})
    with pytest.raises(SettingsError, match="30/minute"):
        LoginLimits.from_settings(broken)
