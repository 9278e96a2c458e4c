"""Python templates of the independent corpus: positives and their clean look-alikes."""

from __future__ import annotations

import random

from generate import Sample, py_module, pyproject, sub, template

D = dict[str, str]
R = random.Random

# --- invented-import ------------------------------------------------------------------------

INVENTED_PACKAGES = [
    ("from httpx_backoff_transport import BackoffTransport", "BackoffTransport(retries=3)", "httpx.Client(transport={t}, timeout=10.0)"),
    ("from pydantic_strict_loader import load_strict", "load_strict", "{t}"),
    ("import structlog_context_vars as ctxvars", "ctxvars.bind_request", "{t}"),
    ("from sqlalchemy_repository_kit import AsyncRepository", "AsyncRepository", "{t}"),
    ("from click_yaml_defaults import yaml_defaults", "yaml_defaults", "{t}"),
    ("from redis_lock_manager import DistributedLock", "DistributedLock", "{t}"),
    ("from fastapi_problem_details import ProblemResponse", "ProblemResponse", "{t}"),
    ("import rich_table_export", "rich_table_export.to_markdown", "{t}"),
    ("from jinja2_markdown_filters import register_filters", "register_filters", "{t}"),
]


@template(9)
def invented_import(d: D, rng: R, i: int) -> Sample:
    imp, used, _ = INVENTED_PACKAGES[i]
    body = (
        imp + "  # @@P\n\n"
        "logger = logging.getLogger(__name__)\n\n"
        "«PAD»\n\n"
        "def build_«e»_pipeline(settings: dict[str, str]) -> dict[str, object]:\n"
        '    """Wire the pieces the «e» worker needs from its settings."""\n'
        f"    helper = {used}\n"
        '    logger.info("«e» pipeline ready with %s", type(helper).__name__)\n'
        '    return {"helper": helper, "base_url": settings.get("base_url", "http://localhost:8000")}\n\n'
        "«PAD»\n"
    )
    files = {
        "pyproject.toml": pyproject(d, ["httpx>=0.27", "pydantic>=2.6", "structlog>=24.1"]),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/pipeline.py": py_module(d, rng, body, ["logging"], pad=rng.randint(6, 20)),
    }
    return Sample("invented-import", "python", files)


@template(3)
def clean_import_fallback(d: D, rng: R, i: int) -> Sample:
    fast = ["orjson", "ujson", "simplejson"][i]
    body = (
        "try:\n"
        f"    import {fast} as _fastjson\n\n"
        "    HAVE_FAST_JSON = True\n"
        "except ImportError:  # the accelerated codec is optional\n"
        "    _fastjson = None\n"
        "    HAVE_FAST_JSON = False\n\n"
        "«PAD»\n\n"
        "def dumps(obj: object) -> str:\n"
        '    """Serialise with the fast codec when it is installed."""\n'
        "    if _fastjson is not None:\n"
        "        out = _fastjson.dumps(obj)\n"
        '        return out.decode() if isinstance(out, bytes) else str(out)\n'
        "    return json.dumps(obj, separators=(\",\", \":\"))\n\n"
        "«PAD»\n"
    )
    files = {
        "pyproject.toml": pyproject(d, ["httpx>=0.27"]) + f'\n[project.optional-dependencies]\nspeed = ["{fast}"]\n',
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/codec.py": py_module(d, rng, body, ["json"], pad=rng.randint(5, 18)),
    }
    return Sample("clean", "python", files, look_alike="invented-import")


@template(3)
def clean_type_checking_import(d: D, rng: R, i: int) -> Sample:
    stub = ["from mypy_boto3_s3 import S3Client", "from types_aiobotocore_sqs import SQSClient", "from _typeshed import SupportsRead"][i]
    name = stub.split()[-1]
    body = (
        "if TYPE_CHECKING:\n"
        f"    {stub}\n\n"
        "«PAD»\n\n"
        f"def describe_store(client: {name}, label: str) -> str:\n"
        '    """Human label of the storage backend for the «e» exporter."""\n'
        '    return f"{label} via {type(client).__name__}"\n\n'
        "«PAD»\n"
    )
    files = {
        "pyproject.toml": pyproject(d, ["httpx>=0.27"]),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/storage.py": py_module(d, rng, body, ["typing:TYPE_CHECKING"], pad=rng.randint(5, 18)),
    }
    return Sample("clean", "python", files, look_alike="invented-import")


@template(3)
def clean_declared_import(d: D, rng: R, i: int) -> Sample:
    dep, imp, use = [
        ("httpx>=0.27", "import httpx", "httpx.Client(base_url=base_url, timeout=10.0)"),
        ("pydantic>=2.6", "from pydantic import BaseModel", "BaseModel"),
        ("click>=8.1", "import click", "click.echo"),
    ][i]
    body = (
        imp + "\n\n"
        "«PAD»\n\n"
        "def make_client(base_url: str) -> object:\n"
        '    """The object the «e» sync job talks through."""\n'
        f"    return {use}\n\n"
        "«PAD»\n"
    )
    files = {
        "pyproject.toml": pyproject(d, [dep, "structlog>=24.1"]),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/client.py": py_module(d, rng, body, [], pad=rng.randint(5, 18)),
    }
    return Sample("clean", "python", files, look_alike="invented-import")


# --- invented-internal ----------------------------------------------------------------------

NOTIFY = '''"""Outgoing notifications for «pkg»."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

logger = logging.getLogger(__name__)


def send_email(host: str, sender: str, to: str, subject: str, body: str) -> None:
    """Send one plain-text message through the configured relay."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(host, timeout=10) as smtp:
        smtp.send_message(message)
    logger.info("mail sent to %s", to)


def render_subject(kind: str, reference: str) -> str:
    return f"[«pkg»] {kind}: {reference}"
'''

SERVICE_HEAD = '''from __future__ import annotations

import logging
from dataclasses import dataclass

'''


def service_body(import_line: str, call: str) -> str:
    return (
        '"""Use cases around «es»."""\n\n' + SERVICE_HEAD + import_line + "\n\n"
        "logger = logging.getLogger(__name__)\n\n\n"
        "@dataclass\n"
        "class «E»Service:\n"
        "    smtp_host: str\n"
        "    sender: str\n\n"
        "    def confirm(self, «id»: str, email: str) -> None:\n"
        '        """Tell the customer their «e» was accepted."""\n'
        '        subject = render_subject("confirmed", «id»)\n'
        f"        {call}\n"
        '        logger.info("«e» %s confirmed", «id»)\n\n'
        "    def cancel(self, «id»: str, email: str, reason: str) -> None:\n"
        '        subject = render_subject("cancelled", «id»)\n'
        '        send_email(self.smtp_host, self.sender, email, subject, reason)\n'
    )


@template(4)
def internal_missing_module(d: D, rng: R, i: int) -> Sample:
    mod, name = [("utils.retry", "with_backoff"), ("core.locks", "advisory_lock"), ("helpers.timing", "timed"), ("utils.ids", "new_ulid")][i]
    body = (
        f"from .{mod} import {name}  # @@P\n"
        "from .utils.text import normalise_space\n\n"
        "logger = logging.getLogger(__name__)\n\n"
        "«PAD»\n\n"
    )
    if name in ("with_backoff", "timed"):
        body += f"@{name}\n"
    body += (
        "def import_«es»(lines: list[str]) -> int:\n"
        '    """Import one «e» per non-empty line; returns how many were stored."""\n'
        "    stored = 0\n"
        "    for line in lines:\n"
        "        text = normalise_space(line)\n"
        "        if not text:\n"
        "            continue\n"
        '        logger.debug("importing %s", text)\n'
        "        stored += 1\n"
        "    return stored\n\n"
    )
    if name == "advisory_lock":
        body += "\ndef locked_import(lines: list[str]) -> int:\n    with advisory_lock(\"«es»-import\"):\n        return import_«es»(lines)\n"
    if name == "new_ulid":
        body += "\ndef new_reference() -> str:\n    return \"«e»-\" + new_ulid()\n"
    body += "\n«PAD»\n"
    pkg = d["pkg"]
    files = {
        "pyproject.toml": pyproject(d, ["httpx>=0.27"]),
        f"{pkg}/__init__.py": "",
        f"{pkg}/utils/__init__.py": "",
        f"{pkg}/utils/text.py": '"""Text helpers."""\n\n\ndef normalise_space(text: str) -> str:\n    return " ".join(text.split())\n',
        f"{pkg}/core/__init__.py": "",
        f"{pkg}/core/config.py": '"""Settings."""\n\nDEFAULT_BATCH = 100\n',
        f"{pkg}/importer.py": py_module(d, rng, body, ["logging"], pad=rng.randint(4, 20)),
    }
    return Sample("invented-internal", "python", files)


@template(4)
def internal_missing_name(d: D, rng: R, i: int) -> Sample:
    pkg = d["pkg"]
    name, call = [
        ("send_sms", "send_sms(email, subject)"),
        ("send_templated_email", 'send_templated_email(self.smtp_host, email, "confirmed.txt", {"id": «id»})'),
        ("notify_customer", "notify_customer(email, subject)"),
        ("queue_email", "queue_email(self.sender, email, subject)"),
    ][i]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/notifications.py": sub(NOTIFY, d),
        f"{pkg}/services.py": sub(
            service_body(f"from .notifications import render_subject, send_email, {name}  # @@P", call), d
        ),
    }
    return Sample("invented-internal", "python", files)


@template(4)
def internal_missing_absolute(d: D, rng: R, i: int) -> Sample:
    pkg = d["pkg"]
    mod, name = [("core.cache", "ttl_cache"), ("infra.metrics", "record_latency"), ("domain.rules", "validate_«e»"), ("adapters.storage", "BlobStore")][i]
    name = sub(name, d)
    body = (
        f"from {pkg}.{mod} import {name}  # @@P\n"
        f"from {pkg}.core.settings import Settings\n\n"
        "«PAD»\n\n"
        "def build(settings: Settings) -> dict[str, object]:\n"
        '    """Objects shared by the API handlers."""\n'
        f'    return {{"settings": settings, "{name.lower()}": {name}}}\n\n'
        "«PAD»\n"
    )
    files = {
        "pyproject.toml": pyproject(d, [], src_layout=True),
        f"src/{pkg}/__init__.py": "",
        f"src/{pkg}/core/__init__.py": "",
        f"src/{pkg}/core/settings.py": '"""Settings."""\n\nfrom dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass Settings:\n    database_url: str = "sqlite:///app.db"\n    debug: bool = False\n',
        f"src/{pkg}/wiring.py": py_module(d, rng, body, [], pad=rng.randint(4, 18)),
    }
    return Sample("invented-internal", "python", files)


@template(4)
def clean_internal_reexport(d: D, rng: R, i: int) -> Sample:
    pkg = d["pkg"]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/notifications/__init__.py": '"""Outgoing notifications."""\n\nfrom .mail import render_subject, send_email\nfrom .sms import send_sms\n\n__all__ = ["render_subject", "send_email", "send_sms"]\n',
        f"{pkg}/notifications/mail.py": sub(NOTIFY, d),
        f"{pkg}/notifications/sms.py": '"""Text messages through the operator\'s HTTP gateway."""\n\nfrom __future__ import annotations\n\nimport json\nimport urllib.request\n\nGATEWAY = "http://127.0.0.1:8025/sms"\n\n\ndef send_sms(number: str, text: str) -> int:\n    """Post one message; returns the gateway\'s HTTP status."""\n    data = json.dumps({"to": number, "text": text}).encode()\n    request = urllib.request.Request(GATEWAY, data=data, headers={"Content-Type": "application/json"})\n    with urllib.request.urlopen(request, timeout=10) as response:\n        return int(response.status)\n',
        f"{pkg}/services.py": sub(service_body("from .notifications import render_subject, send_email, send_sms", "send_sms(email, subject)"), d),
    }
    return Sample("clean", "python", files, look_alike="invented-internal")


@template(4)
def clean_internal_absolute(d: D, rng: R, i: int) -> Sample:
    pkg = d["pkg"]
    namespace = i % 2 == 1
    body = (
        f"from {pkg}.core.cache import ttl_cache\n"
        f"from {pkg}.core.settings import Settings\n\n"
        "«PAD»\n\n"
        "def build(settings: Settings) -> dict[str, object]:\n"
        '    """Objects shared by the API handlers."""\n'
        '    return {"settings": settings, "cache": ttl_cache(60)}\n\n'
        "«PAD»\n"
    )
    files = {
        "pyproject.toml": pyproject(d, [], src_layout=True),
        f"src/{pkg}/core/settings.py": '"""Settings."""\n\nfrom dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass Settings:\n    database_url: str = "sqlite:///app.db"\n    debug: bool = False\n',
        f"src/{pkg}/core/cache.py": '"""A small time-based cache."""\n\nfrom __future__ import annotations\n\nimport time\nfrom typing import Any\n\n\nclass ttl_cache:  # noqa: N801  (reads like a function at call sites)\n    def __init__(self, seconds: float) -> None:\n        self.seconds = seconds\n        self._items: dict[str, tuple[float, Any]] = {}\n\n    def get(self, key: str) -> Any:\n        hit = self._items.get(key)\n        if hit is None or hit[0] < time.monotonic():\n            return None\n        return hit[1]\n\n    def set(self, key: str, value: Any) -> None:\n        self._items[key] = (time.monotonic() + self.seconds, value)\n',
        f"src/{pkg}/wiring.py": py_module(d, rng, body, [], pad=rng.randint(4, 18)),
    }
    if not namespace:
        files[f"src/{pkg}/__init__.py"] = ""
        files[f"src/{pkg}/core/__init__.py"] = ""
    return Sample("clean", "python", files, look_alike="invented-internal", note="namespace package" if namespace else "")


@template(4)
def clean_internal_assigned_name(d: D, rng: R, i: int) -> Sample:
    pkg = d["pkg"]
    notify = sub(NOTIFY, d) + (
        "\n\ndef _send_via_relay(to: str, subject: str) -> None:\n"
        '    send_email("localhost", "noreply@example.org", to, subject, subject)\n\n\n'
        "def _send_to_log(to: str, subject: str) -> None:\n"
        '    logger.info("would mail %s: %s (DRY_RUN is set)", to, subject)\n\n\n'
        '# Operators set DRY_RUN on staging so no customer gets mail from it.\n'
        'notify_customer = _send_to_log if os.environ.get("DRY_RUN") else _send_via_relay\n'
    )
    notify = notify.replace("import logging\n", "import logging\nimport os\n", 1)
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/notifications.py": notify,
        f"{pkg}/services.py": sub(service_body("from .notifications import notify_customer, render_subject, send_email", "notify_customer(email, subject)"), d),
    }
    return Sample("clean", "python", files, look_alike="invented-internal")


# --- undefined-method -----------------------------------------------------------------------

SERVICE_CLASS = '''

class «E»Manager:
    """Keeps «es» in memory and in the journal file."""

    def __init__(self, journal: Path) -> None:
        self._journal = journal
        self._items: dict[str, dict[str, Any]] = {}
        self._log = logging.getLogger(__name__)

    def add(self, raw: dict[str, Any]) -> dict[str, Any]:
        item = «ADD_CALL»
        key = str(item["«id»"])
        if key in self._items:
            raise ValueError(f"«e» {key} already exists")
        self._items[key] = item
        self._append_journal("add", item)
        return item

    def get(self, key: str) -> dict[str, Any]:
        try:
            return self._items[key]
        except KeyError:
            raise LookupError(f"no «e» {key}") from None

    def remove(self, key: str) -> None:
        item = self.get(key)
        del self._items[key]
        self._append_journal("remove", item)

    def total(self) -> int:
        return sum(int(item.get("«amt»", 0)) for item in self._items.values())

    def _normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        item = {str(k).strip().lower(): v for k, v in raw.items()}
        if "«id»" not in item:
            raise ValueError("«id» is required")
        item["«amt»"] = int(item.get("«amt»", 0))
        return item

    def _append_journal(self, action: str, item: dict[str, Any]) -> None:
        line = json.dumps({"action": action, "item": item}, sort_keys=True, default=str)
        with self._journal.open("a", encoding="utf-8") as handle:
            handle.write(line + "\\n")
        self._log.debug("journal: %s %s", action, item.get("«id»"))
'''


@template(4)
def undefined_self_method(d: D, rng: R, i: int) -> Sample:
    call = ["self._normalize(raw)", "self._validate_and_normalise(raw)", "self._coerce(raw)", "self.normalise_payload(raw)"][i]
    body = "«PAD»\n" + SERVICE_CLASS.replace("«ADD_CALL»", call + "  # @@P") + "\n\n«PAD»\n"
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/manager.py": py_module(d, rng, body, ["json", "logging", "pathlib:Path", "typing:Any"], pad=rng.randint(6, 20)),
    }
    return Sample("undefined-method", "python", files)


@template(2)
def clean_method_defined_later(d: D, rng: R, i: int) -> Sample:
    body = "«PAD»\n" + SERVICE_CLASS.replace("«ADD_CALL»", "self._normalise(raw)") + "\n\n«PAD»\n"
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/manager.py": py_module(d, rng, body, ["json", "logging", "pathlib:Path", "typing:Any"], pad=rng.randint(6, 20)),
    }
    return Sample("clean", "python", files, look_alike="undefined-method")


REPO_BASE = '''"""Base class of the repositories."""

from __future__ import annotations

import sqlite3
from typing import Any


class Repository:
    table = ""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def fetch_one(self, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
        cursor = self.connection.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        names = [column[0] for column in cursor.description]
        return dict(zip(names, row, strict=True))

    def fetch_all(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
«EXTRA»'''

REPO_CHILD = '''"""Repository of «es»."""

from __future__ import annotations

from typing import Any

from .base import Repository«MIXIN_IMPORT»


class «E»Repository(«BASES»):
    table = "«es»"

    def by_id(self, key: str) -> dict[str, Any] | None:
        return self.fetch_one("SELECT * FROM «es» WHERE «id» = ?", (key,))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.fetch_all("SELECT * FROM «es» ORDER BY rowid DESC LIMIT ?", (limit,))
        «CALL»
        return rows

    def count(self) -> int:
        row = self.fetch_one("SELECT COUNT(*) AS n FROM «es»", ())
        return int(row["n"]) if row else 0
'''


@template(3)
def undefined_base_method(d: D, rng: R, i: int) -> Sample:
    call = ["self.emit_metric(\"«es».recent\", len(rows))", "self.log_query(\"recent\", limit)", "self.track(len(rows))"][i]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/repositories/__init__.py": "",
        f"{d['pkg']}/repositories/base.py": REPO_BASE.replace("«EXTRA»", ""),
        f"{d['pkg']}/repositories/{d['es']}.py": sub(
            REPO_CHILD.replace("«CALL»", call + "  # @@P").replace("«MIXIN_IMPORT»", "").replace("«BASES»", "Repository"), d
        ),
    }
    return Sample("undefined-method", "python", files)


@template(3)
def clean_base_method(d: D, rng: R, i: int) -> Sample:
    extra = '''
    def emit_metric(self, name: str, value: int) -> None:
        """Counters go to the log; the exporter scrapes them from there."""
        print(f"metric {name}={value}")
'''
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/repositories/__init__.py": "",
        f"{d['pkg']}/repositories/base.py": REPO_BASE.replace("«EXTRA»", extra),
        f"{d['pkg']}/repositories/{d['es']}.py": sub(
            REPO_CHILD.replace("«CALL»", 'self.emit_metric("«es».recent", len(rows))').replace("«MIXIN_IMPORT»", "").replace("«BASES»", "Repository"), d
        ),
    }
    return Sample("clean", "python", files, look_alike="undefined-method")


@template(3)
def clean_mixin_method(d: D, rng: R, i: int) -> Sample:
    extra = '''

class MetricsMixin:
    """Adds counters to any repository."""

    counters: dict[str, int] = {}

    def emit_metric(self, name: str, value: int) -> None:
        self.counters[name] = self.counters.get(name, 0) + value
'''
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/repositories/__init__.py": "",
        f"{d['pkg']}/repositories/base.py": REPO_BASE.replace("«EXTRA»", extra),
        f"{d['pkg']}/repositories/{d['es']}.py": sub(
            REPO_CHILD.replace("«CALL»", 'self.emit_metric("«es».recent", len(rows))')
            .replace("from .base import Repository«MIXIN_IMPORT»", "from .base import MetricsMixin, Repository")
            .replace("«BASES»", "MetricsMixin, Repository"),
            d,
        ),
    }
    return Sample("clean", "python", files, look_alike="undefined-method")


@template(3)
def undefined_classmethod(d: D, rng: R, i: int) -> Sample:
    other = ["from_row", "parse", "from_json"][i]
    body = (
        "«PAD»\n\n"
        "@dataclass(frozen=True)\n"
        "class «E»View:\n"
        '    """What the API returns for one «e»."""\n\n'
        "    «id»: str\n"
        "    «amt»: int\n"
        "    label: str\n\n"
        "    @classmethod\n"
        "    def from_mapping(cls, raw: dict[str, Any]) -> «E»View:\n"
        '        return cls(«id»=str(raw["«id»"]), «amt»=int(raw["«amt»"]), label=str(raw.get("label", "")))\n\n'
        "    @classmethod\n"
        "    def many(cls, rows: list[dict[str, Any]]) -> list[«E»View]:\n"
        f"        return [cls.{other}(row) for row in rows]  # @@P\n\n"
        "    def as_dict(self) -> dict[str, Any]:\n"
        '        return {"«id»": self.«id», "«amt»": self.«amt», "label": self.label}\n\n'
        "«PAD»\n"
    )
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/views.py": py_module(d, rng, body, ["dataclasses:dataclass", "typing:Any"], pad=rng.randint(6, 20)),
    }
    return Sample("undefined-method", "python", files)


@template(2)
def clean_getattr_delegate(d: D, rng: R, i: int) -> Sample:
    body = (
        "«PAD»\n\n"
        "class Logged«E»Client:\n"
        '    """Wraps a client object and logs every call made through it."""\n\n'
        "    def __init__(self, inner: Any) -> None:\n"
        "        self._inner = inner\n\n"
        "    def __getattr__(self, name: str) -> Any:\n"
        "        target = getattr(self._inner, name)\n"
        "        if not callable(target):\n"
        "            return target\n\n"
        "        def wrapper(*args: Any, **kwargs: Any) -> Any:\n"
        '            logging.getLogger(__name__).debug("calling %s", name)\n'
        "            return target(*args, **kwargs)\n\n"
        "        return wrapper\n\n"
        "    def refresh_all(self) -> int:\n"
        "        return len(self.list_«es»())\n\n"
        "«PAD»\n"
    )
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/logged.py": py_module(d, rng, body, ["logging", "typing:Any"], pad=rng.randint(5, 18)),
    }
    return Sample("clean", "python", files, look_alike="undefined-method")


# --- invented-attribute ---------------------------------------------------------------------

BAD_ATTRS = [
    (["os"], "value = os.path.joinpath(base, name)", "value = os.path.join(base, name)"),
    (["re"], "value = re.matchall(r\"[A-Z]{3}-\\d+\", text)", "value = re.findall(r\"[A-Z]{3}-\\d+\", text)"),
    (["shutil"], "value = shutil.copy_tree(base, name)", "value = shutil.copytree(base, name)"),
    (["uuid"], "value = uuid.uuid4_hex()", "value = uuid.uuid4().hex"),
    (["asyncio"], "value = asyncio.run_in_thread(len, text)", "value = asyncio.to_thread(len, text)"),
    (["statistics"], "value = statistics.average([len(base), len(name)])", "value = statistics.mean([len(base), len(name)])"),
    (["json"], "value = json.load_path(base)", "value = json.loads(text)"),
    (["requests"], "value = requests.get_json(base, timeout=10)", "value = requests.get(base, timeout=10).json()"),
    (["httpx"], "value = httpx.fetch(base, timeout=10.0)", "value = httpx.get(base, timeout=10.0)"),
    (["hashlib"], "value = hashlib.sha256_hexdigest(text.encode())", "value = hashlib.sha256(text.encode()).hexdigest()"),
]


def attr_body(line: str, marker: bool) -> str:
    return (
        "«PAD»\n\n"
        "def resolve_«e»_reference(base: str, name: str, text: str) -> str:\n"
        '    """Find the «e» reference mentioned in a message body."""\n'
        '    if not name:\n'
        '        raise ValueError("name is required")\n'
        f"    {line}{'  # @@P' if marker else ''}\n"
        '    logger.debug("resolved %s", name)\n'
        "    return f\"{name}:{value}\"\n\n"
        "«PAD»\n"
    )


@template(10)
def invented_attribute(d: D, rng: R, i: int) -> Sample:
    mods, bad, _ = BAD_ATTRS[i]
    deps = ["requests>=2.31"] if "requests" in mods else ["httpx>=0.27"] if "httpx" in mods else []
    files = {
        "pyproject.toml": pyproject(d, deps),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/references.py": py_module(d, rng, "logger = logging.getLogger(__name__)\n\n" + attr_body(bad, True), ["logging", *mods], pad=rng.randint(5, 20)),
    }
    return Sample("invented-attribute", "python", files)


@template(6)
def clean_real_attribute(d: D, rng: R, i: int) -> Sample:
    mods, _, good = BAD_ATTRS[[0, 1, 2, 3, 5, 9][i]]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/references.py": py_module(d, rng, "logger = logging.getLogger(__name__)\n\n" + attr_body(good, False), ["logging", *mods], pad=rng.randint(5, 20)),
    }
    return Sample("clean", "python", files, look_alike="invented-attribute")


PLATFORM = [
    (["os", "sys", "subprocess"], '''def open_report(path: str) -> None:
    """Open the exported report with the desktop's default application."""
    if sys.platform == "win32":
        os.startfile(path)
    elif sys.platform == "darwin":
        subprocess.run(["open", path], check=True)
    else:
        subprocess.run(["xdg-open", path], check=True)
'''),
    (["sys"], '''def runtime_label() -> str:
    """Shown in the About dialog."""
    if hasattr(sys, "pypy_version_info"):
        major, minor, micro = sys.pypy_version_info[:3]
        return f"PyPy {major}.{minor}.{micro}"
    return "CPython " + ".".join(str(part) for part in sys.version_info[:3])
'''),
    (["os", "sys"], '''def free_memory_bytes() -> int:
    """Free physical memory, for the «e» import's batch size."""
    if sys.platform.startswith("linux"):
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return 512 * 1024 * 1024
'''),
    (["os", "sys", "subprocess"], '''def drop_privileges(uid: int) -> None:
    """The «e» agent starts as root to bind its port, then runs as a plain user."""
    if sys.platform != "win32" and os.getuid() == 0:
        os.setgroups([])
        os.setuid(uid)
        subprocess.run(["id"], check=False)
'''),
]


@template(4)
def clean_platform_attribute(d: D, rng: R, i: int) -> Sample:
    mods, code = PLATFORM[i]
    body = "«PAD»\n\n" + code + "\n\n«PAD»\n"
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/platform_support.py": py_module(d, rng, body, mods, pad=rng.randint(4, 18)),
    }
    return Sample("clean", "python", files, look_alike="invented-attribute")
