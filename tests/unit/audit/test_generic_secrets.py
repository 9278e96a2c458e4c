"""Secrets with no vendor prefix: judged by the key they are assigned to, their character class
and length, and their entropy against what a random value of that shape would have."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.audit.secret_rules import find_secrets
from claude_tui.audit.secrets_scanner import scan

RNG = random.Random(2026)
ALNUM = string.ascii_letters + string.digits


def chars(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def human_password() -> str:
    """What a person types: mixed case, a digit and a symbol, 10-12 characters."""
    return chars(string.ascii_letters, 5) + chars(string.digits, 2) + "#" + chars(ALNUM, 3)


# (file, line) -> a secret no vendor prefix identifies; {v} is filled at run time.
POSITIVES = [
    ("deploy/.env", "SECRET_ACCESS_KEY={v}", lambda: chars(ALNUM + "+/", 40)),
    ("config/database.yml", "  password: {v}", human_password),
    (
        "config/oauth.json",
        '  "client_secret": "{v}",',
        lambda: chars("abcdefghijkmnpqrstuvwxyz23456789", 32),
    ),
    ("settings.ini", "api_key = {v}", lambda: chars("0123456789abcdef", 32)),
    ("cmd/main.go", '\tapiKey := "{v}"', lambda: chars(ALNUM, 24)),
    ("src/main/resources/application.properties", "spring.datasource.password={v}", human_password),
    ("app/config.py", 'WEBHOOK_SIGNING_SECRET = "{v}"', lambda: chars(ALNUM + "-_", 43)),
    ("conf/server.xml", "    <password>{v}</password>", human_password),
    ("deploy/run.sh", "exec app --api-key={v}", lambda: chars(ALNUM, 32)),
    (
        "k8s/values.yaml",
        '  auth_token: "{v}"',
        lambda: chars(string.ascii_lowercase + string.digits, 40),
    ),
]


@pytest.mark.parametrize(("path", "template", "make"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_secret_without_prefix_is_found_and_explained(
    tmp_path: Path, path: str, template: str, make: Callable[[], str]
) -> None:
    value = make()
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# settings\n{template.format(v=value)}\n", encoding="utf-8")
    outcome = scan(Project.open(tmp_path, Policy()), AuditOptions(secret_engines=()))
    assert [(f.path, f.line) for f in outcome.findings] == [(path, 2)]
    (finding,) = outcome.findings
    why = finding.properties["why"]
    assert "keyword" in why, why
    assert value not in finding.message
    assert value not in why
    if finding.rule_id == "generic-secret-assignment":
        assert "bits/char" in why, why


def test_the_explanation_names_the_keyword_and_entropy() -> None:
    value = chars(ALNUM, 20) + "/" + chars(ALNUM + "+/", 19)
    (match,) = find_secrets(f"SECRET_ACCESS_KEY={value}\n", path=".env")
    assert match.rule.id == "generic-secret-assignment"
    assert "keyword 'secret' in key 'SECRET_ACCESS_KEY'" in match.reason
    assert "bits/char" in match.reason
    assert "base64" in match.reason


def _png_data_uri() -> str:
    raw = b"\x89PNG\r\n\x1a\n" + RNG.randbytes(120)
    return "data:image/png;base64," + base64.b64encode(raw).decode()


DECOYS = [
    # digests, ids and encoded data under secret-sounding keys
    ("app/models.py", f'password_hash = "{hashlib.sha256(b"x").hexdigest()}"'),
    ("config/build.yml", f"secret_sha256: {hashlib.sha256(b'y').hexdigest()}"),
    ("config/app.yml", f"token_id: {uuid.UUID(int=RNG.getrandbits(128), version=4)}"),
    ("web/theme.json", f'"auth_token_icon": "{_png_data_uri()}"'),
    ("app/users.py", 'password = "$2b$12$' + chars(ALNUM + "./", 53) + '"'),
    # lockfiles
    (
        "package-lock.json",
        '"integrity": "sha512-'
        + base64.b64encode(RNG.randbytes(64)).decode()
        + '", "token": "'
        + chars(ALNUM, 30)
        + '"',
    ),
    (
        "poetry.lock",
        f'{{file = "x.whl", hash = "sha256:{hashlib.sha256(b"z").hexdigest()}"}}, '
        f'token = "{chars(ALNUM, 30)}"',
    ),
    # placeholders, references and documented examples
    ("docs/setup.md", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("config/app.yml", "  password: changeme"),
    ("config/app.yml", "  api_key: <your-key>"),
    ("config/app.yml", "  client_secret: ${OAUTH_CLIENT_SECRET}"),
    ("config/app.yml", "  password: '{{ vault_db_password }}'"),
    ("app/settings.py", 'API_KEY = os.environ["API_KEY"]'),
    ("app/settings.py", 'password = config.get("db", "password")'),
    ("app/settings.py", 'SECRET_KEY_ENV = "DJANGO_SECRET_KEY"'),
    ("app/settings.py", 'tokenizer_name = "bert-base-multilingual-uncased"'),
    ("app/settings.py", "PASSWORD_MIN_LENGTH = 12"),
    ("app/settings.py", 'TOKEN_URL = "https://oauth2.example.org/token"'),
    ("app/settings.py", 'secret_key = "your-secret-key-here"'),
    ("app/settings.py", "password: str = Field(default='', description='the database password')"),
    # documentation showing a generated key (Flask's configuration guide does)
    ("docs/config.rst", f"   SECRET_KEY = '{chars('0123456789abcdef', 64)}'"),
    ("README.md", f'$ export FLASK_SECRET_KEY="{chars("0123456789abcdef", 32)}"'),
    # test fixtures with obvious test values
    ("tests/test_login.py", 'client.login(username="alice", password="test-password-1")'),
    ("tests/conftest.py", 'FAKE_TOKEN = "fake-token-for-tests-0123456789"'),
    ("tests/fixtures/users.yml", "  password: hunter2hunter2"),
    # translations
    ("locales/fr.json", '"password": "Mot de passe",'),
    ("locales/de.yml", "  password: Passwort"),
    ("locales/es.json", '"reset_password_token": "EnlaceCaducado",'),
    ("app/i18n/messages_en.properties", "login.password=Password"),
]


@pytest.mark.parametrize(
    ("path", "line"), DECOYS, ids=[f"{p}:{i}" for i, (p, _) in enumerate(DECOYS)]
)
def test_decoys_are_not_secrets(path: str, line: str) -> None:
    found = [(m.rule.id, m.reason) for m in find_secrets(line + "\n", path=path)]
    assert found == []


def test_same_value_is_a_secret_in_config_but_not_in_a_lockfile() -> None:
    value = chars(ALNUM, 30)
    assert [m.rule.id for m in find_secrets(f'token = "{value}"\n', path="config.toml")] == [
        "generic-secret-assignment"
    ]
    assert list(find_secrets(f'token = "{value}"\n', path="Cargo.lock")) == []


def test_a_phrase_of_words_is_a_password_in_config_but_a_sample_in_code() -> None:
    phrase = "Measured-passphrase-1"
    (match,) = find_secrets(f"  password: {phrase}\n", path="deploy/values.yaml")
    assert match.rule.id == "password-assignment"
    assert list(find_secrets(f'PASSWORD = "{phrase}"\n', path="benchmarks/bench_auth.py")) == []


def test_low_entropy_value_under_a_secret_key_is_not_reported_with_reason() -> None:
    # An English-like value clears no baseline: a person would not call it a leak.
    assert list(find_secrets('api_token = "ThisIsTheTokenName"\n', path="app.py")) == []


def test_json_secret_found_in_compact_json() -> None:
    value = chars(ALNUM, 36)
    text = json.dumps({"name": "svc", "credentials": {"client_secret": value}})
    (match,) = find_secrets(text, path="creds.json")
    assert match.secret == value
