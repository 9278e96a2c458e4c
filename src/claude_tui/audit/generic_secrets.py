"""Secrets with no vendor prefix, judged by context and entropy.

A value is reported when the key it is assigned to names a secret (a word of the key, so
``tokenizer`` is not ``token``), it is one token of a plausible character class and length,
it is neither a placeholder, a template, a reference nor a known test or documentation value,
and its Shannon entropy reaches a share of what a random value of the same alphabet and length
would have; the share depends on the kind of file (configuration, code, documentation, tests).
Every decision is written into the finding's reason.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)

# Words of a key that make its value a secret; a password is chosen by a person and is judged
# by a lower bar than a generated key.
SECRET_WORDS = frozenset(
    {"secret", "secrets", "token", "tokens", "credential", "credentials", "apikey", "passphrase"}
)
PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "pass", "passphrase"})
# Second words that turn "api", "access"... into a secret key name: api_key, access-key.
KEY_PAIRS = frozenset(
    {"api", "access", "auth", "private", "signing", "encryption", "master", "secret", "app"}
)
# A key with one of these words holds something about a secret, not the secret itself.
NOT_SECRET_WORDS = frozenset(
    {
        "hash", "hashed", "digest", "checksum", "sha", "sha1", "sha256", "sha512", "md5",
        "integrity", "id", "ids", "url", "uri", "endpoint", "path", "file", "dir", "name",
        "names", "type", "length", "len", "size", "ttl", "expiry", "expires", "expiration",
        "lifetime", "timeout", "count", "min", "max", "field", "header", "pattern", "regex",
        "label", "hint", "prompt", "message", "msg", "text", "error", "policy", "format",
        "prefix", "env", "var", "version", "public", "pub", "icon", "image", "enabled",
        "required", "kind", "class", "mode", "manager", "provider", "helper", "factory",
        "generator", "column", "param", "placeholder", "description", "title", "validator",
        "strength", "reset", "confirm", "confirmation", "input", "form", "ref", "arn",
    }
)  # fmt: skip
KEYWORD_RE = re.compile(r"(?i)secret|token|passw(?:or)?d|pwd|pass|api[_\-.]?key|credential|key")
KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
OPERATOR_RE = re.compile(r"""['"]?\]?\s*(?::=|=>|=|:)[ \t]*""")
XML_RE = re.compile(r"<([A-Za-z_][\w.\-]*)>([^<\s]{1,200})</\1>")

# Templates filled in elsewhere and references to where the secret really lives.
TEMPLATE_RE = re.compile(
    r"\$\{|\{\{|%\(|<[^>]*>|<%|\{[^}]*\}|#\{|\$\(|^\$\w+$|^%\w+%$|^@\w+@$|^__\w+__$|^[*xX.?]+$"
    r"|^\*{3}|^!(?:Ref|Sub|vault)\b"
)
REFERENCE_RE = re.compile(
    r"(?i)os\.environ|getenv|process\.env|ENV\[|\benv\(|^(?:vault|ssm|arn|secretsmanager"
    r"|op|azurekeyvault|gcp|sm):|\bsecrets?\.\w"
)
# Values published in vendor documentation and common test values: nobody's credentials.
DOCUMENTED_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    }
)
PLACEHOLDER_PARTS = (
    "example", "sample", "xxxx", "your", "changeme", "change_me", "change-me", "placeholder",
    "dummy", "redacted", "fake", "mock", "test", "notasecret", "not-a-secret", "not_a_secret",
    "notreal", "not-real", "insecure", "devonly", "dev-only", "replace", "default", "secret123",
    "password1", "passw0rd", "p@ssw0rd", "hunter2", "letmein", "qwerty", "123456", "abcdef",
    "foobar", "s3cr3t", "dontuse", "do-not-use", "local-only",
)  # fmt: skip
COMMON_VALUES = frozenset(
    {
        "password", "passwd", "secret", "token", "pass", "pwd", "root", "admin", "user",
        "postgres", "mysql", "redis", "guest", "none", "null", "nil", "true", "false",
        "undefined", "empty", "required", "optional", "string", "str", "bytes",
    }
)  # fmt: skip
IDENTIFIER_RE = re.compile(
    r"[a-z_]+|[A-Z_]+|(?:[A-Z]?[a-z]++){2,}|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[A-Za-z]+(?:[-_.][A-Za-z]+)+"
)
HEX_RE = re.compile(r"[0-9a-f]+|[0-9A-F]+")
# Modular-crypt and framework password hashes: what a password is checked against.
PASSWORD_HASH_RE = re.compile(
    r"^\$(?:2[abxy]?|1|5|6|y|gy|7|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*)\$|^(?:pbkdf2_sha\d+|argon2"
    r"|bcrypt(?:_sha256)?|scrypt)\$"
)
BASE64_SYMBOLS = frozenset("+/=-_")

LOCKFILES = frozenset(
    {
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock",
        "pipfile.lock", "uv.lock", "cargo.lock", "go.sum", "composer.lock", "gemfile.lock",
        "packages.lock.json", "flake.lock", "pdm.lock", "bun.lock", "mix.lock", "podfile.lock",
    }
)  # fmt: skip
I18N_DIRS = frozenset({"locale", "locales", "i18n", "l10n", "lang", "langs", "translations"})
I18N_SUFFIXES = frozenset({".po", ".pot", ".xlf", ".xliff", ".strings", ".arb", ".resx"})
CONFIG_SUFFIXES = frozenset(
    {
        ".env", ".yml", ".yaml", ".json", ".ini", ".cfg", ".conf", ".toml", ".properties",
        ".xml", ".tf", ".tfvars", ".hcl", ".config", ".plist", ".npmrc", ".pypirc", ".netrc",
    }
)  # fmt: skip
SCRIPT_SUFFIXES = frozenset({".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd", ".mk"})
DOC_SUFFIXES = frozenset({".md", ".rst", ".txt", ".adoc", ".html", ".htm", ".ipynb"})
TEST_DIRS = frozenset(
    {"test", "tests", "spec", "specs", "__tests__", "fixtures", "testdata", "test_data"}
)

# The share of a random value's expected entropy a value must reach, per kind of file: a
# configuration file is where secrets live, documentation and tests are full of made-up values.
ENTROPY_SHARE = {"config": 0.80, "script": 0.82, "code": 0.85, "docs": 0.90, "test": 0.90}
PASSWORD_SHARE = 0.75
MIN_GENERATED_LENGTH = 16
MIN_PASSWORD_LENGTH = 8
MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class GenericMatch:
    """A value judged a secret, where it starts in the text, and why."""

    value: str
    start: int
    password: bool
    reason: str


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``."""
    if not value:
        return 0.0
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def file_kind(path: str) -> str:
    """``lock``, ``i18n``, ``test``, ``config``, ``script``, ``docs`` or ``code``."""
    pure = PurePosixPath(path.lower())
    name, suffix = pure.name, pure.suffix
    parts = set(pure.parts[:-1])
    if name in LOCKFILES or suffix == ".lock":
        return "lock"
    if parts & I18N_DIRS or suffix in I18N_SUFFIXES or name.startswith("messages_"):
        return "i18n"
    if (
        parts & TEST_DIRS
        or name.startswith(("test_", "conftest"))
        or re.search(r"[._-](?:test|spec)\.\w+$", name)
    ):
        return "test"
    if suffix in CONFIG_SUFFIXES or name.startswith(".env") or name.endswith(".env"):
        return "config"
    if suffix in SCRIPT_SUFFIXES or name in {"makefile", "dockerfile", "jenkinsfile"}:
        return "script"
    if suffix in DOC_SUFFIXES:
        return "docs"
    return "code"


def key_words(key: str) -> list[str]:
    """``aws_secret_access_key`` -> aws, secret, access, key; ``apiKey`` -> api, key."""
    return [w.lower() for w in WORD_RE.findall(key)]


def secret_keyword(key: str) -> tuple[str, bool] | None:
    """The word of ``key`` that names a secret and whether it names a password, or None."""
    words = key_words(key)
    if not words or any(w in NOT_SECRET_WORDS for w in words):
        return None
    for word in words:
        if word in PASSWORD_WORDS:
            return word, True
    for word in words:
        if word in SECRET_WORDS:
            return word, False
    for first, second in itertools.pairwise(words):
        if second == "key" and first in KEY_PAIRS:
            return f"{first}_{second}", False
    return None


def alphabet(value: str) -> tuple[str, int]:
    """The character class of ``value`` and its size."""
    if HEX_RE.fullmatch(value):
        return "hex", 16
    lower = any(c.islower() for c in value)
    upper = any(c.isupper() for c in value)
    digit = any(c.isdigit() for c in value)
    symbols = {c for c in value if not c.isalnum()}
    size = 26 * lower + 26 * upper + 10 * digit
    if not symbols:
        return ("alphanumeric" if lower and upper else "lower-case alphanumeric"), size
    if symbols <= BASE64_SYMBOLS:
        return "base64", size + 2
    return "printable", size + 32


@lru_cache(maxsize=4096)
def expected_entropy(size: int, length: int) -> float:
    """Mean Shannon entropy (bits/char) of ``length`` characters drawn uniformly from ``size``.

    The empirical entropy is log2(n) - (1/n) sum c*log2(c) over the symbol counts c, each
    binomial(n, 1/size), so its mean is exact from the binomial distribution.
    """
    if size < 2 or length < 2:
        return 0.0
    p = 1.0 / size
    mean_c_log_c = 0.0
    for c in range(2, length + 1):
        log_pmf = (
            math.lgamma(length + 1)
            - math.lgamma(c + 1)
            - math.lgamma(length - c + 1)
            + c * math.log(p)
            + (length - c) * math.log1p(-p)
        )
        mean_c_log_c += math.exp(log_pmf) * c * math.log2(c)
    return math.log2(length) - size * mean_c_log_c / length


def placeholder_reason(value: str) -> str:
    """Why ``value`` is not a credential (a template, reference, example...), or ''."""
    lowered = value.lower()
    if value in DOCUMENTED_EXAMPLES:
        return "a value published in vendor documentation"
    if TEMPLATE_RE.search(value):
        return "a template filled in elsewhere"
    if REFERENCE_RE.search(value):
        return "a reference to where the secret is kept"
    if lowered in COMMON_VALUES:
        return "a common default word"
    part = next((p for p in PLACEHOLDER_PARTS if p in lowered), "")
    if part:
        return f"a placeholder or test value ({part!r})"
    if re.search(r"(.)\1{4,}", value):
        return "a run of one character"
    if IDENTIFIER_RE.fullmatch(value):
        return "an identifier, constant name or dotted reference"
    if UUID_RE.match(value):
        return "a UUID"
    if PASSWORD_HASH_RE.match(value):
        return "a password hash"
    return ""


def words_joined(value: str) -> bool:
    """``Measured-passphrase-1``: words (and a number) joined by separators, as people type."""
    parts = re.split(r"[-_.]", value)
    words = sum(p.isalpha() and len(p) >= 3 for p in parts)
    return len(parts) >= 2 and words >= 2 and all(p.isdigit() or p.isalpha() for p in parts)


def _value_at(line: str, pos: int, kind: str) -> tuple[str, int, bool] | None:
    """The single-token value assigned at ``line[pos:]``, its offset, and whether quoted."""
    if pos >= len(line):
        return None
    quote = line[pos]
    if quote in "'\"`":
        end = line.find(quote, pos + 1)
        if end < 0:
            return None
        value = line[pos + 1 : end]
        if not value or any(c.isspace() for c in value):
            return None
        return value, pos + 1, True
    end = pos
    while end < len(line) and not line[end].isspace() and line[end] not in "'\"`,;()[]{}":
        end += 1
    value = line[pos:end]
    rest = line[end:].strip()
    if kind == "code":
        # Unquoted code is an expression; only a "Header: value" inside a string counts.
        if end >= len(line) or line[end] not in "'\"`":
            return None
    elif rest and not rest.startswith(("#", ";", "//", ",", "'", '"', "`", "}", "]", ")")):
        return None  # prose or a value with spaces (a sentence, a translation)
    return (value, pos, False) if value else None


def _judge(
    value: str, keyword: str, key: str, password: bool, kind: str
) -> tuple[str, bool] | None:
    """Why ``value`` is a secret and whether by the password bar, or None when it is not."""
    if not MIN_PASSWORD_LENGTH <= len(value) <= MAX_VALUE_LENGTH or placeholder_reason(value):
        return None
    if kind != "config" and words_joined(value):
        return None  # outside configuration, a phrase of words is a test or sample value
    if value.startswith("data:") or re.match(r"(?i)(?:sha\d+|md5)[-:]", value):
        return None  # an inline image or an integrity digest
    name, size = alphabet(value)
    bits = shannon_entropy(value)
    random_bits = expected_entropy(size, len(value))
    where = f"keyword {keyword!r} in key {key!r}"
    if password and kind in ("config", "code", "script"):
        threshold = PASSWORD_SHARE * random_bits
        classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value))) + sum(
            (any(c.isdigit() for c in value), any(not c.isalnum() for c in value))
        )
        if bits >= threshold and classes >= 2:
            return (
                f"{where}; a {len(value)}-character {name} value, not a placeholder, template, "
                f"reference or known test value; entropy {bits:.1f} bits/char (threshold "
                f"{threshold:.1f} for a password)"
            ), True
    if len(value) < MIN_GENERATED_LENGTH:
        return None
    if name == "hex" and len(value) in (32, 40, 56, 64, 96, 128) and keyword in PASSWORD_WORDS:
        return None  # a digest of the password, not the password
    if name == "hex" and kind in ("docs", "test"):
        # Documentation and fixtures show what `secrets.token_hex()` prints; many vendors'
        # keys are hex, so in configuration and code it is still judged.
        return None
    if name == "lower-case alphanumeric" and not any(c.isdigit() for c in value):
        return None  # words run together
    share = ENTROPY_SHARE.get(kind, ENTROPY_SHARE["code"])
    threshold = share * random_bits
    if bits < threshold:
        return None
    return (
        f"{where}; {len(value)} characters of {name}; entropy {bits:.1f} bits/char, random "
        f"{name} of this length averages {random_bits:.1f}, threshold for a {kind} file "
        f"{threshold:.1f} ({share:.2f})"
    ), False


def find_generic(text: str, path: str = "") -> Iterator[GenericMatch]:
    """Secret-named assignments in ``text`` whose value is judged a secret."""
    kind = file_kind(path) if path else "code"
    if kind in ("lock", "i18n"):
        return
    seen: set[int] = set()
    line_start = 0
    line_end = -1
    line = ""
    for hit in KEYWORD_RE.finditer(text):
        if hit.start() > line_end:
            line_start = text.rfind("\n", 0, hit.start()) + 1
            found = text.find("\n", hit.start())
            line_end = len(text) if found < 0 else found
            line = text[line_start:line_end]
        begin, end = hit.start() - line_start, hit.end() - line_start
        while begin > 0 and line[begin - 1] in KEY_CHARS:
            begin -= 1
        while end < len(line) and line[end] in KEY_CHARS:
            end += 1
        if line_start + begin in seen:
            continue  # a key with two keywords (client_secret_token) is judged once
        seen.add(line_start + begin)
        key = line[begin:end].strip(".-")
        named = secret_keyword(key)
        if named is None:
            continue
        keyword, password = named
        if begin >= 1 and line[begin - 1] == "<":
            xml = XML_RE.match(line, begin - 1)
            if xml is None:
                continue
            value, offset = xml.group(2), xml.start(2)
        else:
            operator = OPERATOR_RE.match(line, end)
            if operator is None:
                continue
            parsed = _value_at(line, operator.end(), kind)
            if parsed is None:
                continue
            value, offset, _ = parsed
        judged = _judge(value, keyword, key, password, kind)
        if judged is not None:
            yield GenericMatch(value, line_start + offset, judged[1], judged[0])
