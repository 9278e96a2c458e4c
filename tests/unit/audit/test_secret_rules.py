"""Secret rules: every provider format is found in generated values; decoys are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from planted_secrets import KINDS, SecretFactory, write_corpus

from claude_tui.audit.masking import mask_secret
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.audit.secret_rules import find_secrets, shannon_entropy
from claude_tui.audit.secrets_scanner import scan, scan_text

FACTORY = SecretFactory(seed=7)
SAMPLES = {
    "aws-access-key-id": lambda: f'key = "{FACTORY.aws_access_key_id()}"',
    "aws-secret-access-key": lambda: f"aws_secret_access_key={FACTORY.aws_secret_access_key()}",
    "github-token": lambda: f"token: {FACTORY.github_token()}",
    "github-fine-grained-token": lambda: f"pat = {FACTORY.github_fine_grained()}",
    "gitlab-token": lambda: f"GL={FACTORY.gitlab_token()}",
    "slack-token": lambda: f"slack = '{FACTORY.slack_token()}'",
    "slack-webhook": lambda: f"url: {FACTORY.slack_webhook()}",
    "discord-webhook": lambda: f'"alerts": "{FACTORY.discord_webhook()}"',
    "stripe-live-key": lambda: f'stripe.api_key = "{FACTORY.stripe_live()}"',
    "google-api-key": lambda: f"maps={FACTORY.google_api_key()}",
    "anthropic-api-key": lambda: f"ANTHROPIC_API_KEY={FACTORY.anthropic_key()}",
    "openai-api-key": lambda: f"OPENAI_API_KEY={FACTORY.openai_key()}",
    "private-key": FACTORY.private_key_pem,
    "jwt": lambda: f"Authorization: Bearer {FACTORY.jwt()}",
    "database-url-password": lambda: (
        f"DATABASE_URL=postgresql://app:{FACTORY.database_password()}@db.internal:5432/app"
    ),
    "claude-tui-api-key": lambda: f"X-API-Key: {FACTORY.ctui_key()}",
    "generic-secret-assignment": lambda: f'client_secret = "{FACTORY.generic_secret()}"',
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_provider_format_is_found_by_its_rule(kind: str) -> None:
    found = [m.rule.id for m in find_secrets(SAMPLES[kind]())]
    assert found == [kind]


@pytest.mark.parametrize(
    "decoy",
    [
        'API_KEY_ID = "6f1c2a8e-3b4d-4e5f-9a7b-1c2d3e4f5a6b"',
        'checksum_token = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
        'password = "changeme"',
        "password_hasher = PasswordHash.recommended()",
        'secret_name = "database_password_secret"',
        'DB_PASSWORD = os.environ["DB_PASSWORD"]',
        "TEST_DATABASE_URL=postgresql://postgres:postgres@localhost:5432/test",
        "URL=postgresql://user:${DB_PASSWORD}@db:5432/app",
        'EXAMPLE = "AKIAXXXXXXXXXXXXXXXX"',
        'STRIPE = "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"',
        '"integrity": "sha512-Tq2hZ1cbGQxHR4CxkvmnSCtSkK5jd8E0sABHqU9oqWm7ZxCWIVkJ4NmmaJmzqYpF'
        'gErdEjc0wGqs3Hu9Qp9I3w=="',
        'assert "-----BEGIN PRIVATE KEY-----" not in text',
        # header decodes to {"not":"jwt"}: no "alg", so not a JSON Web Token
        'ref = "eyJub3QiOiJqd3QifQ.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"',
    ],
)
def test_decoys_are_not_reported(decoy: str) -> None:
    assert list(find_secrets(decoy)) == []


def test_line_and_column_point_at_the_secret() -> None:
    key = FACTORY.github_token()
    (match,) = find_secrets(f"first line\n  token = '{key}'\n")
    assert (match.line, match.column) == (2, 12)
    assert match.secret == key


def test_findings_never_carry_the_secret() -> None:
    key = FACTORY.anthropic_key()
    (finding,) = scan_text(f"ANTHROPIC_API_KEY={key}\n", "app/.env")
    rendered = repr(finding)
    assert key not in rendered
    assert key[13:29] not in rendered
    assert finding.properties["masked"] == key[:17] + "…"


def test_mask_never_shows_more_than_half_and_hides_length() -> None:
    assert mask_secret("hunter22", visible=4) == "hunt…"
    assert mask_secret("abc", visible=10) == "a…"
    assert mask_secret("q7Vd-2KxPz_Lm9wRt4Yb") == "q7Vd…"  # a quarter of a generic value
    assert mask_secret("ghp_" + "a1B2c3D4" * 4 + "e5F6", visible=4) == "ghp_a1B2…"
    assert len(mask_secret("x" * 100)) == len(mask_secret("y" * 20)) == 5


def test_generic_value_needs_variety() -> None:
    assert [m.rule.id for m in find_secrets('api_key = "q7Vd-2KxPz_Lm9wRt4Yb"')] == [
        "generic-secret-assignment"
    ]
    assert list(find_secrets('api_key = "aaaaaaaaaaaaaaaaaaaa"')) == []
    assert list(find_secrets('api_key = "settings.database.password"')) == []
    assert shannon_entropy("") == 0.0


def test_planted_corpus_is_found_completely_without_false_positives(tmp_path: Path) -> None:
    planted = write_corpus(tmp_path, seed=11)
    outcome = scan(Project.open(tmp_path, Policy()), AuditOptions(secret_engines=()))
    found = {(f.path, f.line) for f in outcome.findings}
    truth = {(p.path, p.line) for p in planted}
    assert found == truth
    assert {p.kind for p in planted} == set(KINDS)


def test_a_password_equal_to_the_user_is_a_development_default() -> None:
    url = "postgresql+asyncpg://claude_tui:claude_tui@postgres:5432/claude_tui"
    assert list(find_secrets(f"DATABASE_URL={url}")) == []
