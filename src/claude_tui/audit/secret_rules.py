"""Secret-detection rules: provider token formats, and entropy for generic assignments.

Each provider rule names the secret in its first capturing group. Candidates then pass a
plausibility check, which is what keeps documented examples, placeholders, hashes and UUIDs
out of the report.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from claude_tui.audit.generic_secrets import find_generic, shannon_entropy
from claude_tui.audit.model import Severity

__all__ = ["ALL_RULE_IDS", "PROVIDER_RULES", "SecretMatch", "SecretRule", "find_secrets"]
__all__ += ["looks_random", "shannon_entropy"]

PLACEHOLDER_WORDS = ("example", "xxxx", "your", "changeme", "placeholder", "dummy", "redacted")
# GitHub documents base62 as digits, upper, lower; some encoders put lower before upper, and
# accepting both costs nothing in precision (a random tail passes with odds of 2 in 62**6).
BASE62_ALPHABETS = (
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
)


def looks_random(value: str, min_bits_per_char: float = 3.0) -> bool:
    """True for values with enough variety to be a generated secret rather than a placeholder."""
    lowered = value.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return False
    if re.search(r"(.)\1{5,}", value):  # runs like 000000 or aaaaaa are hand-typed filler
        return False
    return shannon_entropy(value) >= min_bits_per_char


def _base62_value(text: str, alphabet: str) -> int | None:
    value = 0
    for ch in text:
        digit = alphabet.find(ch)
        if digit < 0:
            return None
        value = value * 62 + digit
    return value


def crc32_tail_matches(token: str, prefix_length: int) -> bool:
    """GitHub's and npm's 40-character tokens end in the base62 CRC32 of their random part."""
    body, tail = token[prefix_length:-6], token[-6:]
    expected = binascii.crc32(body.encode("ascii", "replace"))
    return any(_base62_value(tail, alphabet) == expected for alphabet in BASE62_ALPHABETS)


def _github_plausible(token: str) -> bool:
    if len(token) == 40 and not crc32_tail_matches(token, 4):
        return False  # the vendor's checksum fails: a made-up or mistyped value
    return looks_random(token[4:], 3.5)


def _npm_plausible(token: str) -> bool:
    return crc32_tail_matches(token, 4) and looks_random(token[4:], 3.5)


def _prefixed(
    rule_id: str,
    description: str,
    pattern: str,
    prefix: str,
    severity: Severity = Severity.HIGH,
    min_bits: float = 3.5,
    keywords: tuple[str, ...] = (),
) -> SecretRule:
    """A token recognised by its vendor prefix alone; ``prefix`` is shown in reports."""
    visible = len(prefix)
    return SecretRule(
        rule_id,
        description,
        re.compile(pattern),
        severity=severity,
        plausible=lambda s: looks_random(s[visible:], min_bits),
        visible=visible,
        keywords=keywords or (prefix.lower(),),
    )


def _docker_auth_plausible(value: str) -> bool:
    """A registry ``auth`` is base64 of ``user:password``; an empty or template password is not."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    user, sep, password = decoded.partition(":")
    return bool(sep) and password != user and _password_plausible(password)


def _jwt_plausible(token: str) -> bool:
    header = token.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    return isinstance(decoded, dict) and "alg" in decoded


# ${DB_PASSWORD}, $PASS, <password>, %(password)s, {{ pass }}, {password}, %PASS%, *** and
# the like are templates filled in elsewhere, not secrets; a lone % or * is just a character.
PASSWORD_TEMPLATE_RE = re.compile(
    r"\$\{|\{\{|%\(|<[^>]*>|\{[^}]*\}|^\$\w+$|^%\w+%$|^[*xX.]+$|^\*{3}"
)


def _password_plausible(password: str) -> bool:
    if PASSWORD_TEMPLATE_RE.search(password) or password.lower() in {
        "password",
        "pass",
        "passwd",
        "secret",
        "pwd",
        "postgres",
        "root",
        "user",
        "test",
    }:
        return False
    return len(password) >= 6 and not any(w in password.lower() for w in PLACEHOLDER_WORDS)


@dataclass(frozen=True)
class SecretRule:
    """A provider's token format; the group named ``secret``, or else group 1, is the secret."""

    id: str
    description: str
    pattern: re.Pattern[str]
    severity: Severity = Severity.HIGH
    plausible: Callable[[str], bool] = looks_random
    visible: int = 0  # length of the fixed, non-secret prefix a report may show
    # Lower-case substrings one of which every match contains: a cheap test that skips the
    # regular expression on the many files that cannot match.
    keywords: tuple[str, ...] = ()


PROVIDER_RULES: tuple[SecretRule, ...] = (
    SecretRule(
        "aws-access-key-id",
        "AWS access key id",
        re.compile(r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b"),
        plausible=lambda s: looks_random(s[4:], 2.5),
        visible=4,
        keywords=("akia", "asia", "abia", "acca"),
    ),
    SecretRule(
        "aws-secret-access-key",
        "AWS secret access key",
        re.compile(
            r"(?i)aws[\w.-]{0,20}?(?:secret|sk)[\w.-]{0,20}['\"]?\s*[:=]\s*['\"]?"
            r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
        severity=Severity.CRITICAL,
        plausible=lambda s: looks_random(s, 4.0),
        keywords=("aws",),
    ),
    SecretRule(
        "github-token",
        "GitHub token",
        re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36,251})\b"),
        plausible=_github_plausible,
        visible=4,
        keywords=("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    SecretRule(
        "github-fine-grained-token",
        "GitHub fine-grained personal access token",
        re.compile(r"\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b"),
        plausible=lambda s: looks_random(s[11:], 3.5),
        visible=11,
        keywords=("github_pat_",),
    ),
    SecretRule(
        "gitlab-token",
        "GitLab token",
        re.compile(r"\b((?:glpat|glptt|gldt|glrt|gloas)-[A-Za-z0-9_\-]{20,64})(?![A-Za-z0-9_\-])"),
        plausible=lambda s: looks_random(s.split("-", 1)[1], 3.2),
        visible=6,
        keywords=("glpat-", "glptt-", "gldt-", "glrt-", "gloas-"),
    ),
    SecretRule(
        "slack-token",
        "Slack token",
        re.compile(r"\b(xox[baprse]-[0-9]{6,}-[0-9A-Za-z-]{8,})\b"),
        plausible=lambda s: looks_random(s, 3.0),
        visible=5,
        keywords=("xox",),
    ),
    SecretRule(
        "slack-app-token",
        "Slack app-level token",
        re.compile(r"\b(xapp-\d-[A-Z0-9]{6,}-\d{6,}-[a-f0-9]{32,})\b"),
        plausible=lambda s: looks_random(s.rsplit("-", 1)[1], 3.0),
        visible=5,
        keywords=("xapp-",),
    ),
    SecretRule(
        "slack-webhook",
        "Slack incoming webhook URL",
        re.compile(
            r"(https://hooks\.slack\.com/services/T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/[A-Za-z0-9]{24})"
        ),
        plausible=lambda s: looks_random(s.rsplit("/", 1)[1], 3.5),
        visible=33,
        keywords=("hooks.slack.com",),
    ),
    SecretRule(
        "discord-webhook",
        "Discord webhook URL",
        re.compile(
            r"(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/"
            r"[A-Za-z0-9_-]{60,80})(?![A-Za-z0-9_-])"
        ),
        plausible=lambda s: looks_random(s.rsplit("/", 1)[1], 3.5),
        visible=33,
        keywords=("/api/webhooks/",),
    ),
    SecretRule(
        "stripe-live-key",
        "Stripe live secret or restricted key",
        re.compile(r"\b((?:sk|rk)_live_[0-9A-Za-z]{24,99})\b"),
        severity=Severity.CRITICAL,
        plausible=lambda s: looks_random(s[8:], 3.5),
        visible=8,
        keywords=("_live_",),
    ),
    SecretRule(
        "stripe-test-key",
        "Stripe test-mode secret key",
        re.compile(r"\b((?:sk|rk)_test_[0-9A-Za-z]{24,99})\b"),
        severity=Severity.MEDIUM,
        plausible=lambda s: looks_random(s[8:], 3.5),
        visible=8,
        keywords=("_test_",),
    ),
    SecretRule(
        "stripe-webhook-secret",
        "Stripe webhook signing secret",
        re.compile(r"\b(whsec_[0-9A-Za-z]{32,})\b"),
        plausible=lambda s: looks_random(s[6:], 3.5),
        visible=6,
        keywords=("whsec_",),
    ),
    SecretRule(
        "google-api-key",
        "Google API key",
        re.compile(r"\b(AIza[0-9A-Za-z_\-]{35})(?![0-9A-Za-z_\-])"),
        plausible=lambda s: looks_random(s[4:], 3.5),
        visible=4,
        keywords=("aiza",),
    ),
    SecretRule(
        "google-oauth-client-secret",
        "Google OAuth client secret",
        re.compile(r"\b(GOCSPX-[0-9A-Za-z_\-]{28})(?![0-9A-Za-z_\-])"),
        plausible=lambda s: looks_random(s[7:], 3.5),
        visible=7,
        keywords=("gocspx-",),
    ),
    SecretRule(
        "anthropic-api-key",
        "Anthropic API key",
        re.compile(r"\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,120})(?![A-Za-z0-9_\-])"),
        severity=Severity.CRITICAL,
        plausible=lambda s: looks_random(s.split("-", 3)[3], 3.5),
        visible=13,
        keywords=("sk-ant-",),
    ),
    SecretRule(
        "anthropic-oauth-token",
        "Anthropic OAuth token",
        re.compile(r"\b(sk-ant-(?:oat|ort)\d{2}-[A-Za-z0-9_\-]{80,120})(?![A-Za-z0-9_\-])"),
        severity=Severity.CRITICAL,
        plausible=lambda s: looks_random(s[13:], 3.5),
        visible=13,
        keywords=("sk-ant-o",),
    ),
    SecretRule(
        "openai-api-key",
        "OpenAI API key",
        re.compile(
            r"\b(sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,200}"
            r"|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}))(?![A-Za-z0-9_\-])"
        ),
        severity=Severity.CRITICAL,
        plausible=lambda s: looks_random(s, 3.5),
        visible=8,
        keywords=("sk-",),
    ),
    SecretRule(
        "npm-token",
        "npm access token",
        re.compile(r"\b(npm_[A-Za-z0-9]{36})\b"),
        plausible=_npm_plausible,
        visible=4,
        keywords=("npm_",),
    ),
    _prefixed(
        "pypi-token",
        "PyPI upload token",
        r"\b(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,})",
        "pypi-AgEIcHlwaS5vcmc",
        keywords=("pypi-age",),
    ),
    _prefixed(
        "huggingface-token",
        "Hugging Face token",
        r"\b((?:hf|api_org)_[A-Za-z]{34})\b",
        "hf_",
        keywords=("hf_", "api_org_"),
    ),
    SecretRule(
        "azure-client-secret",
        "Microsoft Entra ID (Azure AD) client secret",
        re.compile(
            r"(?<![A-Za-z0-9_~.\-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?![A-Za-z0-9_~.\-])"
        ),
        plausible=lambda s: looks_random(s[6:], 3.5),
        keywords=("q~",),
    ),
    SecretRule(
        "azure-storage-account-key",
        "Azure storage account key",
        re.compile(r"(?i)(?:AccountKey|SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{43,86}==?)"),
        severity=Severity.CRITICAL,
        plausible=lambda s: looks_random(s, 4.5),
        keywords=("accountkey", "sharedaccesskey"),
    ),
    SecretRule(
        "datadog-api-key",
        "Datadog API or application key",
        re.compile(
            r"(?i)(?:datadog|\bdd)[\w.\-]{0,20}?(?:api|app(?:lication)?)[_\-.]?key"
            r"['\"]?\s*[:=]\s*['\"]?([a-f0-9]{32}|[a-f0-9]{40})(?![A-Za-z0-9])"
        ),
        plausible=lambda s: looks_random(s, 3.0),
        keywords=("dd", "datadog"),
    ),
    _prefixed(
        "twilio-api-key",
        "Twilio API key",
        r"\b(SK[0-9a-f]{32})\b",
        "SK",
        min_bits=3.0,
        keywords=("sk",),
    ),
    _prefixed(
        "sendgrid-api-key",
        "SendGrid API key",
        r"\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?![A-Za-z0-9_\-])",
        "SG.",
    ),
    _prefixed(
        "mapbox-secret-token",
        "Mapbox secret token",
        r"\b(sk\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{20,})(?![A-Za-z0-9_\-])",
        "sk.",
        keywords=("sk.eyj",),
    ),
    _prefixed(
        "doppler-token",
        "Doppler token",
        # Service tokens carry their config's slug: dp.st.<config>.<token>.
        r"\b(dp\.(?:pt|st(?:\.[a-z0-9_-]{1,64})?|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})\b",
        "dp.",
        keywords=("dp.",),
    ),
    _prefixed(
        "vault-token",
        "HashiCorp Vault token",
        r"\b(hv[sbr]\.[A-Za-z0-9_\-]{24,})(?![A-Za-z0-9_\-])",
        "hvs.",
        keywords=("hvs.", "hvb.", "hvr."),
    ),
    _prefixed(
        "digitalocean-token",
        "DigitalOcean token",
        r"\b(do[opr]_v1_[a-f0-9]{64})\b",
        "dop_v1_",
        min_bits=3.0,
        keywords=("_v1_",),
    ),
    _prefixed("linear-api-key", "Linear API key", r"\b(lin_api_[A-Za-z0-9]{40})\b", "lin_api_"),
    _prefixed(
        "postman-api-key",
        "Postman API key",
        r"\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b",
        "PMAK-",
        min_bits=3.0,
    ),
    _prefixed(
        "databricks-token",
        "Databricks access token",
        r"\b(dapi[a-f0-9]{32})(?:-\d)?\b",
        "dapi",
        min_bits=3.0,
    ),
    _prefixed(
        "grafana-service-account-token",
        "Grafana service account token",
        r"\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b",
        "glsa_",
    ),
    _prefixed(
        "sentry-token",
        "Sentry auth token",
        r"\b(sntry[us]_[A-Za-z0-9_=+/]{40,})",
        "sntry",
        min_bits=3.0,
    ),
    _prefixed(
        "pulumi-access-token",
        "Pulumi access token",
        r"\b(pul-[a-f0-9]{40})\b",
        "pul-",
        min_bits=3.0,
    ),
    _prefixed("groq-api-key", "Groq API key", r"\b(gsk_[A-Za-z0-9]{52})\b", "gsk_"),
    _prefixed(
        "newrelic-user-key",
        "New Relic user API key",
        r"\b(NRAK-[A-Z0-9]{27})\b",
        "NRAK-",
        min_bits=3.0,
    ),
    SecretRule(
        "jwt",
        "JSON Web Token",
        re.compile(r"\b(eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,})"),
        severity=Severity.MEDIUM,
        plausible=_jwt_plausible,
        visible=3,
        keywords=("eyj",),
    ),
    SecretRule(
        "database-url-password",
        "Database URL with a password",
        re.compile(
            r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql)"
            r"(?:\+[a-z0-9]+)?://(?P<user>[^\s:/@'\"]*):(?P<secret>[^\s@'\"/]+)@[\w.\-\[\]:]+"
        ),
        plausible=_password_plausible,
        keywords=("://",),
    ),
    SecretRule(
        "url-password",
        "URL with a password",
        re.compile(
            r"\b[a-z][a-z0-9+.\-]{1,20}://(?P<user>[^\s:/@'\"]*):(?P<secret>[^\s@'\"/]+)"
            r"@[\w.\-\[\]:]+"
        ),
        plausible=_password_plausible,
        keywords=("://",),
    ),
    SecretRule(
        "docker-config-auth",
        "Container registry credentials (docker config auth)",
        re.compile(r"\"auth\"\s*:\s*\"([A-Za-z0-9+/]{12,}={0,2})\""),
        plausible=_docker_auth_plausible,
        keywords=('"auth"',),
    ),
    SecretRule(
        "claude-tui-api-key",
        "Claude TUI API key",
        re.compile(r"\b(ctui_[A-Za-z0-9]{12}_[A-Za-z0-9]{40})\b"),
        severity=Severity.CRITICAL,
        plausible=lambda s: looks_random(s[18:], 3.5),
        visible=5,
        keywords=("ctui_",),
    ),
)

PRIVATE_KEY_RE = re.compile(
    r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
    r"\s*(?:[\w-]+:[^\n]*\n\s*)*([A-Za-z0-9+/=\s]{64,}?)-----END "
)


@dataclass(frozen=True)
class SecretMatch:
    """A secret found in a text: which rule, the value, and where (1-based line)."""

    rule: SecretRule
    secret: str
    line: int
    column: int
    reason: str = ""  # why a context-judged value was taken for a secret


# Judged by generic_secrets (key, character class, entropy); the pattern is never run.
GENERIC_RULE = SecretRule(
    "generic-secret-assignment",
    "High-entropy value assigned to a secret-named key",
    re.compile(r"(?!)"),
    severity=Severity.HIGH,
)
PASSWORD_RULE = SecretRule(
    "password-assignment",
    "Password assigned to a password-named key",
    re.compile(r"(?!)"),
    severity=Severity.HIGH,
)
PRIVATE_KEY_RULE = SecretRule(
    "private-key", "Private key", PRIVATE_KEY_RE, severity=Severity.CRITICAL
)
ALL_RULE_IDS = tuple(r.id for r in (*PROVIDER_RULES, PRIVATE_KEY_RULE, GENERIC_RULE, PASSWORD_RULE))


def _line_of(text: str, offset: int, line_starts: list[int]) -> tuple[int, int]:
    lo, hi = 0, len(line_starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, offset - line_starts[lo] + 1


def find_secrets(text: str, path: str = "") -> Iterator[SecretMatch]:
    """Every plausible secret in ``text`` (of the file ``path``, whose kind sets the generic
    detector's bar); a span matched by a provider rule is not re-reported by the generic one."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    lowered = text.lower()
    taken: list[tuple[int, int]] = []
    if "PRIVATE KEY" in text:
        for match in PRIVATE_KEY_RE.finditer(text):
            body = re.sub(r"\s", "", match.group(2))
            if looks_random(body, 4.0):
                taken.append(match.span())
                line, col = _line_of(text, match.start(), line_starts)
                yield SecretMatch(PRIVATE_KEY_RULE, body, line, col)
    for rule in PROVIDER_RULES:
        if rule.keywords and not any(k in lowered for k in rule.keywords):
            continue
        group = "secret" if "secret" in rule.pattern.groupindex else 1
        for match in rule.pattern.finditer(text):
            secret = match.group(group)
            start = match.start(group)
            if any(a <= start < b for a, b in taken) or not rule.plausible(secret):
                continue
            if "user" in rule.pattern.groupindex and match.group("user") == secret:
                continue  # user:user@ is a development default, not a secret
            taken.append(match.span(group))
            line, col = _line_of(text, start, line_starts)
            yield SecretMatch(rule, secret, line, col)
    for found in find_generic(text, path):
        start, end = found.start, found.start + len(found.value)
        if any(a <= start < b or start <= a < end for a, b in taken):
            continue
        line, col = _line_of(text, start, line_starts)
        rule = PASSWORD_RULE if found.password else GENERIC_RULE
        yield SecretMatch(rule, found.value, line, col, found.reason)
