"""Prefix-identified tokens are found by their shape alone: a file holding only the token, a
mention in Markdown; vendor checksums tell a real token from a look-alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from planted_secrets import SecretFactory

from claude_tui.audit.model import Severity
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.audit.secret_rules import find_secrets
from claude_tui.audit.secrets_scanner import scan

FACTORY = SecretFactory(seed=20)

# family of token -> the rule that must name it
FAMILIES = {
    "anthropic-api": "anthropic-api-key",
    "anthropic-admin": "anthropic-api-key",
    "anthropic-oauth": "anthropic-oauth-token",
    "anthropic-refresh": "anthropic-oauth-token",
    "openai-project": "openai-api-key",
    "openai-service": "openai-api-key",
    "openai-admin": "openai-api-key",
    "github-ghp": "github-token",
    "github-gho": "github-token",
    "github-ghu": "github-token",
    "github-ghs": "github-token",
    "github-ghr": "github-token",
    "github-fine-grained": "github-fine-grained-token",
    "gitlab": "gitlab-token",
    "slack-bot": "slack-token",
    "slack-app": "slack-app-token",
    "stripe-live": "stripe-live-key",
    "stripe-restricted": "stripe-live-key",
    "npm": "npm-token",
    "pypi": "pypi-token",
    "huggingface": "huggingface-token",
    "google": "google-api-key",
    "aws-akia": "aws-access-key-id",
    "aws-asia": "aws-access-key-id",
    "azure-client-secret": "azure-client-secret",
    "twilio": "twilio-api-key",
    "sendgrid": "sendgrid-api-key",
    "mapbox": "mapbox-secret-token",
    "doppler": "doppler-token",
    "doppler-service": "doppler-token",
    "vault": "vault-token",
    "vault-batch": "vault-token",
    "digitalocean": "digitalocean-token",
    "linear": "linear-api-key",
    "postman": "postman-api-key",
    "databricks": "databricks-token",
    "grafana": "grafana-service-account-token",
    "sentry": "sentry-token",
    "pulumi": "pulumi-access-token",
    "groq": "groq-api-key",
    "newrelic": "newrelic-user-key",
}


def _scan(root: Path) -> list[tuple[str, str | None, int | None]]:
    outcome = scan(Project.open(root, Policy()), AuditOptions(secret_engines=()))
    return sorted((f.rule_id, f.path, f.line) for f in outcome.findings)


def test_a_file_holding_only_an_anthropic_oauth_token_is_a_critical_finding(
    tmp_path: Path,
) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude" / "oauth_token").write_text(FACTORY.vendor_token("anthropic-oauth"))
    outcome = scan(Project.open(tmp_path, Policy()), AuditOptions(secret_engines=()))
    assert [(f.rule_id, f.path, f.line, f.severity) for f in outcome.findings] == [
        ("anthropic-oauth-token", ".claude/oauth_token", 1, Severity.CRITICAL)
    ]


def test_markdown_mentions_are_found(tmp_path: Path) -> None:
    (tmp_path / "NOTES.md").write_text(
        "# Handover\n\n"
        f"The review bot runs with `{FACTORY.vendor_token('anthropic-oauth')}`.\n"
        "Rotate it monthly.\n"
        f"- publish: {FACTORY.npm_token()}\n"
    )
    assert _scan(tmp_path) == [
        ("anthropic-oauth-token", "NOTES.md", 3),
        ("npm-token", "NOTES.md", 5),
    ]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_prefix_family_is_found_bare(family: str) -> None:
    token = FACTORY.vendor_token(family)
    found = [(m.rule.id, m.secret) for m in find_secrets(token + "\n")]
    assert found == [(FAMILIES[family], token)]


@pytest.mark.parametrize("family", ["github-ghp", "github-ghs", "npm"])
def test_a_token_whose_checksum_does_not_match_is_not_reported(family: str) -> None:
    token = FACTORY.vendor_token(family)
    # Changing one character of the random part breaks the CRC32 the vendor appended.
    broken = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert [m.rule.id for m in find_secrets(token)] == [FAMILIES[family]]
    assert list(find_secrets(broken)) == []


@pytest.mark.parametrize(
    "decoy",
    [
        "hf_hub_download(repo_id='org/model')",
        "npm_config_cache=/tmp/npm",
        "The key looks like `sk-ant-oat01-...`",
        "SKU: SK-2024-000123",
        "dp.pt.example",
        "Use the form `dapi<32 hex digits>`.",
    ],
)
def test_prefix_look_alikes_are_not_reported(decoy: str) -> None:
    assert list(find_secrets(decoy)) == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ('BROKER = "amqp://worker:{pw}@mq.internal:5672/"', "database-url-password"),
        ('CACHE = "redis://:{pw}@cache.internal:6379/0"', "database-url-password"),
        ('MIRROR = "https://ci:{pw}@git.internal/acme/app.git"', "url-password"),
        ("SFTP=sftp://deploy:{pw}@files.example.net/upload", "url-password"),
        ('MONGO = "mongodb+srv://svc:{pw}@cluster0.example.net/db"', "database-url-password"),
    ],
)
def test_passwords_in_urls_of_any_scheme(line: str, rule: str) -> None:
    # Generated here, with the characters that need care (% and *), so none is committed.
    password = (
        FACTORY.chars("abcdefghkmnpqrstuvwxyz23456789", 8) + "%25*!" + FACTORY.chars("ABCDEFGH", 3)
    )
    assert [m.rule.id for m in find_secrets(line.replace("{pw}", password))] == [rule]


@pytest.mark.parametrize(
    "line",
    [
        'URL = "https://user:<password>@host/path"',
        'URL = "postgresql://user:password@localhost/db"',
        "URL = redis://:${REDIS_PASSWORD}@cache:6379",
        'URL = "mysql://app:%(password)s@db/app"',
        'URL = "amqp://guest:{{ rabbit_password }}@mq/"',
        'URL = "https://user:********@host/"',
        "URL = f\"redis://:{os.environ['REDIS_PASSWORD']}@cache:6379\"",
    ],
)
def test_url_templates_are_not_passwords(line: str) -> None:
    assert list(find_secrets(line)) == []


def test_a_docker_config_auth_is_a_credential() -> None:
    import base64

    password = FACTORY.chars("abcdefghkmnpqrstuvwxyzABCDEFGH23456789", 12)
    auth = base64.b64encode(f"deploy:{password}".encode()).decode()
    text = f'{{\n  "auths": {{\n    "registry.example.com": {{\n      "auth": "{auth}"\n'
    assert [(m.rule.id, m.line) for m in find_secrets(text)] == [("docker-config-auth", 4)]
    empty = base64.b64encode(b"deploy:").decode()
    assert list(find_secrets(f'"auth": "{empty}"')) == []
