"""Fake work that poses as real, elided code, and the intentional code that looks like them."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.validation import Check, Finding, Severity, validate_path, validate_snippet

TD = "TO" + "DO"
NIE = "NotImplemented" + "Error"


def findings(code: str, filename: str | None = None) -> list[Finding]:
    report = validate_snippet(code, "python", filename=filename, checks=[Check.PLACEHOLDERS])
    return report.findings


def blocking(code: str, filename: str | None = None) -> list[tuple[str, int]]:
    """(rule, line) of the findings that fail a run with the default ``--fail-on medium``."""
    return [
        (f.rule, f.line) for f in findings(code, filename) if f.severity.at_least(Severity.MEDIUM)
    ]


def rules(code: str, filename: str | None = None) -> set[str]:
    return {rule for rule, _ in blocking(code, filename)}


# --- Fake implementations (issue 17, item 2) ------------------------------------------------

SIMULATED_CHARGE = '''\
import logging
import uuid

logger = logging.getLogger(__name__)


def charge_card(token: str, cents: int) -> dict:
    """Charge the card behind ``token``."""
    if cents <= 0:
        raise ValueError("amount must be positive")
    logger.info("charging %s", cents)
    # Simulate the payment; in production this would call the payment provider
    return {"id": f"ch_{uuid.uuid4().hex[:12]}", "status": "succeeded", "amount": cents}
'''

MOCK_DATA = """\
def sales_by_region(session, year: int) -> dict[str, float]:
    # For now, return mock data until the regions table exists
    return {"north": 120.5, "south": 98.0}
"""

REAL_IMPLEMENTATION_WOULD = """\
class WeatherClient:
    def __init__(self, key: str) -> None:
        self.key = key

    def current(self, city: str) -> dict[str, object]:
        # In a real implementation this would call the weather API with self.key.
        return {"city": city, "celsius": 21.0}
"""

WOULD_CALL = """\
def send_sms(number: str, text: str) -> dict[str, str]:
    to = number.replace(" ", "")
    # This would call the SMS gateway
    return {"sid": "SM0001", "status": "queued", "to": to}
"""

HARDCODED_FOR_NOW = """\
from decimal import Decimal


def exchange_rate(base: str, quote: str) -> Decimal:
    if base == quote:
        return Decimal("1")
    # Using a fixed rate for demo purposes
    return Decimal("1.08")
"""


@pytest.mark.parametrize(
    ("code", "line"),
    [
        (SIMULATED_CHARGE, 12),
        (MOCK_DATA, 2),
        (REAL_IMPLEMENTATION_WOULD, 6),
        (WOULD_CALL, 3),
        (HARDCODED_FOR_NOW, 7),
    ],
    ids=["simulated-charge", "mock-data", "real-implementation-would", "would-call", "demo-rate"],
)
def test_canned_results_posing_as_real_work_are_blocking(code: str, line: int) -> None:
    assert ("placeholder.fake-implementation", line) in blocking(code)


LOG_ONLY = """\
import logging

logger = logging.getLogger(__name__)


class Indexer:
    def __init__(self, index: str) -> None:
        self.index = index

    def delete_document(self, doc_id: int) -> bool:
        logger.info("deleted %s from %s", doc_id, self.index)
        return True

    def index_documents(self, docs: list[dict]) -> int:
        prepared = [dict(d, indexed=True) for d in docs]
        logger.info("indexed %d documents into %s", len(prepared), self.index)
        return len(prepared)
"""


def test_functions_that_only_log_and_report_success_are_blocking() -> None:
    found = blocking(LOG_ONLY)
    assert ("placeholder.fake-implementation", 10) in found
    assert ("placeholder.fake-implementation", 14) in found


@pytest.mark.parametrize(
    "code",
    [
        # A dry run only says what it would do: the real branch does the work.
        "import logging\nimport shutil\nlog = logging.getLogger()\n\n"
        "def remove(path, dry_run=False):\n    if dry_run:\n"
        "        log.info('would remove %s', path)\n        return True\n"
        "    shutil.rmtree(path)\n    log.info('removed %s', path)\n    return True\n",
        # A callback whose job is logging returns nothing.
        "import logging\nlog = logging.getLogger()\n\n"
        "def on_progress(done, total):\n    log.debug('%d/%d', done, total)\n",
        # A computation that logs its result.
        "import logging\nlog = logging.getLogger()\n\n"
        "def score(a, b):\n    value = a * 0.7 + b * 0.3\n    log.debug('score %s', value)\n"
        "    return value\n",
        # "For now" in a comment that explains a real decision.
        "def article(slug, accept):\n"
        "    # JSON only for now: XML clients were retired in v2 and get a 406.\n"
        "    if 'json' not in accept:\n        raise ValueError('406')\n"
        "    return render(slug)\n",
        # Simulation is the feature.
        "import numpy as np\n\ndef simulate(n, seed=0):\n"
        '    """Simulate n random walks."""\n'
        "    rng = np.random.default_rng(seed)\n    return rng.standard_normal(n).cumsum()\n",
        # Built-in data returned on purpose, with a comment that says why.
        "def builtin_roles() -> list[str]:\n"
        "    # The three built-in roles; teams define more in the database.\n"
        '    return ["viewer", "editor", "admin"]\n',
        # Lines of the standard library that read like admissions but describe real code.
        "import warnings\n\n\nclass Element:\n    def __bool__(self):\n"
        "        warnings.warn('deprecated', FutureWarning)\n"
        "        # emulate old behaviour, for now\n        return len(self._children) != 0\n",
        "def external_entity_ref(self, context):\n    if not self.ok:\n"
        "        # is returning 0 right for now?\n        return 0\n    return 1\n",
        "def pax_header(name):\n    # We use a hardcoded name like star does\n"
        "    info = {'name': '././@PaxHeader'}\n    return info\n",
    ],
    ids=[
        "dry-run",
        "log-callback",
        "logged-computation",
        "for-now-decision",
        "simulation",
        "roles",
        "for-now-comparison",
        "question",
        "hardcoded-by-design",
    ],
)
def test_real_code_that_looks_like_fake_work_is_quiet(code: str) -> None:
    assert blocking(code) == []


MOCK_CLASS_WIRED = """\
import time


class RedisCache:
    def __init__(self, url: str) -> None:
        self.url = url


class MockCache:
    def __init__(self) -> None:
        self.data: dict[str, tuple[float, object]] = {}

    def get(self, key: str) -> object:
        return self.data.get(key, (0.0, None))[1]


def make_cache(url: str | None) -> object:
    return RedisCache(url) if url else MockCache()
"""


def test_a_mock_class_wired_into_application_code_is_high() -> None:
    found = [
        (f.rule, f.severity, f.line)
        for f in findings(MOCK_CLASS_WIRED, filename="app/cache.py")
        if f.rule == "placeholder.test-double"
    ]
    assert found == [("placeholder.test-double", Severity.HIGH, 9)]


@pytest.mark.parametrize(
    "filename",
    [
        "tests/conftest.py",
        "tests/fixtures/cache.py",
        "app/tests/test_cache.py",
        "examples/cache.py",
    ],
)
def test_test_doubles_in_tests_and_examples_do_not_block(filename: str) -> None:
    assert blocking(MOCK_CLASS_WIRED, filename=filename) == []


def test_a_library_adapter_named_mock_is_quiet() -> None:
    code = (
        "class MockRequest:\n"
        '    """Wraps a Request to mimic the interface the cookie jar expects."""\n\n'
        "    def __init__(self, request):\n        self._r = request\n\n"
        "    def get_host(self):\n        return self._r.host\n\n\n"
        "def cookie_header(jar, request):\n    r = MockRequest(request)\n"
        "    jar.add_cookie_header(r)\n    return r.get_host()\n"
    )
    assert blocking(code, filename="lib/cookies.py") == []


def test_fake_work_in_tests_is_reported_low_not_dropped() -> None:
    found = [
        (f.rule, f.severity)
        for f in findings(MOCK_DATA, filename="tests/test_report.py")
        if f.rule == "placeholder.fake-implementation"
    ]
    assert found == [("placeholder.fake-implementation", Severity.LOW)]


# --- Elided code, phrased freely (issue 17, item 4) -----------------------------------------

ELIDED_IN_COLLECTION = """\
HANDLERS = {
    "user.created": on_user_created,
    "order.paid": on_order_paid,
    # Add more handlers as needed
}
"""

ELIDED_AT_BLOCK_END = """\
def register_routes(app):
    app.include_router(health.router)
    app.include_router(auth.router, prefix="/auth")
    # Register remaining routers below
"""

ELIDED_BEFORE_RETURN = """\
def parse(kind, data):
    if kind == "ping":
        return ("ping", {})
    elif kind == "subscribe":
        return ("subscribe", data)
    # similar for the other message types
    raise ValueError(kind)
"""

ELIDED_BODY = """\
def handle(event):
    if event.type == "key":
        return event.key
    if event.type == "joystick":
        # handle joystick buttons the same way
        pass
    return None
"""

ELIDED_CLASS_END = """\
class OrderService:
    def __init__(self, repo):
        self.repo = repo

    def get(self, order_id):
        return self.repo.get(order_id)

    # ... rest of the methods unchanged
"""

ELIDED_SIMILAR_FUNCTION = """\
def import_products(path):
    return [line.split(",") for line in open(path)]


def import_customers(path):
    rows = []
    # Similar implementation to import_products
    return rows
"""


@pytest.mark.parametrize(
    ("code", "line"),
    [
        (ELIDED_IN_COLLECTION, 4),
        (ELIDED_AT_BLOCK_END, 4),
        (ELIDED_BEFORE_RETURN, 6),
        (ELIDED_BODY, 5),
        (ELIDED_CLASS_END, 8),
        (ELIDED_SIMILAR_FUNCTION, 7),
    ],
    ids=["collection", "block-end", "before-return", "body", "class-end", "similar-function"],
)
def test_comments_standing_in_for_elided_code_are_blocking(code: str, line: int) -> None:
    assert ("placeholder.elided-code", line) in blocking(code)


@pytest.mark.parametrize(
    "code",
    [
        # Why-comments at the end of a block, of a collection, or in place of a body.
        "def route(kind):\n    if kind == 'paid':\n        return 1\n"
        "    # Stripe sends dozens of event types; everything else is acknowledged\n"
        "    # so that Stripe does not retry it.\n    return None\n",
        "TRANSITIONS = {\n    'new': {'paid'},\n    'paid': {'shipped'},\n"
        "    # Cancelled and refunded are terminal.\n}\n",
        "__all__ = [\n    'Client',\n    'Error',\n"
        "    # Keep this list sorted within each group.\n]\n",
        "class StdoutWriter(StreamWriter):\n    def close(self):\n"
        "        # Closing sys.stdout would break later prints in the same process.\n"
        "        pass\n",
        "import os\n\ndef remove(paths):\n    for p in paths:\n        try:\n"
        "            os.unlink(p)\n        except FileNotFoundError:\n"
        "            # Another worker removed it first, which is what we want.\n"
        "            pass\n",
        "def refactor(fixers, node):\n    for fixer in fixers:\n        if fixer.done:\n"
        "            # do not apply the same fixer again\n            continue\n"
        "        fixer.apply(node)\n",
        "def transfer(session, entry):\n    session.add(entry)\n    session.flush()\n"
        "    # The caller commits, so a transfer can join a larger unit of work.\n"
        "    return entry\n",
        # Prose that happens to end with the words "the rest of the code".
        "def mount(before, after):\n"
        "    # Be sure we were not asked for both. It is a good idea to keep this check to\n"
        "    # protect assumptions made in\n    # the rest of the code.\n"
        "    if before is not None and after is not None:\n        raise ValueError('both')\n",
    ],
    ids=[
        "explained-default",
        "terminal-states",
        "sorted-list",
        "closing-stdout",
        "race",
        "do-not",
        "caller-commits",
        "prose",
    ],
)
def test_comments_that_explain_are_not_elided_code(code: str) -> None:
    assert blocking(code) == []


# --- Intentional code the issue lists as flagged wrongly ------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "import click\n\n@click.group()\ndef cli():\n    pass\n",
        'import click\n\n@click.group()\ndef cli() -> None:\n    """Manage deployments."""\n',
        "import click\n\n@click.group()\ndef cli():\n    pass\n\n@cli.group()\ndef db():\n"
        '    """Database commands."""\n',
        "import typer\n\napp = typer.Typer()\n\n@app.callback()\ndef main() -> None:\n    pass\n",
        'import typer\n\napp = typer.Typer()\n\n@app.callback()\ndef main():\n    """Tools."""\n',
    ],
    ids=["click-pass", "click-docstring", "nested-group", "typer-pass", "typer-docstring"],
)
def test_cli_groups_and_callbacks_with_empty_bodies_are_quiet(code: str) -> None:
    assert blocking(code) == []


@pytest.mark.parametrize(
    "code",
    [
        "class Lock:\n    def __enter__(self):\n        return self\n\n"
        "    def __exit__(self, *exc):\n        pass\n",
        "class Stream:\n    def write(self, text):\n        self.buf.append(text)\n\n"
        "    def close(self):\n        pass\n\n    def flush(self):\n        pass\n",
        "import io\n\nclass Wrapper(io.TextIOWrapper):\n    def close(self):\n"
        '        """The underlying stream stays open."""\n',
        "class NullFile:\n    def write(self, text):\n        pass\n\n"
        "    def writelines(self, lines):\n        pass\n",
        "class Transport:\n    def handle_request(self, request):\n"
        f"        raise {NIE}()\n\n    def close(self):\n        pass\n",
        "class Endpoint(HTTPEndpoint):\n    async def on_receive(self, ws, data):\n"
        '        """Override to handle an incoming message."""\n',
        "class Job:\n    def on_start(self) -> None:\n"
        '        """Called before run; override in subclasses."""\n',
        "import logging\n\nclass Discard(logging.Handler):\n    def emit(self, record):\n"
        "        pass\n",
        "import ast\n\nclass V(ast.NodeVisitor):\n    def visit_Lambda(self, node):\n"
        "        # A lambda binds nothing at module level.\n        pass\n",
        'def noop(*args, **kwargs):\n    """Default callback: ignores its arguments."""\n',
    ],
    ids=[
        "exit",
        "close-flush",
        "override-close",
        "null-object",
        "base-transport",
        "override-hook",
        "documented-hook",
        "handler-emit",
        "visitor",
        "noop",
    ],
)
def test_deliberate_no_op_methods_are_quiet(code: str) -> None:
    assert blocking(code) == []


def test_an_undocumented_empty_method_of_a_plain_class_still_blocks() -> None:
    code = (
        "class ProjectRepository:\n    def __init__(self, session):\n"
        "        self.session = session\n\n    async def archive(self, project_id):\n"
        "        pass\n"
    )
    assert ("placeholder.stub-body", 5) in blocking(code)


def test_stub_files_abstract_methods_protocols_and_overloads_are_quiet(tmp_path: Path) -> None:
    (tmp_path / "speedups.pyi").write_text(
        "class Tokenizer:\n    def __init__(self, pattern: str, *, flags: int = ...) -> None: ...\n"
        "    def tokenize(self, text: str) -> list[str]: ...\n\ndef escape(text: str) -> str: ...\n"
    )
    (tmp_path / "kinds.py").write_text(
        "import abc\nfrom typing import Protocol, overload\n\n\n"
        "class Plugin(abc.ABC):\n    @abc.abstractmethod\n    def run(self) -> None:\n"
        "        pass\n\n    @property\n    @abc.abstractmethod\n"
        "    def version(self) -> str: ...\n\n\n"
        "class Clock(Protocol):\n    def now(self) -> float:\n"
        '        """Seconds since the epoch."""\n\n\n'
        "@overload\ndef parse(v: str) -> int: ...\n@overload\ndef parse(v: bytes) -> int: ...\n"
        "def parse(v):\n    return int(v)\n"
    )
    report = validate_path(tmp_path, checks=[Check.PLACEHOLDERS])
    assert [f for f in report.findings if f.severity.at_least(Severity.MEDIUM)] == []


def test_a_todo_inside_a_string_or_in_a_test_about_todos_is_quiet() -> None:
    in_string = f'MESSAGE = "{TD}: nothing left"\nPATTERN = r"#\\s*{TD}"\n'
    assert findings(in_string) == []
    test_about_markers = (
        "def test_scanner_finds_markers(tmp_path):\n"
        f"    # {TD} markers in comments are listed with their line\n"
        f"    (tmp_path / 'm.py').write_text('# {TD}: x')\n"
        "    assert scan(tmp_path / 'm.py')\n"
    )
    assert blocking(test_about_markers, filename="tests/test_scanner.py") == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # A best-effort single operation.
        ("def close(s):\n    try:\n        s.detach()\n    except Exception:\n        pass\n", []),
        # A block of real work whose every failure disappears.
        (
            "def sync(a, b):\n    try:\n        rows = a.fetch()\n        b.write(rows)\n"
            "        a.ack(rows)\n    except Exception:\n        pass\n",
            [("placeholder.swallowed-error", 6)],
        ),
    ],
    ids=["best-effort", "block"],
)
def test_swallowing_every_error_blocks_only_around_real_work(
    code: str, expected: list[tuple[str, int]]
) -> None:
    assert blocking(code) == expected


def test_elided_code_in_a_test_is_down_ranked_not_dropped() -> None:
    found = [
        (f.rule, f.severity)
        for f in findings(ELIDED_AT_BLOCK_END, filename="tests/test_routes.py")
        if f.rule == "placeholder.elided-code"
    ]
    assert found == [("placeholder.elided-code", Severity.LOW)]


@pytest.mark.parametrize(
    "code",
    [
        # Signatures for the type checker; the interpreter runs the other branch.
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    def parse_date(value: str) -> int: ...\nelse:\n    from dates import parse_date\n",
        "import sys\nfrom typing import TYPE_CHECKING\n\nif sys.version_info >= (3, 11) and "
        "TYPE_CHECKING:\n    def get(url: str) -> bytes: ...\n",
        # A hook specification: the decorator gives the empty function its meaning.
        "import pluggy\n\nhookspec = pluggy.HookspecMarker('app')\n\n\n@hookspec\n"
        'def app_startup(config):\n    """Called once the configuration is loaded."""\n',
        # A typed declaration the module rebinds to the implementation.
        "def and_(*clauses):  # type: ignore[empty-body]\n    ...\n\n\nand_ = _and_impl\n",
        # A fallback callback defined where it is needed.
        "def compile(source, log_function=None):\n    if log_function is None:\n\n"
        "        def log_function(x):\n            pass\n\n    log_function(source)\n",
    ],
    ids=["type-checking", "version-and-type-checking", "hookspec", "rebound", "fallback"],
)
def test_declarations_that_are_empty_on_purpose_are_quiet(code: str) -> None:
    assert blocking(code) == []


def test_a_swallowed_error_that_turns_a_result_into_none_blocks() -> None:
    code = (
        "import heapq\n\n\ndef k_smallest(values: list[int], k: int) -> list[int]:\n"
        "    try:\n        return heapq.nsmallest(k, values)\n    except Exception:\n"
        "        pass\n"
    )
    assert blocking(code) == [("placeholder.swallowed-error", 7)]


# --- Stand-ins explained in the body's own words --------------------------------------------

EXCUSED_CHARGE = '''\
import logging
import uuid

log = logging.getLogger(__name__)


def settle(order, card_token: str) -> dict[str, str]:
    """Settle the order against the customer's card."""
    # The acquirer integration is scheduled for the next milestone. Every settlement
    # goes through so the checkout flow can be exercised from start to finish.
    log.info("settling %s with card %s", order.number, card_token[-4:])
    order.state = "settled"
    return {"status": "succeeded", "reference": f"st_{uuid.uuid4().hex[:16]}"}
'''

EXCUSED_LOOKUP = '''\
import ipaddress


class RegionLookup:
    """Maps addresses to sales regions."""

    def region(self, address: str) -> str:
        ipaddress.ip_address(address)
        # Everything counts as EMEA traffic until the region database is licensed;
        # per-region numbers mean nothing for the moment.
        return "EMEA"
'''

EXCUSED_BATCH = '''\
from dataclasses import dataclass


@dataclass
class Quote:
    symbol: str
    price: float


class QuoteClient:
    def quote(self, symbol: str) -> Quote:
        return Quote(symbol, 0.0)

    def quotes_all(self) -> list[Quote]:
        """Every symbol's quote in one call."""
        # The bulk endpoint is not live on the exchange side yet; a couple of plausible
        # quotes keep the overview page populated while the rollout runs.
        return [Quote("ACME", 12.5), Quote("INITECH", 7.25)]
'''


@pytest.mark.parametrize(
    ("code", "line"), [(EXCUSED_CHARGE, 13), (EXCUSED_LOOKUP, 11), (EXCUSED_BATCH, 18)]
)
def test_made_up_answers_explained_in_any_words_are_blocking(code: str, line: int) -> None:
    assert blocking(code) == [("placeholder.fake-implementation", line)]


@pytest.mark.parametrize(
    "code",
    [
        # A constant answer explained for good: the platform really has one answer.
        """\
class Console:
    def encoding(self) -> str:
        # Windows consoles report a code page that lies about what they can print;
        # every modern terminal we support renders UTF-8 correctly, so we use that.
        return "utf-8"
""",
        # Arguments used for the answer.
        """\
def greeting(name: str, formal: bool) -> str:
    # Formal greetings use the surname only; informal ones the full name. Both
    # are fixed phrases that marketing signed off on.
    return {"formal": f"Dear {name}", "informal": f"Hi {name}"}["formal" if formal else "informal"]
""",
        # Real work before the answer.
        """\
import shutil


def archive(path: str, target: str) -> dict[str, str]:
    shutil.copy(path, target)
    # The copy either worked or raised; callers only need the status field, and the
    # dashboard shows it as a green tick without further details being needed.
    return {"status": "archived"}
""",
        # A neutral answer, not made-up data.
        """\
def discount(customer, basket) -> int:
    # Discounts are granted at the till by staff, never online; the web shop keeps
    # the hook so that the checkout layout matches the one in the stores.
    return 0
""",
        # A short remark, not an explanation.
        """\
def unit(reading) -> str:
    # always Celsius
    return "C"
""",
    ],
)
def test_constant_answers_that_are_meant_are_quiet(code: str) -> None:
    assert blocking(code) == []


def test_a_made_up_answer_in_a_test_module_is_down_ranked() -> None:
    found = findings(EXCUSED_CHARGE, "tests/test_settle.py")
    assert [f.severity for f in found if f.rule == "placeholder.fake-implementation"] == [
        Severity.LOW
    ]


SUPPRESSED_BOOKING = '''\
import contextlib
import sqlite3


def book(conn: sqlite3.Connection, number: str, cents: int) -> None:
    """Book the amount into the ledger."""
    with contextlib.suppress(Exception):
        conn.execute("INSERT INTO ledger VALUES (?, ?)", (number, cents))
        conn.commit()


def forget(path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def post_refund(conn: sqlite3.Connection, number: str) -> None:
    with contextlib.suppress(BaseException):
        conn.execute("DELETE FROM ledger WHERE number = ?", (number,))


def read_cached(path) -> str:
    with contextlib.suppress(Exception):
        return path.read_text()
    return ""


class Session:
    def close(self, conn: sqlite3.Connection) -> None:
        with contextlib.suppress(Exception):
            conn.commit()
'''


def test_suppressing_every_error_around_storing_or_sending_blocks() -> None:
    # Reading with a fallback, a narrow suppress and a closing method stay quiet.
    assert blocking(SUPPRESSED_BOOKING) == [
        ("placeholder.swallowed-error", 7),
        ("placeholder.swallowed-error", 18),
    ]


PARTIAL_RESULTS = '''\
class Client:
    def quote(self, symbol: str) -> float:
        return 1.0

    def quotes(self, symbols: list[str]) -> list[float]:
        """Quotes for several symbols, in the order given."""
        found = []
        for symbol in symbols:
            try:
                found.append(self.quote(symbol))
            except Exception:
                pass
        return found

    def warm(self, symbols: list[str]) -> int:
        seen = []
        for symbol in symbols:
            try:
                seen.append(self.quote(symbol))
            except KeyError:
                pass
        return len(seen)

    def best_effort_prices(self, symbols: list[str]) -> dict[str, float]:
        prices = {}
        for symbol in symbols:
            try:
                prices[symbol] = self.quote(symbol)
            except Exception:
                prices[symbol] = float("nan")
        return prices
'''


def test_a_loop_that_drops_failed_items_from_its_result_blocks() -> None:
    # A narrow exception and a failure marked in the result stay quiet.
    assert blocking(PARTIAL_RESULTS) == [("placeholder.swallowed-error", 11)]
