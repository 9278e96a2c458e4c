"""A second secrets corpus, written from the vendors' published token formats only.

It was written before the audit's own rules were read, so that the rules cannot have been
shaped to it: vendor-shaped tokens (bare, in Markdown, in config and code), secrets with no
vendor prefix, passwords embedded in URLs, and decoys a person would not call a leak
(digests, identifiers, placeholders, documented example values, variable references).
Values are random at run time; nothing secret-shaped is committed.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import string
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
BASE64 = ALNUM + "+/"
HEX = "0123456789abcdef"
B32_UPPER = string.ascii_uppercase + "234567"
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


@dataclass
class BlindCorpus:
    """Files under ``root`` and the (path, line) of every real secret planted in them."""

    root: Path
    secrets: list[tuple[str, int, str]] = field(default_factory=list)  # path, line, kind
    decoys: int = 0

    def write(self, rel: str, lines: list[tuple[str, str | None]]) -> None:
        """Each line with the kind of secret it holds, or None for an innocent line."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(text for text, _ in lines) + "\n", encoding="utf-8")
        for number, (_, kind) in enumerate(lines, start=1):
            if kind is None:
                continue
            if kind == "decoy":
                self.decoys += 1
            else:
                self.secrets.append((rel, number, kind))

    @property
    def truth(self) -> set[tuple[str, int]]:
        return {(path, line) for path, line, _ in self.secrets}


class Tokens:
    """Random values in the formats vendors document."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def _base62_crc(self, body: str) -> str:
        value = binascii.crc32(body.encode("ascii"))
        digits = ""
        while value:
            value, rest = divmod(value, 62)
            digits = BASE62[rest] + digits
        return digits.rjust(6, "0")

    def github(self, prefix: str) -> str:
        body = self.chars(ALNUM, 30)
        return f"{prefix}{body}{self._base62_crc(body)}"

    def github_pat(self) -> str:
        return "github_pat_" + self.chars(ALNUM, 22) + "_" + self.chars(ALNUM, 59)

    def npm(self) -> str:
        body = self.chars(ALNUM, 30)
        return f"npm_{body}{self._base62_crc(body)}"

    def anthropic(self, kind: str) -> str:
        return f"sk-ant-{kind}-" + self.chars(URLSAFE, 93) + "AA"

    def openai(self, kind: str) -> str:
        return f"sk-{kind}-" + self.chars(URLSAFE, 74) + "T3BlbkFJ" + self.chars(URLSAFE, 74)

    def slack_bot(self) -> str:
        return f"xoxb-{self.chars(string.digits, 12)}-{self.chars(string.digits, 13)}-" + (
            self.chars(ALNUM, 24)
        )

    def slack_user(self) -> str:
        digits = string.digits
        return (
            f"xoxp-{self.chars(digits, 12)}-{self.chars(digits, 12)}-{self.chars(digits, 13)}-"
            + self.chars(HEX, 32)
        )

    def stripe(self, prefix: str) -> str:
        return prefix + self.chars(ALNUM, 99)

    def pypi(self) -> str:
        return "pypi-AgEIcHlwaS5vcmc" + self.chars(URLSAFE, 140)

    def huggingface(self) -> str:
        return "hf_" + self.chars(string.ascii_letters, 34)

    def google(self) -> str:
        return "AIza" + self.chars(URLSAFE, 35)

    def aws_id(self, prefix: str = "AKIA") -> str:
        return prefix + self.chars(B32_UPPER, 16)

    def aws_secret(self) -> str:
        return self.chars(BASE64, 40)

    def azure_storage(self) -> str:
        return base64.b64encode(self.rng.randbytes(64)).decode()

    def azure_client_secret(self) -> str:
        return self.chars(ALNUM, 3) + "8Q~" + self.chars(URLSAFE + ".~", 31)

    def twilio_key(self) -> str:
        return "SK" + self.chars(HEX, 32)

    def sendgrid(self) -> str:
        return "SG." + self.chars(URLSAFE, 22) + "." + self.chars(URLSAFE, 43)

    def mapbox_secret(self) -> str:
        user = base64.urlsafe_b64encode(json.dumps({"u": "acme", "a": "ck"}).encode())
        return "sk." + user.decode().rstrip("=") + "." + self.chars(URLSAFE, 22)

    def doppler(self) -> str:
        return "dp.pt." + self.chars(ALNUM, 43)

    def vault(self) -> str:
        return "hvs." + self.chars(URLSAFE, 90)

    def gitlab(self) -> str:
        return "glpat-" + self.chars(URLSAFE, 20)

    def hex(self, n: int) -> str:
        return self.chars(HEX, n)

    def password(self) -> str:
        return self.chars(ALNUM, 10) + self.rng.choice("!#%*") + self.chars(ALNUM, 6)


def write_blind_corpus(root: Path, seed: int | None = None) -> BlindCorpus:
    """Lay out the corpus under ``root``; returns where the secrets are."""
    rng = random.Random(seed)
    t = Tokens(rng)
    c = BlindCorpus(root)

    # Bare tokens: a file holding only the value, as when someone saves a token to a file.
    c.write(".claude/oauth_token", [(t.anthropic("oat01"), "anthropic-oat")])
    c.write("secrets/github.txt", [(t.github("ghp_"), "github-pat")])
    c.write("secrets/hf_token", [(t.huggingface(), "huggingface")])
    c.write(".npmtoken", [(t.npm(), "npm")])

    # Markdown mentions: a token pasted into notes or a README.
    c.write(
        "docs/setup.md",
        [
            ("# Setup", None),
            ("", None),
            (f"Our CI uses `{t.anthropic('oat01')}` for the review bot.", "anthropic-oat"),
            ("Set `ANTHROPIC_API_KEY` in your shell; never commit it.", None),
            (f"Admin key (rotate monthly): {t.anthropic('admin01')}", "anthropic-admin"),
            ("The token looks like `sk-ant-api03-...` and starts with that prefix.", "decoy"),
            (f"- staging: {t.anthropic('api03')}", "anthropic-api"),
            ("Example: `ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`", "decoy"),
            (f"GitLab deploy token: {t.gitlab()}", "gitlab"),
            ("See https://docs.github.com/en/authentication for token types.", None),
        ],
    )
    c.write(
        "NOTES.md",
        [
            ("Handover", None),
            (f"* openai project key {t.openai('proj')}", "openai-project"),
            (f"* openai service account {t.openai('svcacct')}", "openai-service"),
            (f"* openai admin {t.openai('admin')}", "openai-admin"),
            ("* the old key was revoked, replace `sk-...` with yours", "decoy"),
            (f"* slack bot {t.slack_bot()}", "slack-bot"),
            (f"* vault root {t.vault()}", "vault"),
            (f"* doppler {t.doppler()}", "doppler"),
        ],
    )

    # Configuration files with vendor tokens.
    c.write(
        ".env.production",
        [
            (f"GITHUB_TOKEN={t.github('ghs_')}", "github-server"),
            (f"GH_OAUTH={t.github('gho_')}", "github-oauth"),
            (f"GH_USER_TO_SERVER={t.github('ghu_')}", "github-user"),
            (f"GH_REFRESH={t.github('ghr_')}", "github-refresh"),
            (f"GH_FINE={t.github_pat()}", "github-fine-grained"),
            (f"STRIPE_SECRET_KEY={t.stripe('sk_live_')}", "stripe-secret"),
            (f"STRIPE_RESTRICTED={t.stripe('rk_live_')}", "stripe-restricted"),
            ("STRIPE_PUBLISHABLE_KEY=pk_test_" + t.chars(ALNUM, 24), "decoy"),
            (f"SENDGRID_API_KEY={t.sendgrid()}", "sendgrid"),
            (f"TWILIO_API_KEY={t.twilio_key()}", "twilio-key"),
            (f"MAPBOX_SECRET={t.mapbox_secret()}", "mapbox-secret"),
            (f"SLACK_USER_TOKEN={t.slack_user()}", "slack-user"),
            ("DATABASE_URL=${DATABASE_URL}", "decoy"),
            ("LOG_LEVEL=info", None),
        ],
    )
    c.write(
        "config/settings.yaml",
        [
            ("google:", None),
            (f"  maps_key: {t.google()}", "google"),
            ("aws:", None),
            (f"  access_key_id: {t.aws_id()}", "aws-id"),
            (f"  secret_access_key: {t.aws_secret()}", "aws-secret"),
            (f"  session_key_id: {t.aws_id('ASIA')}", "aws-session"),
            ("  region: eu-west-1", None),
            ("database:", None),
            ("  user: app", None),
            (f"  password: {t.password()}", "yaml-password"),
            ("  password_file: /run/secrets/db", None),
            ("cache:", None),
            ("  password: ${REDIS_PASSWORD}", "decoy"),
            ("  password: changeme", "decoy"),
            ("build:", None),
            (f"  commit: {t.hex(40)}", "decoy"),
            (f"  image_digest: sha256:{t.hex(64)}", "decoy"),
            (f"  request_id: {uuid.UUID(int=rng.getrandbits(128))}", "decoy"),
        ],
    )
    c.write(
        "publish/.pypirc",
        [
            ("[pypi]", None),
            ("username = __token__", None),
            (f"password = {t.pypi()}", "pypi"),
        ],
    )

    # Secrets with no vendor prefix, found only by context.
    c.write(
        "deploy/aws_only_secret.sh",
        [
            ("#!/bin/sh", None),
            (f"export AWS_SECRET_ACCESS_KEY={t.aws_secret()}", "aws-secret"),
            ("aws s3 ls", None),
        ],
    )
    c.write(
        "deploy/monitoring.env",
        [
            (f"DD_API_KEY={t.hex(32)}", "datadog-api"),
            (f"DD_APP_KEY={t.hex(40)}", "datadog-app"),
            (f"AZURE_CLIENT_SECRET={t.azure_client_secret()}", "azure-client-secret"),
            (
                "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;"
                f"AccountName=acmedata;AccountKey={t.azure_storage()};"
                "EndpointSuffix=core.windows.net",
                "azure-storage",
            ),
            (f"BUILD_CACHE_KEY={t.hex(40)}", "decoy"),
        ],
    )
    docker_auth = base64.b64encode(f"deploy:{t.password()}".encode()).decode()
    c.write(
        ".docker/config.json",
        [
            ("{", None),
            ('  "auths": {', None),
            ('    "registry.example.com": {', None),
            (f'      "auth": "{docker_auth}"', "docker-auth"),
            ("    }", None),
            ("  }", None),
            ("}", None),
        ],
    )
    c.write(
        "auth/oauth.json",
        [
            ("{", None),
            ('  "web": {', None),
            (f'    "client_id": "{t.chars(string.digits, 12)}-app.example.com",', None),
            (f'    "client_secret": "{t.chars(URLSAFE, 32)}",', "oauth-client-secret"),
            ('    "redirect_uris": ["https://app.example.com/callback"]', None),
            ("  }", None),
            ("}", None),
        ],
    )

    # Passwords embedded in URLs of several schemes, and URLs that hold none.
    c.write(
        "app/connections.py",
        [
            ('"""Connection strings."""', None),
            ("", None),
            (f'PRIMARY = "postgresql://app:{t.password()}@db.internal:5432/app"', "url-password"),
            (f'BROKER = "amqp://worker:{t.password()}@mq.internal:5672/"', "url-password"),
            (f'CACHE = "redis://:{t.password()}@cache.internal:6379/0"', "url-password"),
            (f'MIRROR = "https://ci:{t.password()}@git.internal/acme/app.git"', "url-password"),
            (f'MONGO = "mongodb+srv://svc:{t.password()}@cluster0.example.net/db"', "url-password"),
            ('LOCAL = "postgresql://app@localhost:5432/app"', "decoy"),
            ('TEMPLATE = "postgresql://user:password@localhost/db"', "decoy"),
            ("FROM_ENV = f\"redis://:{os.environ['REDIS_PASSWORD']}@cache:6379\"", "decoy"),
            ('DOCS = "https://user:<password>@host/path"', "decoy"),
        ],
    )

    # A Kubernetes Secret: the value sits on the line below ``data:``.
    k8s_value = base64.b64encode(t.password().encode()).decode()
    c.write(
        "k8s/secret.yaml",
        [
            ("apiVersion: v1", None),
            ("kind: Secret", None),
            ("metadata:", None),
            ("  name: db", None),
            ("type: Opaque", None),
            ("data:", None),
            (f"  password: {k8s_value}", "k8s-secret"),
        ],
    )

    # Code that only looks secret: identifiers, env lookups, test values, digests.
    c.write(
        "app/client.py",
        [
            ("import os", None),
            ("", None),
            ('API_KEY = os.environ["ANTHROPIC_API_KEY"]', "decoy"),
            ('token = os.getenv("GITHUB_TOKEN", "")', "decoy"),
            ("password = getpass.getpass()", "decoy"),
            ('AWS_EXAMPLE = "AKIAIOSFODNN7EXAMPLE"', "decoy"),
            ('HASH = "' + t.hex(64) + '"', "decoy"),
            ('INTEGRITY = "sha512-' + base64.b64encode(rng.randbytes(64)).decode() + '"', "decoy"),
            ("def hf_hub_download_path(repo: str) -> str:", None),
            ('    return f"npm_config_cache/{repo}"', "decoy"),
            (f'SESSION_ID = "{uuid.UUID(int=rng.getrandbits(128))}"', "decoy"),
            ('secret_key = "your-secret-key-here"', "decoy"),
            ('api_token = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', "decoy"),
            ('PASSWORD_FIELD = "password"', "decoy"),
        ],
    )
    c.write(
        "package-lock.json",
        [
            ("{", None),
            ('  "packages": {', None),
            ('    "node_modules/left-pad": {', None),
            ('      "version": "1.3.0",', None),
            (
                '      "integrity": "sha512-' + base64.b64encode(rng.randbytes(64)).decode() + '"',
                "decoy",
            ),
            (f'      "resolved": "https://registry.npmjs.org/left-pad/-/{t.hex(8)}.tgz"', "decoy"),
            ("    }", None),
            ("  }", None),
            ("}", None),
        ],
    )
    return c
