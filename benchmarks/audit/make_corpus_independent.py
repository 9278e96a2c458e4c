"""Writes benchmarks/audit/corpus_independent/ and its labels.json (fixed seed, reproducible).

Run: ``.venv/bin/python benchmarks/audit/make_corpus_independent.py``

The corpus was written from the vendors' published token formats and from what real
repositories hold, without reading the audit's rules, so that it measures them honestly.
Every secret is random (a fixed seed, so rerunning rewrites the same bytes) and none is a
real credential. A label is a value a security reviewer would want rotated or removed;
real-shaped tokens in test fixtures count too (``context: "test-fixture"``), clearly fake
ones do not. Anything unlabelled is a negative; ``hard_decoys`` lists the trickiest ones.
"""

# ruff: noqa: E501  (the file templates keep their real line lengths)
from __future__ import annotations

import base64
import json
import random
import re
import shutil
import string
import zlib
from dataclasses import dataclass
from pathlib import Path

NL = "\n"
HERE = Path(__file__).resolve().parent
OUT = HERE / "corpus_independent"
SEED = 20261207

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"

rng = random.Random(SEED)


def r(n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def b62(n: int, width: int) -> str:
    out = ""
    while n:
        n, d = divmod(n, 62)
        out = B62[d] + out
    return out.rjust(width, "0")


def crc_token(prefix: str) -> str:
    """GitHub and npm: 30 random base62 chars then their CRC32 in 6 base62 digits."""
    body = r(30, B62)
    return prefix + body + b62(zlib.crc32(body.encode()), 6)


def pem(kind: str, der_head: str, body_len: int) -> str:
    body = der_head + r(body_len - len(der_head), B64)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    last = lines[-1]
    lines[-1] = last[: len(last) - len(last) % 4] or last
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"


def openssh_key() -> str:
    body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB"
    body += r(400 - len(body), B64)
    lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    return (
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        + "\n".join(lines)
        + ("\n-----END OPENSSH PRIVATE KEY-----")
    )


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


GEN = {
    # vendor: prefix-identified families
    "anthropic-api": lambda: "sk-ant-api03-" + r(93, B64URL) + "AA",
    "anthropic-admin": lambda: "sk-ant-admin01-" + r(93, B64URL) + "AA",
    "anthropic-oat": lambda: "sk-ant-oat01-" + r(93, B64URL) + "AA",
    "openai-project": lambda: "sk-proj-" + r(74, B64URL) + "T3BlbkFJ" + r(74, B64URL),
    "openai-service": lambda: "sk-svcacct-" + r(74, B64URL) + "T3BlbkFJ" + r(74, B64URL),
    "openai-admin": lambda: "sk-admin-" + r(74, B64URL) + "T3BlbkFJ" + r(74, B64URL),
    "github-ghp": lambda: crc_token("ghp_"),
    "github-gho": lambda: crc_token("gho_"),
    "github-ghu": lambda: crc_token("ghu_"),
    "github-ghs": lambda: crc_token("ghs_"),
    "github-ghr": lambda: crc_token("ghr_"),
    "github-fine-grained": lambda: (
        "github_pat_11" + r(20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") + "_" + r(59, ALNUM)
    ),
    "gitlab-pat": lambda: "glpat-" + r(20, B64URL),
    "slack-bot": lambda: f"xoxb-{r(12, string.digits)}-{r(13, string.digits)}-{r(24)}",
    "slack-user": lambda: (
        f"xoxp-{r(12, string.digits)}-{r(12, string.digits)}-{r(13, string.digits)}-{r(32, HEX)}"
    ),
    "slack-app": lambda: (
        f"xapp-1-A{r(10, string.ascii_uppercase + string.digits)}-"
        f"{r(13, string.digits)}-{r(64, HEX)}"
    ),
    "stripe-secret": lambda: "sk_live_51" + r(97),
    "stripe-restricted": lambda: "rk_live_51" + r(97),
    "stripe-webhook": lambda: "whsec_" + r(32),
    "npm": lambda: crc_token("npm_"),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmcCJD" + r(150, B64URL),
    "huggingface": lambda: "hf_" + r(34, string.ascii_letters),
    "google-api": lambda: "AIza" + r(35, B64URL),
    "google-oauth-secret": lambda: "GOCSPX-" + r(28, B64URL),
    "aws-access-key-id": lambda: "AKIA" + r(16, B32),
    "azure-ad-client-secret": lambda: r(3, ALNUM) + "8Q~" + r(34, ALNUM + "_~.-"),
    "twilio-api-key": lambda: "SK" + r(32, HEX),
    "sendgrid": lambda: "SG." + r(22, B64URL) + "." + r(43, B64URL),
    "mapbox-secret": lambda: (
        "sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNs" + r(20, ALNUM) + "In0." + r(22, B64URL)
    ),
    "doppler": lambda: "dp.st.prd." + r(40, ALNUM),
    "vault": lambda: "hvs.CAESI" + r(86, B64URL),
    "shopify": lambda: "shpat_" + r(32, HEX),
    "digitalocean": lambda: "dop_v1_" + r(64, HEX),
    "linear": lambda: "lin_api_" + r(40, ALNUM),
    "postman": lambda: f"PMAK-{r(24, HEX)}-{r(34, HEX)}",
    "grafana-sa": lambda: f"glsa_{r(32, ALNUM)}_{r(8, HEX)}",
    "databricks": lambda: "dapi" + r(32, HEX),
    # generic: no vendor prefix, only context tells
    "aws-secret-access-key": lambda: r(40, B64),
    "azure-storage-key": lambda: base64.b64encode(rng.randbytes(64)).decode(),
    "datadog-api-key": lambda: r(32, HEX),
    "datadog-app-key": lambda: r(40, HEX),
    "oauth-client-secret": lambda: r(40, B64URL),
    "twilio-auth-token": lambda: r(32, HEX),
    # first char alphanumeric: YAML and shell read a leading '*', '!' or '#' as syntax
    "password": lambda: r(1) + r(rng.randint(13, 23), ALNUM + "!#%^*_-"),
    # what survives in a URL's userinfo without percent-encoding
    "url-password": lambda: r(1) + r(rng.randint(13, 23), ALNUM + "!*_-~."),
    "api-key": lambda: r(40, HEX),
    "django-secret-key": lambda: r(50, ALNUM + "!@#%^&*(-_=+)"),
    "jwt-signing-secret": lambda: r(64, B64URL),
    # private keys
    "rsa-pkcs1": lambda: pem("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 1588),
    "pkcs8": lambda: pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 1624),
    "ec": lambda: pem("EC PRIVATE KEY", "MHcCAQEEI", 164),
    "openssh": openssh_key,
}

GROUP = {
    **dict.fromkeys(list(GEN)[: list(GEN).index("databricks") + 1], "vendor"),
    **dict.fromkeys(
        list(GEN)[list(GEN).index("aws-secret-access-key") : list(GEN).index("rsa-pkcs1")],
        "generic",
    ),
    **dict.fromkeys(["rsa-pkcs1", "pkcs8", "ec", "openssh"], "private-key"),
    "url-password": "url",
}


@dataclass
class Mark:
    family: str
    group: str
    value: str
    context: str
    decoy: bool = False


MARKS: list[Mark] = []


def _mark(m: Mark) -> str:
    MARKS.append(m)
    return f"\u27e6{len(MARKS) - 1}\u27e7"


def S(family: str, *, url: bool = False, ctx: str = "") -> str:
    """A fresh secret of FAMILY, labelled; url=True files it under the url group."""
    value = GEN[family]()
    return _mark(Mark(family, "url" if url else GROUP[family], value, ctx))


def V(family: str, value: str, group: str, ctx: str = "") -> str:
    """A labelled secret whose written form is given (an encoded or embedded value)."""
    return _mark(Mark(family, group, value, ctx))


def D(kind: str, value: str) -> str:
    """A hard decoy: listed with its line for the report, never a positive."""
    return _mark(Mark(kind, "decoy", value, "", decoy=True))


def raw(family: str) -> str:
    return GEN[family]()


def sha(n: int = 64) -> str:
    return r(n, HEX)


def uuid() -> str:
    h = r(32, HEX)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def sri() -> str:
    return "sha512-" + base64.b64encode(rng.randbytes(64)).decode()


FILES: dict[str, str] = {}


def file(path: str, text: str) -> None:
    FILES[path] = text.lstrip("\n")


def pw_url(scheme: str, user: str, host: str, tail: str, family: str = "url-password") -> str:
    pw = raw(family)
    return f"{scheme}://{user}:{V('url-password-' + scheme.split('+')[0], pw, 'url')}@{host}{tail}"


# --- Python ---------------------------------------------------------------------------------
file(
    "services/billing/billing/settings.py",
    f'''
"""Django settings for the billing service (production)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "{S("django-secret-key")}"
DEBUG = False
ALLOWED_HOSTS = ["billing.internal.acme-corp.net", "localhost"]

DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing_app",
        "PASSWORD": "{S("password")}",
        "HOST": os.environ.get("DB_HOST", "db.internal"),
        "PORT": "5432",
    }},
    "replica": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing_ro",
        "PASSWORD": os.environ["REPLICA_PASSWORD"],
        "HOST": "replica.internal",
    }},
}}

CACHES = {{
    "default": {{
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "{pw_url("redis", "default", "cache.internal:6379", "/1")}",
    }}
}}

STRIPE_SECRET_KEY = "{S("stripe-secret")}"
STRIPE_PUBLISHABLE_KEY = "{D("stripe-publishable", "pk_live_51" + r(97))}"
STRIPE_WEBHOOK_SECRET = "{S("stripe-webhook")}"

EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"
ANYMAIL = {{"SENDGRID_API_KEY": "{S("sendgrid")}"}}

AWS_ACCESS_KEY_ID = "{S("aws-access-key-id")}"
AWS_SECRET_ACCESS_KEY = "{S("aws-secret-access-key")}"
AWS_STORAGE_BUCKET_NAME = "acme-billing-invoices"
AWS_S3_REGION_NAME = "eu-west-1"

# Static files are fingerprinted; this is the manifest's content hash, not a key.
STATIC_MANIFEST_HASH = "{D("sha256-content-hash", sha())}"
SESSION_COOKIE_NAME = "billing_sid"
CSRF_TRUSTED_ORIGINS = ["https://billing.acme-corp.net"]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
''',
)

file(
    "services/billing/billing/llm.py",
    f'''
"""Summaries of invoices disputes, written by a model."""

from __future__ import annotations

import os

import anthropic
import openai

# Fallback kept from the prototype; production reads the environment.
_DEFAULT_KEY = "{S("anthropic-api")}"

client = anthropic.Anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY", _DEFAULT_KEY))
backup = openai.OpenAI(
    api_key="{S("openai-project")}"
)
MODEL = "claude-sonnet-4-5"
PROMPT_VERSION = "{D("git-sha", sha(40))}"


def summarise(dispute: str) -> str:
    """Two sentences a support agent can paste."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=300,
        messages=[{{"role": "user", "content": dispute}}],
    )
    return message.content[0].text
''',
)

file(
    "services/billing/billing/ids.py",
    f'''
"""Identifiers that look random because they are: none of them is a credential."""

TENANT_NAMESPACE = "{uuid()}"
DEFAULT_PLAN_ID = "{uuid()}"
TRACE_SAMPLE_SEED = 0x{sha(16)}
# Cache keys are namespaced by the schema's digest so a deploy invalidates them.
SCHEMA_DIGEST = "{sha()}"
LEGACY_SCHEMA_DIGEST = "{sha(40)}"
ETAG_SALT_VERSION = "v3"
BUILD_ID = "{D("build-id", r(40, ALNUM))}"
EXAMPLE_IBAN = "DE89370400440532013000"
''',
)

file(
    "tools/release/publish.py",
    f'''
#!/usr/bin/env python3
"""Uploads the wheels of a release to PyPI and announces it."""

import subprocess
import sys

import requests

PYPI_TOKEN = "{S("pypi")}"
HF_TOKEN = "{S("huggingface")}"
SLACK_WEBHOOK = "https://hooks.slack.com/services/T{r(8, B32)}/B{r(10, B32)}/{V("slack-webhook", r(24), "url")}"


def main() -> int:
    subprocess.run(
        ["twine", "upload", "-u", "__token__", "-p", PYPI_TOKEN, "dist/*"],
        check=True,
    )
    requests.post(SLACK_WEBHOOK, json={{"text": f"Released {{sys.argv[1]}}"}}, timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
''',
)

# --- JS / TS --------------------------------------------------------------------------------
file(
    "web/src/config.ts",
    f"""
// Runtime configuration of the web client. Public keys only belong here.
export const config = {{
  apiBase: process.env.NEXT_PUBLIC_API_BASE ?? "https://api.acme-corp.net",
  mapbox: {{
    publicToken: "{D("mapbox-public", "pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNs" + r(20) + "In0." + r(22, B64URL))}",
    // used by the tile pre-renderer at build time
    uploadToken: "{S("mapbox-secret")}",
  }},
  firebase: {{
    apiKey: "{S("google-api")}",
    authDomain: "acme-prod.firebaseapp.com",
    projectId: "acme-prod",
    appId: "1:{r(12, string.digits)}:web:{r(22, HEX)}",
  }},
  sentryDsn: process.env.NEXT_PUBLIC_SENTRY_DSN,
  featureFlagsKey: "{D("client-side-id", r(24, HEX))}",
  releaseId: "{sha(40)}",
}};

export const labels = {{
  saveButton: "Save changes",
  tokenHelp: "Paste your personal access token (starts with ghp_)",
  passwordHelp: "Your password must be at least 12 characters long",
}};
""",
)

file(
    "web/src/server/integrations.js",
    f"""
const {{ WebClient }} = require("@slack/web-api");
const Stripe = require("stripe");
const twilio = require("twilio");

const slack = new WebClient("{S("slack-bot")}");
const stripe = Stripe(process.env.STRIPE_KEY || "{S("stripe-restricted")}");

const TWILIO_ACCOUNT_SID = "AC{r(32, HEX)}";
const TWILIO_API_KEY = "{S("twilio-api-key")}";
const TWILIO_API_SECRET = "{S("twilio-auth-token")}";
const sms = twilio(TWILIO_API_KEY, TWILIO_API_SECRET, {{ accountSid: TWILIO_ACCOUNT_SID }});

const mongoUrl = "{pw_url("mongodb+srv", "app", "cluster0.ab1cd.mongodb.net", "/orders?retryWrites=true&w=majority")}";

const headers = {{
  "x-api-key": "{S("api-key")}",
  "x-request-id": "{uuid()}",
  "Content-Type": "application/json",
}};

module.exports = {{ slack, stripe, sms, mongoUrl, headers }};
""",
)

minified = (
    '!function(e,t){"object"==typeof exports?module.exports=t():e.Chart=t()}(this,function(){'
    f'var n="{sha(32)}",r={{v:"4.4.1",h:"{sha(40)}"}};function i(e){{return e.replace(/[A-Z]/g,'
    'function(e){return"-"+e.toLowerCase()})}var o="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop'
    f'qrstuvwxyz0123456789+/",a="{base64.b64encode(rng.randbytes(48)).decode()}";'
    f'return{{id:"{uuid()}",k:"{r(40, ALNUM)}",b:o,a:a,n:n,r:r,i:i}}}});\n'
)
file("web/public/vendor/chart.min.js", minified)

# --- Go ---------------------------------------------------------------------------------------
file(
    "services/ingest/internal/config/config.go",
    f"""
package config

import (
\t"os"
\t"time"
)

// Config of the ingest workers; loaded once at start.
type Config struct {{
\tRegion          string
\tAccessKeyID     string
\tSecretAccessKey string
\tDatadogAPIKey   string
\tDatadogAppKey   string
\tFlushEvery      time.Duration
}}

var buildCommit = "{D("git-sha", sha(40))}"

// Defaults for the staging cluster.
func Defaults() Config {{
\treturn Config{{
\t\tRegion:          "eu-central-1",
\t\tAccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
\t\tSecretAccessKey: "{S("aws-secret-access-key")}",
\t\tDatadogAPIKey:   "{S("datadog-api-key")}",
\t\tDatadogAppKey:   "{S("datadog-app-key")}",
\t\tFlushEvery:      10 * time.Second,
\t}}
}}

const schemaID = "{uuid()}"
const checksumAlgo = "sha256"
""",
)

file(
    "services/ingest/cmd/ingest/main.go",
    f"""
package main

import (
\t"database/sql"
\t"log"

\t_ "github.com/lib/pq"
)

const dsn = "{pw_url("postgres", "ingest", "pg-primary.internal:5432", "/events?sslmode=require")}"

// vaultToken lets the sidecar-less dev build read its secrets.
var vaultToken = "{S("vault")}"

func main() {{
\tdb, err := sql.Open("postgres", dsn)
\tif err != nil {{
\t\tlog.Fatal(err)
\t}}
\tdefer db.Close()
\tlog.Printf("ingest %s up", "{sha(12)}")
}}
""",
)

file(
    "services/ingest/go.sum",
    "".join(
        f"{mod} {ver} h1:{base64.b64encode(rng.randbytes(32)).decode()}\n"
        f"{mod} {ver}/go.mod h1:{base64.b64encode(rng.randbytes(32)).decode()}\n"
        for mod, ver in [
            ("github.com/lib/pq", "v1.10.9"),
            ("github.com/aws/aws-sdk-go-v2", "v1.30.3"),
            ("github.com/DataDog/datadog-go/v5", "v5.5.0"),
            ("golang.org/x/sys", "v0.22.0"),
            ("golang.org/x/text", "v0.16.0"),
            ("gopkg.in/yaml.v3", "v3.0.1"),
        ]
    ),
)

# --- Java -------------------------------------------------------------------------------------
file(
    "services/payments/src/main/java/com/acme/payments/PaymentConfig.java",
    f"""
package com.acme.payments;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

@Configuration
public class PaymentConfig {{

    private static final String LEDGER_URL =
        "jdbc:postgresql://ledger.internal:5432/ledger?user=payments&password={V("jdbc-password", raw("url-password"), "url")}";
    private static final String REPORTING_URL =
        "jdbc:sqlserver://reporting.acme.local:1433;databaseName=reports;user=rpt;password={V("jdbc-password", raw("url-password"), "url")}";
    private static final String SHOPIFY_TOKEN = "{S("shopify")}";
    private static final String SERIAL_VERSION = "{D("uuid", uuid())}";

    @Bean
    public DataSource ledger() {{
        DriverManagerDataSource ds = new DriverManagerDataSource();
        ds.setUrl(LEDGER_URL);
        return ds;
    }}

    @Bean
    public DataSource reporting() {{
        DriverManagerDataSource ds = new DriverManagerDataSource();
        ds.setUrl(REPORTING_URL);
        ds.setPassword(System.getenv("REPORTING_PASSWORD"));
        return ds;
    }}
}}
""",
)

file(
    "services/payments/src/main/resources/application.yml",
    f"""
spring:
  datasource:
    url: jdbc:mysql://orders-db.internal:3306/orders?useSSL=true
    username: orders
    password: {S("password")}
  security:
    oauth2:
      client:
        registration:
          google:
            client-id: {r(12, string.digits)}-{r(32, string.ascii_lowercase + string.digits)}.apps.googleusercontent.com
            client-secret: {S("google-oauth-secret")}
          okta:
            client-id: 0oa{r(17, ALNUM)}
            client-secret: {S("oauth-client-secret")}
  rabbitmq:
    addresses: {pw_url("amqp", "payments", "mq.internal:5672", "/prod")}
management:
  endpoints:
    web:
      exposure:
        include: health,info
payments:
  webhook-signing-secret: {S("jwt-signing-secret")}
  retry:
    max-attempts: 5
  idempotency-key-header: Idempotency-Key
""",
)

# --- shell ------------------------------------------------------------------------------------
file(
    "scripts/deploy.sh",
    f"""
#!/usr/bin/env bash
# Deploys the current tag to production. Run from a release checkout.
set -euo pipefail

export VAULT_ADDR="https://vault.acme.internal:8200"
export VAULT_TOKEN="{S("vault")}"
export DOPPLER_TOKEN="{S("doppler")}"
export DIGITALOCEAN_ACCESS_TOKEN="{S("digitalocean")}"

TAG="$(git describe --tags --abbrev=0)"
IMAGE="registry.acme-corp.net/app@sha256:{D("image-digest", sha())}"

curl -fsS -u "deploy:{V("curl-basic-auth-password", raw("password"), "generic")}" \\
  "https://artifacts.acme-corp.net/api/promote?tag=${{TAG}}"

PGPASSWORD="{S("password")}" psql -h pg-primary.internal -U migrator -d app -f migrations/latest.sql

curl -fsS -H "Authorization: Bearer {S("linear")}" https://api.linear.app/graphql \\
  -d '{{"query":"mutation {{ issueCreate(input: {{title: \\"Deployed\\"}}) {{ success }} }}"}}'

echo "deployed ${{TAG}} (${{IMAGE}})"
""",
)

file(
    "scripts/backup.sh",
    f"""
#!/bin/sh
# Nightly dump of the orders database to object storage.
set -eu

export AWS_ACCESS_KEY_ID={S("aws-access-key-id")}
export AWS_SECRET_ACCESS_KEY={S("aws-secret-access-key")}
export AWS_DEFAULT_REGION=eu-west-1

mysqldump -h orders-db.internal -u backup -p'{S("password")}' orders | gzip > /tmp/orders.sql.gz
aws s3 cp /tmp/orders.sql.gz "s3://acme-backups/orders/$(date +%F).sql.gz"
sha256sum /tmp/orders.sql.gz  # e.g. {sha()}
lftp -u backup,"$FTP_PASSWORD" ftp.partner.example
curl -T /tmp/orders.sql.gz {pw_url("ftp", "acme", "ftp.partner-storage.net", "/incoming/")}
""",
)

file(
    "scripts/dev-setup.sh",
    """
#!/usr/bin/env bash
# Local development bootstrap. Every value here is a placeholder or read from the environment.
set -euo pipefail

: "${GITHUB_TOKEN:?export GITHUB_TOKEN first (a token with repo scope)}"
export DATABASE_URL="postgres://app:${DB_PASSWORD}@localhost:5432/app"
export OPENAI_API_KEY="${OPENAI_API_KEY:-sk-...}"
export STRIPE_KEY="sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export ADMIN_PASSWORD=changeme
export API_TOKEN="<your-token>"
echo "ready"
""",
)

# --- Kubernetes -------------------------------------------------------------------------------
k8s_pw = raw("password")
k8s_tok = raw("github-ghs")
k8s_dd = raw("datadog-api-key")
file(
    "deploy/k8s/app-secrets.yaml",
    f"""
apiVersion: v1
kind: Secret
metadata:
  name: app-secrets
  namespace: production
  labels:
    app.kubernetes.io/name: app
type: Opaque
data:
  DB_USER: {b64("app")}
  DB_PASSWORD: {V("k8s-secret-data", b64(k8s_pw), "generic")}
  GITHUB_APP_TOKEN: {V("k8s-secret-data", b64(k8s_tok), "generic")}
  DD_API_KEY: {V("k8s-secret-data", b64(k8s_dd), "generic")}
  LOG_LEVEL: {b64("info")}
  REDIS_URL: {V("k8s-secret-data", b64("redis://:" + raw("url-password") + "@redis-master:6379/0"), "generic")}
---
apiVersion: v1
kind: Secret
metadata:
  name: smtp
  namespace: production
type: Opaque
stringData:
  SMTP_URL: {pw_url("smtp", "postmaster%40mg.acme-corp.net", "smtp.mailgun.org:587", "")}
  SMTP_FROM: noreply@acme-corp.net
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: production
data:
  FEATURE_SET: "{D("uuid", uuid())}"
  CONFIG_CHECKSUM: "{sha()}"
  DB_PASSWORD_FILE: /var/run/secrets/db/password
""",
)

tls_key = GEN["rsa-pkcs1"]()
tls_crt = "-----BEGIN CERTIFICATE-----\nMIID" + r(600, B64) + "\n-----END CERTIFICATE-----\n"
file(
    "deploy/k8s/ingress-tls.yaml",
    f"""
apiVersion: v1
kind: Secret
metadata:
  name: ingress-tls
  namespace: production
type: kubernetes.io/tls
data:
  tls.crt: {D("certificate-base64", b64(tls_crt))}
  tls.key: {V("k8s-secret-data", b64(tls_key + NL), "private-key")}
""",
)

file(
    "deploy/helm/values-production.yaml",
    f"""
replicaCount: 3
image:
  repository: registry.acme-corp.net/app
  tag: "2024.11.3"
  digest: sha256:{sha()}
postgresql:
  auth:
    username: app
    password: {S("password")}
    existingSecret: ""
redis:
  auth:
    password: "{S("password")}"
grafana:
  adminPassword: changeme
  serviceAccountToken: {S("grafana-sa")}
datadog:
  apiKeyExistingSecret: datadog-keys
  site: datadoghq.eu
externalServices:
  ldapUrl: {pw_url("ldap", "cn=reader,dc=acme,dc=local", "ldap.acme.local:389", "")}
  huggingfaceToken: {S("huggingface")}
podAnnotations:
  checksum/config: {sha()}
""",
)

# --- .env -------------------------------------------------------------------------------------
file(
    "services/billing/.env.production",
    f"""
# Production environment of the billing service
NODE_ENV=production
DATABASE_URL={pw_url("postgresql", "billing", "pg.internal:5432", "/billing")}
REDIS_URL={pw_url("rediss", "default", "redis.internal:6380", "/0")}
ANTHROPIC_ADMIN_KEY={S("anthropic-admin")}
OPENAI_API_KEY={S("openai-service")}
GITLAB_TOKEN={S("gitlab-pat")}
SLACK_USER_TOKEN={S("slack-user")}
SLACK_APP_TOKEN={S("slack-app")}
DD_API_KEY={S("datadog-api-key")}
DD_APP_KEY={S("datadog-app-key")}
TWILIO_AUTH_TOKEN={S("twilio-auth-token")}
POSTMAN_API_KEY={S("postman")}
SESSION_SECRET={S("jwt-signing-secret")}
SENTRY_RELEASE={sha(40)}
LOG_LEVEL=info
""",
)

file(
    "services/billing/.env.example",
    """
# Copy to .env and fill in. Never commit real values.
NODE_ENV=development
DATABASE_URL=postgres://billing:password@localhost:5432/billing
REDIS_URL=redis://localhost:6379/0
ANTHROPIC_API_KEY=sk-ant-api03-...
OPENAI_API_KEY=<your-openai-key>
GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx
SLACK_BOT_TOKEN=xoxb-your-bot-token
DD_API_KEY=${DD_API_KEY}
TWILIO_AUTH_TOKEN=your_auth_token_here
SESSION_SECRET=changeme
""",
)

# --- JSON -------------------------------------------------------------------------------------
sa_key = GEN["pkcs8"]().replace("\n", "\\n") + "\\n"
file(
    "config/gcp/service-account.json",
    json.dumps(
        {
            "type": "service_account",
            "project_id": "acme-analytics-prod",
            "private_key": "\x00SAKEY\x00",
            "client_email": "etl-runner@acme-analytics-prod.iam.gserviceaccount.com",
            "client_id": r(21, string.digits),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": "https://oauth2.googleapis.com/token",
        },
        indent=2,
    ).replace("\\u0000SAKEY\\u0000", V("gcp-service-account-key", sa_key, "private-key"))
    + "\n",
)

file(
    "mobile/android/app/google-services.json",
    f"""
{{
  "project_info": {{
    "project_number": "{r(12, string.digits)}",
    "project_id": "acme-mobile",
    "storage_bucket": "acme-mobile.appspot.com"
  }},
  "client": [
    {{
      "client_info": {{
        "mobilesdk_app_id": "1:{r(12, string.digits)}:android:{r(16, HEX)}",
        "android_client_info": {{ "package_name": "net.acmecorp.app" }}
      }},
      "api_key": [{{ "current_key": "{S("google-api")}" }}],
      "services": {{ "appinvite_service": {{ "other_platform_oauth_client": [] }} }}
    }}
  ],
  "configuration_version": "1"
}}
""",
)

file(
    "config/integrations.json",
    f"""
{{
  "datadog": {{
    "site": "datadoghq.com",
    "api_key": "{S("datadog-api-key")}",
    "application_key": "{S("datadog-app-key")}"
  }},
  "azure": {{
    "tenant_id": "{uuid()}",
    "client_id": "{uuid()}",
    "client_secret": "{S("azure-ad-client-secret")}"
  }},
  "databricks": {{
    "host": "https://adb-{r(16, string.digits)}.7.azuredatabricks.net",
    "token": "{S("databricks")}"
  }},
  "sendgrid": {{ "api_key": "{S("sendgrid")}", "template_id": "d-{r(32, HEX)}" }},
  "webhooks": {{
    "discord": "https://discord.com/api/webhooks/{r(18, string.digits)}/{V("discord-webhook", r(68, B64URL), "url")}",
    "status": "https://status.acme-corp.net/api/v1/incidents"
  }},
  "cache_version": "{D("md5", r(32, HEX))}"
}}
""",
)

docker_auths = [
    ("ghcr.io", "ci-bot", raw("github-ghp")),
    ("registry.acme-corp.net", "deploy", raw("password")),
]
file(
    "deploy/docker/config.json",
    '{\n  "auths": {\n'
    + ",\n".join(
        f'    "{host}": {{\n      "auth": "{V("docker-config-auth", b64(f"{user}:{secret}"), "generic")}"\n    }}'
        for host, user, secret in docker_auths
    )
    + ',\n    "https://index.docker.io/v1/": {}\n  },\n  "credsStore": "desktop",\n'
    + '  "currentContext": "default"\n}\n',
)

file(
    "web/locales/fr.json",
    """
{
  "login.password": "Mot de passe",
  "login.password_hint": "Au moins 12 caractères, dont un chiffre",
  "settings.api_key": "Clé d'API",
  "settings.api_key_help": "Collez votre clé (elle commence par sk-ant-)",
  "settings.token_revoked": "Le jeton a été révoqué",
  "errors.secret_mismatch": "Le secret ne correspond pas",
  "errors.generic": "Une erreur est survenue. Réessayez plus tard."
}
""",
)

file(
    "web/package-lock.json",
    '{\n  "name": "acme-web",\n  "version": "3.2.0",\n  "lockfileVersion": 3,\n'
    '  "requires": true,\n  "packages": {\n'
    + ",\n".join(
        f'    "node_modules/{name}": {{\n      "version": "{ver}",\n'
        f'      "resolved": "https://registry.npmjs.org/{name}/-/{name.split("/")[-1]}-{ver}.tgz",\n'
        f'      "integrity": "{D("sri-integrity", sri()) if i == 0 else sri()}",\n'
        f'      "license": "MIT"\n    }}'
        for i, (name, ver) in enumerate(
            [
                ("react", "18.3.1"),
                ("react-dom", "18.3.1"),
                ("scheduler", "0.23.2"),
                ("loose-envify", "1.4.0"),
                ("js-tokens", "4.0.0"),
                ("@slack/web-api", "7.3.4"),
                ("stripe", "16.2.0"),
                ("twilio", "5.2.2"),
            ]
        )
    )
    + "\n  }\n}\n",
)

# --- INI / TOML / rc files ----------------------------------------------------------------------
file(
    "config/app.ini",
    f"""
[server]
host = 0.0.0.0
port = 8080
secret_key_file = /etc/app/secret.key

[database]
driver = postgresql
host = pg-primary.internal
user = app
password = {S("password")}

[smtp]
url = {pw_url("smtps", "alerts%40acme-corp.net", "smtp.office365.com:465", "")}

[ldap]
bind_dn = cn=app,ou=services,dc=acme,dc=local
bind_password = {S("password")}

[cache]
; content hash of the last warmed snapshot
snapshot = {D("sha1", sha(40))}
""",
)

file(
    "tools/release/.pypirc",
    f"""
[distutils]
index-servers =
    pypi
    internal

[pypi]
username = __token__
password = {S("pypi")}

[internal]
repository = https://pypi.acme-corp.net/simple/
username = release-bot
password = {S("password")}
""",
)

file(
    "web/.npmrc",
    f"""
registry=https://registry.npmjs.org/
@acme:registry=https://npm.pkg.github.com/
//registry.npmjs.org/:_authToken={S("npm")}
//npm.pkg.github.com/:_authToken={S("github-ghp")}
//npm.internal.acme-corp.net/:_authToken=${{NPM_INTERNAL_TOKEN}}
save-exact=true
""",
)

file(
    "services/worker/settings.toml",
    f"""
[worker]
concurrency = 8
queue = "default"

[broker]
url = "{pw_url("amqps", "worker", "mq.acme.internal:5671", "/jobs")}"

[auth]
issuer = "https://login.acme-corp.net"
client_id = "worker-service"
client_secret = "{S("oauth-client-secret")}"
jwks_cache_key = "{D("uuid", uuid())}"

[github]
app_id = {r(6, string.digits)}
installation_token = "{S("github-ghs")}"
refresh_token = "{S("github-ghr")}"

[huggingface]
model = "acme/intent-classifier"
revision = "{sha(40)}"
""",
)

file(
    "services/worker/Cargo.lock",
    "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\n"
    "version = 3\n\n"
    + "\n".join(
        f'[[package]]\nname = "{n}"\nversion = "{v}"\n'
        f'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
        f'checksum = "{D("sha256-lockfile", sha()) if n == "serde" else sha()}"\n'
        for n, v in [
            ("serde", "1.0.204"),
            ("serde_json", "1.0.120"),
            ("tokio", "1.38.1"),
            ("reqwest", "0.12.5"),
            ("ring", "0.17.8"),
        ]
    ),
)

file(
    "services/billing/poetry.lock",
    "# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n"
    + "\n".join(
        f'[[package]]\nname = "{n}"\nversion = "{v}"\ndescription = ""\noptional = false\n'
        f'python-versions = ">=3.8"\nfiles = [\n'
        f'    {{file = "{n}-{v}-py3-none-any.whl", hash = "sha256:{sha()}"}},\n'
        f'    {{file = "{n}-{v}.tar.gz", hash = "sha256:{sha()}"}},\n]\n'
        for n, v in [
            ("django", "5.0.7"),
            ("anthropic", "0.31.2"),
            ("stripe", "10.3.0"),
            ("boto3", "1.34.144"),
        ]
    )
    + f'\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\n'
    f'content-hash = "{D("sha256-lockfile", sha())}"\n',
)

# --- Dockerfile --------------------------------------------------------------------------------
file(
    "services/billing/Dockerfile",
    f"""
FROM python:3.12-slim@sha256:{D("image-digest", sha())} AS build
ARG PIP_EXTRA_INDEX_URL=https://build:{V("url-password-https", raw("url-password"), "url")}@pypi.acme-corp.net/simple/
ENV HF_HUB_OFFLINE=1
WORKDIR /src
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==1.8.3 && poetry export -o requirements.txt
RUN git config --global url."https://x-access-token:{V("github-gho", raw("github-gho"), "url")}@github.com/".insteadOf "https://github.com/"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.12-slim
ENV SENTRY_DSN=https://{D("sentry-dsn-public-key", r(32, HEX))}@o{r(6, string.digits)}.ingest.sentry.io/{r(7, string.digits)}
ENV NPM_TOKEN={S("npm")}
COPY --from=build /usr/local /usr/local
COPY . /app
USER 10001
CMD ["gunicorn", "billing.wsgi"]
""",
)

# --- Terraform ---------------------------------------------------------------------------------
tf_key = GEN["openssh"]()
file(
    "infra/terraform/main.tf",
    f"""
terraform {{
  required_version = ">= 1.6"
  backend "s3" {{
    bucket = "acme-tf-state"
    key    = "prod/terraform.tfstate"
    region = "eu-west-1"
  }}
}}

provider "aws" {{
  region     = "eu-west-1"
  access_key = "{S("aws-access-key-id")}"
  secret_key = "{S("aws-secret-access-key")}"
}}

provider "vault" {{
  address = "https://vault.acme.internal:8200"
  token   = "{S("vault")}"
}}

provider "azurerm" {{
  features {{}}
  subscription_id = "{uuid()}"
}}

resource "azurerm_storage_account" "logs" {{
  name                     = "acmelogsprod"
  resource_group_name      = "prod-rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}}

locals {{
  logs_connection = "DefaultEndpointsProtocol=https;AccountName=acmelogsprod;AccountKey={S("azure-storage-key")};EndpointSuffix=core.windows.net"
}}

resource "aws_db_instance" "main" {{
  identifier = "main"
  engine     = "postgres"
  username   = "master"
  password   = "{S("password")}"
}}

resource "tls_private_key" "bastion" {{
  algorithm = "ED25519"
}}

variable "bastion_key" {{
  default = <<-EOT
{V("openssh", tf_key, "private-key")}
EOT
}}

variable "db_password" {{
  type      = string
  sensitive = true
  default   = "REPLACE_ME"
}}

variable "ami" {{
  default = "ami-{r(17, HEX)}"
}}
""",
)

file(
    "infra/terraform/prod.auto.tfvars",
    f"""
datadog_api_key     = "{S("datadog-api-key")}"
datadog_app_key     = "{S("datadog-app-key")}"
do_token            = "{S("digitalocean")}"
grafana_auth        = "{S("grafana-sa")}"
doppler_token       = "{S("doppler")}"
slack_bot_token     = "{S("slack-bot")}"
instance_type       = "m7g.large"
kms_key_id          = "arn:aws:kms:eu-west-1:{r(12, string.digits)}:key/{uuid()}"
""",
)

# --- Markdown docs -----------------------------------------------------------------------------
png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(180)).decode()
file(
    "docs/onboarding.md",
    f"""
# Onboarding

Welcome! This page gets you from a fresh laptop to a running stack.

## Access

Ask in #platform for a GitHub invitation. Until your own token is issued you can use the
shared read-only bot token `{S("github-ghp")}` for cloning the private modules.

Our Claude Code setup uses the team OAuth token; put it in `~/.claude/.credentials`:

```
{S("anthropic-oat")}
```

For the AWS CLI, follow the vendor docs; their example pair is `AKIAIOSFODNN7EXAMPLE` /
`{D("aws-doc-example", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")}` — never paste your own keys here.

## Calling the API

```bash
curl https://api.openai.com/v1/models \\
  -H "Authorization: Bearer {S("openai-admin")}"
curl https://api.acme-corp.net/v1/me -H "Authorization: Bearer <your-token>"
```

Replace `<your-token>` with `${{API_TOKEN}}` in scripts; tokens look like
`ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.

## Logo

![logo](data:image/png;base64,{D("base64-image", png)})

The staging database is reachable at `{pw_url("postgres", "staging", "staging-db.acme.internal:5432", "/app")}`.
""",
)

file(
    "docs/runbooks/incident-2024-03-leaked-key.md",
    f"""
# Incident 2024-03: key in a public gist

**Status:** resolved (key rotated? see below)

An engineer pasted the following into a public gist while debugging:

    HUGGING_FACE_HUB_TOKEN={S("huggingface")}
    ANTHROPIC_API_KEY={S("anthropic-api")}

and the bastion key:

```
{V("openssh", GEN["openssh"](), "private-key")}
```

Follow-up: the Stripe restricted key `{S("stripe-restricted")}` was found in the same gist.

Commit that removed it: {D("git-sha", sha(40))}. Ticket SEC-{r(4, string.digits)}.
""",
)

file(
    "CHANGELOG.md",
    "# Changelog\n\n"
    + "".join(
        f"## {v}\n\n- {msg} ({sha(7)})\n- Bump dependencies ([{sha(40)}](https://github.com/acme/app/commit/{sha(40)}))\n\n"
        for v, msg in [
            ("3.2.0", "Invoices can be disputed from the portal"),
            ("3.1.4", "Tokens are masked in the audit log"),
            ("3.1.3", "Fix password reset e-mails for SSO users"),
        ]
    ),
)

# --- Jupyter notebook --------------------------------------------------------------------------
nb_cells = [
    {
        "cell_type": "markdown",
        "metadata": {},
        "source": ["# Churn exploration\n", "Pulls the last 90 days from the warehouse."],
    },
    {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": [],
        "source": [
            "import os\n",
            "from openai import OpenAI\n",
            "from huggingface_hub import login\n",
            "\n",
            "\x00NB0\x00",
            "\x00NB1\x00",
            "engine_url = \x00NB2\x00\n",
        ],
    },
    {
        "cell_type": "code",
        "execution_count": 2,
        "metadata": {},
        "outputs": [
            {
                "data": {"image/png": "\x00NBIMG\x00", "text/plain": ["<Figure size 640x480>"]},
                "metadata": {},
                "output_type": "display_data",
            }
        ],
        "source": ["df.plot(x='week', y='churn')"],
    },
]
nb_text = json.dumps(
    {
        "cells": nb_cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    },
    indent=1,
)
nb_text = (
    nb_text.replace("\\u0000NB0\\u0000", f'client = OpenAI(api_key=\\"{S("openai-project")}\\")\\n')
    .replace("\\u0000NB1\\u0000", f'login(token=\\"{S("huggingface")}\\")\\n')
    .replace(
        "\\u0000NB2\\u0000",
        f"'{pw_url('postgresql+psycopg', 'analyst', 'warehouse.internal:5432', '/dw')}'",
    )
    .replace(
        "\\u0000NBIMG\\u0000",
        D("base64-image", base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(300)).decode()),
    )
)
file("notebooks/churn-exploration.ipynb", nb_text + "\n")

# --- CI -----------------------------------------------------------------------------------------
file(
    ".github/workflows/deploy.yml",
    f"""
name: deploy
on:
  push:
    tags: ["v*"]
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-24.04
    environment: production
    env:
      REGISTRY: registry.acme-corp.net
      SLACK_WEBHOOK_URL: https://hooks.slack.com/services/T{r(8, B32)}/B{r(10, B32)}/{V("slack-webhook", r(24), "url")}
      DD_API_KEY: ${{{{ secrets.DD_API_KEY }}}}
    steps:
      - uses: actions/checkout@{D("git-sha", sha(40))} # v4.1.7
      - uses: docker/login-action@{sha(40)} # v3.3.0
        with:
          registry: ${{{{ env.REGISTRY }}}}
          username: ci
          password: {S("password")}
      - name: Deploy
        env:
          ANTHROPIC_API_KEY: ${{{{ secrets.ANTHROPIC_API_KEY }}}}
          GITHUB_TOKEN: ${{{{ github.token }}}}
        run: |
          ./scripts/deploy.sh
          curl -fsS "https://api.acme-corp.net/hooks/deployed?token={V("url-query-token", raw("api-key"), "url")}"
""",
)

file(
    "ci/Jenkinsfile",
    f"""
pipeline {{
  agent any
  environment {{
    SONAR_TOKEN = credentials('sonar-token')
    ARTIFACTORY = '{pw_url("https", "ci-publisher", "artifactory.acme.local", "/artifactory/libs-release")}'
  }}
  stages {{
    stage('Build') {{
      steps {{
        sh './gradlew build'
      }}
    }}
    stage('Publish') {{
      steps {{
        sh "git push https://oauth2:{V("gitlab-pat", raw("gitlab-pat"), "url")}@gitlab.acme.local/platform/app.git HEAD:release"
      }}
    }}
  }}
}}
""",
)

file(
    ".git-credentials",
    f"https://acme-bot:{V('github-ghu', raw('github-ghu'), 'url')}@github.com\n"
    f"https://deploy:{V('url-password-https', raw('url-password'), 'url')}@git.acme.local\n",
)

# --- CSS with an embedded font ----------------------------------------------------------------
file(
    "web/src/styles/fonts.css",
    f"""
@font-face {{
  font-family: "Inter";
  font-display: swap;
  src: url(data:font/woff2;base64,{D("base64-font", base64.b64encode(b"wOF2" + rng.randbytes(420)).decode())}) format("woff2");
}}
:root {{ --brand: #{r(6, HEX)}; }}
""",
)

# --- test fixtures ------------------------------------------------------------------------------
file(
    "services/billing/tests/fixtures/tokens.py",
    f'''
"""Tokens for the redaction tests."""

# Clearly fake: the redactor must leave these alone.
FAKE_GITHUB = "ghp_000000000000000000000000000000000000"
FAKE_ANTHROPIC = "sk-ant-api03-{"X" * 93}AA"
FAKE_SLACK = "xoxb-0000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx"
PLACEHOLDER_AWS = "AKIAXXXXXXXXXXXXXXXX"
TEST_PASSWORD = "password123"  # the test server's throwaway user

# Copied from a developer's shell history when writing the test; real shapes.
REAL_SHAPED_GITHUB = "{S("github-ghp", ctx="test-fixture")}"
REAL_SHAPED_OPENAI = "{S("openai-project", ctx="test-fixture")}"
REAL_SHAPED_AWS_SECRET = "{S("aws-secret-access-key", ctx="test-fixture")}"
''',
)

file(
    "services/billing/tests/fixtures/keys/server.key",
    V("rsa-pkcs1", GEN["rsa-pkcs1"](), "private-key", "test-fixture") + "\n",
)

file(
    "services/billing/tests/conftest.py",
    f'''
import pytest


@pytest.fixture
def webhook_payload() -> dict[str, str]:
    return {{
        "id": "evt_{r(24, ALNUM)}",
        "type": "invoice.paid",
        "request_id": "req_{r(14, ALNUM)}",
        "idempotency_key": "{D("uuid", uuid())}",
    }}


@pytest.fixture
def signing_secret() -> str:
    return "whsec_test_secret"
''',
)

# --- more code in other places ----------------------------------------------------------------
ec_key = GEN["ec"]()
file(
    "services/signer/keys.py",
    f'''
"""Signs webhook payloads for partners."""

from cryptography.hazmat.primitives import serialization

SIGNING_KEY_PEM = b"""{V("ec", ec_key, "private-key")}
"""

PUBLIC_KEY_FINGERPRINT = "SHA256:{D("ssh-fingerprint", base64.b64encode(rng.randbytes(32)).decode().rstrip("="))}"


def load():
    return serialization.load_pem_private_key(SIGNING_KEY_PEM, password=None)
''',
)

file(
    "services/signer/certs/partner-api.pem",
    V("pkcs8", GEN["pkcs8"](), "private-key") + "\n",
)

file(
    "services/ingest/internal/clients/clients.go",
    f"""
package clients

import "net/http"

const (
\tanthropicOAuth = "{S("anthropic-oat")}"
\topenAIService  = "{S("openai-service")}"
\tgithubApp      = "{S("github-ghs")}"
\tgithubUser     = "{S("github-fine-grained")}"
\tgitlabToken    = "{S("gitlab-pat")}"
\tpostmanKey     = "{S("postman")}"
\tuserAgent      = "acme-ingest/{sha(7)}"
)

// NewRequest adds the partner's bearer token.
func NewRequest(url string) (*http.Request, error) {{
\treq, err := http.NewRequest("GET", url, nil)
\tif err != nil {{
\t\treturn nil, err
\t}}
\treq.Header.Set("Authorization", "Bearer "+githubApp)
\treturn req, nil
}}
""",
)

file(
    "web/src/server/admin.ts",
    f"""
import {{ Anthropic }} from "@anthropic-ai/sdk";

// Usage reports for the finance dashboard.
const admin = new Anthropic({{ apiKey: "{S("anthropic-admin")}" }});
const shopifyAdmin = "{S("shopify")}";
const linearKey = "{S("linear")}";
const dbUrl = "{pw_url("mysql", "reports", "mysql.acme.internal:3306", "/reports")}";
const hfToken = process.env.HF_TOKEN ?? "";
const sessionId = "{D("random-id", r(32, ALNUM))}";
const i18nKey = "admin.usage.title";

export async function usage() {{
  return admin.beta.messages.countTokens({{ model: "claude-sonnet-4-5", messages: [] }});
}}

export {{ shopifyAdmin, linearKey, dbUrl, hfToken, sessionId, i18nKey }};
""",
)

file(
    "services/ml/download.py",
    f'''
"""Fetches model weights for the intent classifier."""

import os

from huggingface_hub import snapshot_download

HF_TOKEN = os.getenv("HF_TOKEN") or "{S("huggingface")}"
REVISION = "{sha(40)}"
MLFLOW_URI = "{pw_url("https", "mlflow", "mlflow.acme.internal", "")}"
DATABRICKS_TOKEN = "{S("databricks")}"
AZURE_BLOB = "DefaultEndpointsProtocol=https;AccountName=acmeml;AccountKey={S("azure-storage-key")};EndpointSuffix=core.windows.net"
AZURE_SP_SECRET = "{S("azure-ad-client-secret")}"
DD_API_KEY = "{S("datadog-api-key")}"


def fetch(repo: str) -> str:
    return snapshot_download(repo, revision=REVISION, token=HF_TOKEN)
''',
)

file(
    "services/ml/config.yaml",
    f"""
training:
  epochs: 12
  seed: 1337
  dataset_sha256: {D("sha256-content-hash", sha())}
tracking:
  uri: https://mlflow.acme.internal
  username: trainer
  password: {S("password")}
storage:
  type: s3
  bucket: acme-ml-artifacts
  aws_access_key_id: {S("aws-access-key-id")}
  aws_secret_access_key: {S("aws-secret-access-key")}
notifications:
  slack_token: {S("slack-bot")}
  email_password: "${{SMTP_PASSWORD}}"
  pagerduty_routing_key: {S("api-key")}
""",
)

file(
    "services/worker/tasks.go",
    f"""
package worker

// Stripe and SendGrid clients for the billing jobs.
var (
\tstripeKey   = "{S("stripe-secret")}"
\tsendgridKey = "{S("sendgrid")}"
\ttwilioKey   = "{S("twilio-api-key")}"
\tmapboxKey   = "{S("mapbox-secret")}"
\tgoogleKey   = "{S("google-api")}"
\tnpmToken    = "{S("npm")}"
\tjobID       = "{uuid()}"
)
""",
)

file(
    "docs/integrations/ci-tokens.md",
    f"""
# CI tokens

| Service | Token | Owner |
|---|---|---|
| GitHub Packages | `{S("github-ghp")}` | platform |
| GitHub OAuth app | `{S("github-gho")}` | platform |
| npm publish | `{S("npm")}` | web |
| PyPI | `{S("pypi")}` | python |
| Doppler | `{S("doppler")}` | infra |
| Vault (CI role) | `{S("vault")}` | infra |
| Datadog | `{S("datadog-api-key")}` | sre |

Revoked tokens (kept for the audit trail, already invalid): none.

Webhook for alerts: `https://hooks.slack.com/services/T{r(8, B32)}/B{r(10, B32)}/{V("slack-webhook", r(24), "url")}`

Example of a masked value as shown by the UI: `ghp_****************************abcd`.
""",
)

file(
    "services/payments/src/main/resources/application-dev.properties",
    f"""
spring.datasource.url=jdbc:postgresql://localhost:5432/payments
spring.datasource.username=payments
spring.datasource.password=${{DB_PASSWORD:}}
spring.mail.password={S("password")}
stripe.api-key={S("stripe-secret")}
twilio.auth-token={S("twilio-auth-token")}
google.oauth.client-secret={S("google-oauth-secret")}
app.jwt.secret={S("jwt-signing-secret")}
app.build.commit={sha(40)}
app.feature.uuid={uuid()}
""",
)


# --- write -------------------------------------------------------------------------------------
MARK_RE = re.compile("\u27e6(\\d+)\u27e7")


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    labels: list[dict[str, object]] = []
    decoys: list[dict[str, object]] = []
    for path, template in sorted(FILES.items()):
        text = template
        while m := MARK_RE.search(text):
            mark = MARKS[int(m.group(1))]
            line = text[: m.start()].count("\n") + 1
            end = line + mark.value.count("\n")
            text = text[: m.start()] + mark.value + text[m.end() :]
            entry: dict[str, object] = {"file": path, "line": line}
            if end != line:
                entry["end_line"] = end
            if mark.decoy:
                decoys.append({**entry, "kind": mark.family, "prefix": mark.value[:8]})
                continue
            entry.update(group=mark.group, family=mark.family, prefix=mark.value[:8])
            if mark.context:
                entry["context"] = mark.context
            labels.append(entry)
        target = OUT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    labels.sort(key=lambda e: (str(e["file"]), int(str(e["line"]))))
    (OUT / "labels.json").write_text(
        json.dumps(
            {
                "seed": SEED,
                "definition": "a value a security reviewer would want rotated or removed",
                "secrets": labels,
                "hard_decoys": decoys,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    groups: dict[str, int] = {}
    for e in labels:
        groups[str(e["group"])] = groups.get(str(e["group"]), 0) + 1
    print(f"{len(FILES)} files, {len(labels)} secrets {groups}, {len(decoys)} hard decoys")


if __name__ == "__main__":
    main()
