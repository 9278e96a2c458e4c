"""Python templates, second part: fake work, elisions, swallowed errors, syntax, refactors."""

from __future__ import annotations

import random

from generate import Sample, py_module, pyproject, sub, template

D = dict[str, str]
R = random.Random


def one_module(d: D, rng: R, name: str, body: str, imports: list[str], pad: tuple[int, int], deps: list[str] | None = None) -> dict[str, str]:
    return {
        "pyproject.toml": pyproject(d, deps or []),
        f"{d['pkg']}/__init__.py": "",
        f"{d['pkg']}/{name}.py": py_module(d, rng, body, imports, pad=rng.randint(*pad)),
    }


# --- fake-implementation --------------------------------------------------------------------

CHARGE_FAKES = [
    ("        # For now, simulate a successful charge until the gateway account is approved.",
     '        return {"status": "succeeded", "charge_id": f"ch_{«id»}", "amount": amount_cents}'),
    ("        # Mock response for development",
     '        return {"status": "paid", "id": "txn_0001", "amount": amount_cents, "currency": currency}'),
    ("        # placeholder: pretend the gateway accepted it",
     '        return {"ok": True, "reference": «id», "captured": amount_cents}'),
]

CHARGE_CLASS = '''

class «E»PaymentClient:
    """Talks to the «svc» gateway for «es»."""

    def __init__(self, api_key: str, base_url: str = "https://api.«svc».example.com/v2") -> None:
        if not api_key:
            raise ValueError("an API key is required")
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"}

    def charge(self, «id»: str, amount_cents: int, currency: str = "EUR") -> dict[str, Any]:
        """Charge the customer's card for this «e»."""
        if amount_cents <= 0:
            raise ValueError("amount must be positive")
        logger.info("charging %s: %d %s", «id», amount_cents, currency)
«CHARGE_BODY»

    def refund(self, charge_id: str) -> dict[str, Any]:
        """Refund a charge in full."""
        request = urllib.request.Request(
            f"{self.base_url}/charges/{charge_id}/refund", method="POST", headers=self._headers()
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return dict(json.loads(response.read()))
'''

REAL_CHARGE = '''        body = json.dumps({"reference": «id», "amount": amount_cents, "currency": currency}).encode()
        request = urllib.request.Request(
            f"{self.base_url}/charges", data=body, method="POST", headers=self._headers()
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return dict(json.loads(response.read()))'''


@template(3)
def fake_charge(d: D, rng: R, i: int) -> Sample:
    comment, ret = CHARGE_FAKES[i]
    charge = CHARGE_CLASS.replace("«CHARGE_BODY»", comment + "  # @@P\n" + ret + "  # @@P")
    body = "logger = logging.getLogger(__name__)\n\n«PAD»\n" + charge + "\n\n«PAD»\n"
    imports = ["json", "logging", "urllib.request", "typing:Any"]
    return Sample("fake-implementation", "python", one_module(d, rng, "payments", body, imports, (5, 20)))


@template(3)
def clean_real_charge(d: D, rng: R, i: int) -> Sample:
    charge = CHARGE_CLASS.replace("«CHARGE_BODY»", REAL_CHARGE)
    body = "logger = logging.getLogger(__name__)\n\n«PAD»\n" + charge + "\n\n«PAD»\n"
    imports = ["json", "logging", "urllib.request", "typing:Any"]
    return Sample("clean", "python", one_module(d, rng, "payments", body, imports, (5, 20)), look_alike="fake-implementation")


LOOKUP_FAKES = [
    ("lookup_tax_rate", "country: str", "float",
     "    # In a real implementation this would call the «svc» API for the current rate.",
     '    return {"DE": 0.19, "FR": 0.20, "NL": 0.21}.get(country.upper(), 0.2)'),
    ("geocode", "address: str", "tuple[float, float]",
     "    # would call the geocoding service here",
     "    return (52.5200, 13.4050)"),
    ("quote_«svc»", "weight_grams: int", "dict[str, Any]",
     "    # Hard-coded until the «svc» contract is signed",
     '    return {"price_cents": 499, "days": 2, "carrier": "standard"}'),
]


@template(3)
def fake_lookup(d: D, rng: R, i: int) -> Sample:
    name, params, ret_type, comment, ret = LOOKUP_FAKES[i]
    body = (
        "«PAD»\n\n"
        f"def {name}({params}) -> {ret_type}:\n"
        '    """Ask the «svc» service; used when a «e» is priced."""\n'
        f"{comment}  # @@P\n"
        f"{ret}  # @@P\n\n\n"
        f"def price_«e»(base: int, {params}) -> dict[str, Any]:\n"
        f"    extra = {name}({params.split(':')[0]})\n"
        '    return {"«amt»": base, "extra": extra}\n\n'
        "«PAD»\n"
    )
    return Sample("fake-implementation", "python", one_module(d, rng, "pricing", body, ["typing:Any"], (6, 20)))


@template(2)
def fake_log_only(d: D, rng: R, i: int) -> Sample:
    verb = ["sync_to_«svc»", "publish_«e»_event"][i]
    body = (
        "logger = logging.getLogger(__name__)\n\n«PAD»\n\n"
        "class «E»Exporter:\n"
        '    """Pushes finished «es» to the «svc» system."""\n\n'
        "    def __init__(self, endpoint: str, token: str) -> None:\n"
        "        self.endpoint = endpoint\n"
        "        self.token = token\n"
        "        self.sent = 0\n\n"
        "    def export(self, items: list[dict[str, Any]]) -> int:\n"
        "        count = 0\n"
        "        for item in items:\n"
        f"            if self.{verb}(item):\n"
        "                count += 1\n"
        "        self.sent += count\n"
        "        return count\n\n"
        f"    def {verb}(self, item: dict[str, Any]) -> bool:  # @@P\n"
        '        """Send one «e» to «svc»."""  # @@P\n'
        '        logger.info("sending «e» %s to %s", item.get("«id»"), self.endpoint)  # @@P\n'
        "        return True  # @@P\n\n"
        "«PAD»\n"
    )
    return Sample("fake-implementation", "python", one_module(d, rng, "exporter", body, ["logging", "typing:Any"], (6, 20)))


@template(2)
def fake_mock_class_in_app(d: D, rng: R, i: int) -> Sample:
    cls = ["MockSmsClient", "FakeStorageBackend"][i]
    method = ["send", "upload"][i]
    body = (
        "logger = logging.getLogger(__name__)\n\n«PAD»\n\n"
        f"class {cls}:  # @@P\n"
        f"    def {method}(self, target: str, payload: str) -> dict[str, str]:  # @@P\n"
        f'        return {{"id": "mock-1", "status": "queued", "target": target}}  # @@P\n\n\n'
        "def build_services(settings: dict[str, str]) -> dict[str, object]:\n"
        '    """Composition root of the «pkg» app."""\n'
        f"    client = {cls}()  # @@P\n"
        '    logger.info("services built for %s", settings.get("env", "prod"))\n'
        '    return {"client": client, "settings": settings}\n\n'
        "«PAD»\n"
    )
    return Sample("fake-implementation", "python", one_module(d, rng, "app", body, ["logging"], (4, 18)))


@template(3)
def clean_fake_in_tests(d: D, rng: R, i: int) -> Sample:
    files = one_module(
        d, rng, "payments",
        "logger = logging.getLogger(__name__)\n\n«PAD»\n" + CHARGE_CLASS.replace("«CHARGE_BODY»", REAL_CHARGE) + "\n\n"
        "def settle(client: «E»PaymentClient, «id»: str, amount_cents: int) -> str:\n"
        '    result = client.charge(«id», amount_cents)\n'
        '    if result.get("status") != "succeeded":\n'
        '        raise RuntimeError(f"charge for {«id»} was not accepted: {result}")\n'
        '    return str(result["charge_id"])\n\n«PAD»\n',
        ["json", "logging", "urllib.request", "typing:Any"], (4, 10),
    )
    pkg = d["pkg"]
    files["tests/__init__.py"] = ""
    files["tests/test_payments.py"] = sub(f'''"""Settlement logic, with the gateway replaced by a fake."""

from typing import Any

import pytest

from {pkg}.payments import «E»PaymentClient, settle


class FakeGateway(«E»PaymentClient):
    """Records charges instead of calling the network."""

    def __init__(self, status: str) -> None:
        super().__init__(api_key="test-key", base_url="http://127.0.0.1:9")
        self.status = status
        self.calls: list[tuple[str, int]] = []

    def charge(self, «id»: str, amount_cents: int, currency: str = "EUR") -> dict[str, Any]:
        self.calls.append((«id», amount_cents))
        return {{"status": self.status, "charge_id": "ch_test_1", "amount": amount_cents}}


def test_settle_returns_the_charge_id() -> None:
    gateway = FakeGateway("succeeded")
    assert settle(gateway, "A-1", 1250) == "ch_test_1"
    assert gateway.calls == [("A-1", 1250)]


def test_settle_refuses_a_declined_charge() -> None:
    with pytest.raises(RuntimeError, match="not accepted"):
        settle(FakeGateway("declined"), "A-2", 990)
''', d)
    files["pyproject.toml"] += '\n[project.optional-dependencies]\ntest = ["pytest>=8"]\n'
    return Sample("clean", "python", files, look_alike="fake-implementation")


@template(2)
def clean_fixture_data(d: D, rng: R, i: int) -> Sample:
    files = one_module(
        d, rng, "report",
        "«PAD»\n\n"
        "def total_«amt»(rows: list[dict[str, int]]) -> int:\n"
        '    return sum(row["«amt»"] for row in rows)\n\n«PAD»\n',
        [], (4, 10),
    )
    pkg = d["pkg"]
    files["tests/conftest.py"] = sub(f'''"""Shared test data: three «es» as the export produces them."""

import pytest


@pytest.fixture
def sample_rows() -> list[dict[str, int]]:
    # Hard-coded on purpose: the numbers are chosen so the totals are easy to check by hand.
    return [
        {{"«amt»": 100}},
        {{"«amt»": 250}},
        {{"«amt»": 0}},
    ]
''', d)
    files["tests/test_report.py"] = sub(f'''from {pkg}.report import total_«amt»


def test_total(sample_rows: list[dict[str, int]]) -> None:
    assert total_«amt»(sample_rows) == 350
''', d)
    files["pyproject.toml"] += '\n[project.optional-dependencies]\ntest = ["pytest>=8"]\n'
    return Sample("clean", "python", files, look_alike="fake-implementation")


@template(2)
def clean_null_object(d: D, rng: R, i: int) -> Sample:
    body = (
        "«PAD»\n\n"
        "class NullSpan:\n"
        '    """Stands in for a tracing span when tracing is off, so call sites need no checks."""\n\n'
        "    def __enter__(self) -> NullSpan:\n"
        "        return self\n\n"
        "    def __exit__(\n"
        "        self,\n"
        "        exc_type: type[BaseException] | None,\n"
        "        exc: BaseException | None,\n"
        "        tb: TracebackType | None,\n"
        "    ) -> None:\n"
        "        return None\n\n"
        "    def set_attribute(self, key: str, value: object) -> None:\n"
        '        """Tracing is off: attributes are dropped on purpose."""\n\n\n'
        "def span(name: str, enabled: bool) -> AbstractContextManager[object]:\n"
        "    if not enabled:\n"
        "        return NullSpan()\n"
        "    return _RecordingSpan(name)\n\n\n"
        "class _RecordingSpan:\n"
        "    def __init__(self, name: str) -> None:\n"
        "        self.name = name\n"
        "        self.attributes: dict[str, object] = {}\n\n"
        "    def __enter__(self) -> _RecordingSpan:\n"
        "        return self\n\n"
        "    def __exit__(self, *exc_info: object) -> None:\n"
        '        print(f"span {self.name} {self.attributes}")\n\n'
        "    def set_attribute(self, key: str, value: object) -> None:\n"
        "        self.attributes[key] = value\n\n«PAD»\n"
    )
    imports = ["types:TracebackType", "contextlib:AbstractContextManager"]
    return Sample("clean", "python", one_module(d, rng, "tracing", body, imports, (4, 18)), look_alike="fake-implementation")


# --- elided-code ----------------------------------------------------------------------------

HANDLER_TAILS = [
    "    # ... rest of the handlers",
    "    # add the remaining event types here",
    "    # etc. for the other events",
]


@template(3)
def elided_handler_map(d: D, rng: R, i: int) -> Sample:
    body = (
        "logger = logging.getLogger(__name__)\n\n«PAD»\n\n"
        "def on_created(event: dict[str, Any]) -> None:\n"
        '    logger.info("«e» %s created", event["«id»"])\n\n\n'
        "def on_updated(event: dict[str, Any]) -> None:\n"
        '    logger.info("«e» %s updated: %s", event["«id»"], sorted(event.get("changes", {})))\n\n\n'
        "def on_deleted(event: dict[str, Any]) -> None:\n"
        '    logger.warning("«e» %s deleted by %s", event["«id»"], event.get("actor", "?"))\n\n\n'
        "HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {\n"
        '    "«e».created": on_created,\n'
        '    "«e».updated": on_updated,\n'
        '    "«e».deleted": on_deleted,\n'
        f"{HANDLER_TAILS[i]}  # @@P\n"
        "}\n\n\n"
        "def dispatch(event: dict[str, Any]) -> None:\n"
        '    handler = HANDLERS.get(event["type"])\n'
        "    if handler is None:\n"
        '        raise KeyError(f"no handler for {event[\'type\']}")\n'
        "    handler(event)\n\n«PAD»\n"
    )
    imports = ["logging", "typing:Any", "collections.abc:Callable"]
    return Sample("elided-code", "python", one_module(d, rng, "events", body, imports, (6, 20)))


CHAIN_TAILS = [
    "    # similar for the other events",
    "    # handle the remaining statuses the same way",
    "    # (other transitions follow the same pattern)",
]


@template(3)
def elided_if_chain(d: D, rng: R, i: int) -> Sample:
    body = (
        "«PAD»\n\n"
        "def apply_event(item: dict[str, Any], event: str, actor: str) -> dict[str, Any]:\n"
        '    """Move a «e» through its workflow."""\n'
        "    history = list(item.get(\"history\", []))\n"
        '    if event == "submit":\n'
        '        if item["status"] != "draft":\n'
        '            raise ValueError("only drafts can be submitted")\n'
        '        item["status"] = "submitted"\n'
        '    elif event == "approve":\n'
        '        if actor == item.get("owner"):\n'
        '            raise PermissionError("owners cannot approve their own «e»")\n'
        '        item["status"] = "approved"\n'
        f"{CHAIN_TAILS[i]}  # @@P\n"
        '    history.append({"event": event, "actor": actor})\n'
        '    item["history"] = history\n'
        "    return item\n\n«PAD»\n"
    )
    return Sample("elided-code", "python", one_module(d, rng, "workflow", body, ["typing:Any"], (6, 20)))


@template(2)
def elided_body(d: D, rng: R, i: int) -> Sample:
    tail = [
        "        # ... same as export_html, but rendered with the PDF backend  # @@P\n        pass  # @@P\n",
        "        # existing implementation unchanged  # @@P\n        ...  # @@P\n",
    ][i]
    body = (
        "«PAD»\n\n"
        "class «E»Report:\n"
        "    def __init__(self, rows: list[dict[str, Any]], title: str) -> None:\n"
        "        self.rows = rows\n"
        "        self.title = title\n\n"
        "    def export_html(self) -> str:\n"
        '        cells = "".join(\n'
        '            f"<tr><td>{html.escape(str(row.get(\'«id»\')))}</td><td>{row.get(\'«amt»\', 0)}</td></tr>"\n'
        "            for row in self.rows\n"
        "        )\n"
        '        return f"<h1>{html.escape(self.title)}</h1><table>{cells}</table>"\n\n'
        "    def export_pdf(self, path: str) -> None:\n"
        f"{tail}\n"
        "    def export_csv(self) -> str:\n"
        '        lines = ["«id»,«amt»"]\n'
        '        lines += [f"{row.get(\'«id»\')},{row.get(\'«amt»\', 0)}" for row in self.rows]\n'
        '        return "\\n".join(lines) + "\\n"\n\n«PAD»\n'
    )
    return Sample("elided-code", "python", one_module(d, rng, "reports", body, ["html", "typing:Any"], (6, 20)))


@template(3)
def clean_protocol_stubs(d: D, rng: R, i: int) -> Sample:
    body = (
        "«PAD»\n\n"
        "class «E»Store(Protocol):\n"
        '    """What the service needs from storage; SQL and in-memory stores both provide it."""\n\n'
        "    def get(self, key: str) -> dict[str, Any] | None: ...\n\n"
        "    def put(self, key: str, value: dict[str, Any]) -> None: ...\n\n"
        "    def delete(self, key: str) -> bool: ...\n\n\n"
        "@overload\n"
        "def first(store: «E»Store, keys: list[str]) -> dict[str, Any] | None: ...\n"
        "@overload\n"
        "def first(store: «E»Store, keys: list[str], default: dict[str, Any]) -> dict[str, Any]: ...\n"
        "def first(\n"
        "    store: «E»Store, keys: list[str], default: dict[str, Any] | None = None\n"
        ") -> dict[str, Any] | None:\n"
        "    for key in keys:\n"
        "        found = store.get(key)\n"
        "        if found is not None:\n"
        "            return found\n"
        "    return default\n\n«PAD»\n"
    )
    return Sample("clean", "python", one_module(d, rng, "store", body, ["typing:Any", "typing:Protocol", "typing:overload"], (5, 20)), look_alike="elided-code")


@template(3)
def clean_abstract(d: D, rng: R, i: int) -> Sample:
    body = (
        "«PAD»\n\n"
        "class Renderer(ABC):\n"
        '    """Turns a list of «es» into one document format."""\n\n'
        "    @abstractmethod\n"
        "    def render(self, rows: list[dict[str, Any]]) -> str:\n"
        '        """Return the whole document."""\n\n'
        "    def content_type(self) -> str:\n"
        '        return "text/plain"\n\n\n'
        "class CsvRenderer(Renderer):\n"
        "    def render(self, rows: list[dict[str, Any]]) -> str:\n"
        '        out = ["«id»,«amt»"]\n'
        '        out += [f"{row[\'«id»\']},{row[\'«amt»\']}" for row in rows]\n'
        '        return "\\n".join(out) + "\\n"\n\n'
        "    def content_type(self) -> str:\n"
        '        return "text/csv"\n\n\n'
        "class MarkdownRenderer(Renderer):\n"
        "    def render(self, rows: list[dict[str, Any]]) -> str:\n"
        '        out = ["| «id» | «amt» |", "|---|---|"]\n'
        '        out += [f"| {row[\'«id»\']} | {row[\'«amt»\']} |" for row in rows]\n'
        '        return "\\n".join(out) + "\\n"\n\n«PAD»\n'
    )
    return Sample("clean", "python", one_module(d, rng, "render", body, ["abc:ABC", "abc:abstractmethod", "typing:Any"], (5, 20)), look_alike="elided-code")


@template(2)
def clean_complete_map(d: D, rng: R, i: int) -> Sample:
    body = (
        "logger = logging.getLogger(__name__)\n\n«PAD»\n\n"
        "def on_created(event: dict[str, Any]) -> None:\n"
        '    logger.info("«e» %s created", event["«id»"])\n\n\n'
        "def on_deleted(event: dict[str, Any]) -> None:\n"
        '    logger.warning("«e» %s deleted", event["«id»"])\n\n\n'
        "# The queue also carries other services' events; those are skipped below.\n"
        "HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {\n"
        '    "«e».created": on_created,\n'
        '    "«e».deleted": on_deleted,\n'
        "}\n\n\n"
        "def dispatch(event: dict[str, Any]) -> bool:\n"
        '    handler = HANDLERS.get(event["type"])\n'
        "    if handler is None:\n"
        '        logger.debug("skipping %s", event["type"])\n'
        "        return False\n"
        "    handler(event)\n"
        "    return True\n\n«PAD»\n"
    )
    imports = ["logging", "typing:Any", "collections.abc:Callable"]
    return Sample("clean", "python", one_module(d, rng, "events", body, imports, (6, 20)), look_alike="elided-code")


# --- swallowed-error ------------------------------------------------------------------------


@template(3)
def swallowed_pass(d: D, rng: R, i: int) -> Sample:
    exc = ["Exception", "Exception", "(OSError, ValueError)"][i]
    body = (
        "logger = logging.getLogger(__name__)\n\n«PAD»\n\n"
        "class «E»Snapshotter:\n"
        "    def __init__(self, directory: Path) -> None:\n"
        "        self.directory = directory\n\n"
        "    def save(self, items: dict[str, dict[str, Any]]) -> Path:\n"
        '        target = self.directory / "«es».json"\n'
        "        try:\n"
        '            target.write_text(json.dumps(items, sort_keys=True), encoding="utf-8")\n'
        f"        except {exc}:  # @@P\n"
        "            pass  # @@P\n"
        "        return target\n\n"
        "    def load(self) -> dict[str, dict[str, Any]]:\n"
        '        target = self.directory / "«es».json"\n'
        "        if not target.exists():\n"
        "            return {}\n"
        '        return dict(json.loads(target.read_text(encoding="utf-8")))\n\n«PAD»\n'
    )
    return Sample("swallowed-error", "python", one_module(d, rng, "snapshots", body, ["json", "logging", "pathlib:Path", "typing:Any"], (6, 20)))


@template(3)
def swallowed_continue(d: D, rng: R, i: int) -> Sample:
    body = (
        "logger = logging.getLogger(__name__)\n\n«PAD»\n\n"
        "def pull_remote_«es»(base_url: str, keys: list[str]) -> list[dict[str, Any]]:\n"
        '    """Fetch each «e» from the «svc» mirror."""\n'
        "    fetched = []\n"
        "    for key in keys:\n"
        "        try:\n"
        '            with urllib.request.urlopen(f"{base_url}/«es»/{key}", timeout=10) as response:\n'
        "                fetched.append(json.loads(response.read()))\n"
        "        except Exception:  # @@P\n"
        "            continue  # @@P\n"
        '    logger.info("pulled %d of %d «es»", len(fetched), len(keys))\n'
        "    return fetched\n\n«PAD»\n"
    )
    return Sample("swallowed-error", "python", one_module(d, rng, "mirror", body, ["json", "logging", "urllib.request", "typing:Any"], (6, 20)))


@template(2)
def clean_suppress(d: D, rng: R, i: int) -> Sample:
    body = (
        "«PAD»\n\n"
        "def clear_lock(directory: Path) -> None:\n"
        '    """Remove the import lock; another worker may have removed it already."""\n'
        "    with contextlib.suppress(FileNotFoundError):\n"
        '        (directory / "import.lock").unlink()\n\n«PAD»\n'
    )
    return Sample("clean", "python", one_module(d, rng, "locks", body, ["contextlib", "pathlib:Path"], (6, 20)), look_alike="swallowed-error")


@template(2)
def clean_keyerror_default(d: D, rng: R, i: int) -> Sample:
    body = (
        "«PAD»\n\n"
        "def «amt»_of(index: dict[str, dict[str, int]], key: str) -> int:\n"
        '    """Zero for a «e» the index has not seen yet, as the spec of the report asks."""\n'
        "    try:\n"
        '        return index[key]["«amt»"]\n'
        "    except KeyError:\n"
        "        return 0\n\n«PAD»\n"
    )
    return Sample("clean", "python", one_module(d, rng, "index", body, [], (6, 20)), look_alike="swallowed-error")


@template(2)
def clean_log_and_raise(d: D, rng: R, i: int) -> Sample:
    body = (
        "logger = logging.getLogger(__name__)\n\n«PAD»\n\n"
        "def pull_remote_«es»(base_url: str, keys: list[str]) -> list[dict[str, Any]]:\n"
        "    fetched = []\n"
        "    for key in keys:\n"
        "        try:\n"
        '            with urllib.request.urlopen(f"{base_url}/«es»/{key}", timeout=10) as response:\n'
        "                fetched.append(json.loads(response.read()))\n"
        "        except Exception:\n"
        '            logger.exception("could not fetch «e» %s", key)\n'
        "            raise\n"
        "    return fetched\n\n«PAD»\n"
    )
    return Sample("clean", "python", one_module(d, rng, "mirror", body, ["json", "logging", "urllib.request", "typing:Any"], (6, 20)), look_alike="swallowed-error")


# --- syntax-error ---------------------------------------------------------------------------

SYNTAX_BAD = [
    (
        "def merge_«es»(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> list[dict[str, Any]]  # @@P\n"
        '    seen = {row["«id»"] for row in left}\n'
        '    return left + [row for row in right if row["«id»"] not in seen]\n'
    ),
    (
        "def total_«amt»(rows: list[dict[str, Any]]) -> int:\n"
        '    total = sum(int(row.get("«amt»", 0)) for row in rows  # @@P\n'
        "    return total\n"
    ),
    (
        "def refresh_all(client: Any, keys: list[str]) -> list[Any]:\n"
        "    results = []\n"
        "    for key in keys:\n"
        "        results.append(await client.fetch(key))  # @@P\n"
        "    return results\n"
    ),
    (
        "def describe(row: dict[str, Any]) -> str:\n"
        '    if row.get("«amt»", 0) > 100:\n'
        '        label = "large"\n'
        '      label = label.upper()  # @@P\n'
        "    else:\n"
        '        label = "small"\n'
        '    return f"{row[\'«id»\']}: {label}"\n'
    ),
]

SYNTAX_GOOD = [
    (
        "def describe(event: dict[str, Any]) -> str:\n"
        "    match event:\n"
        '        case {"type": "created", "«id»": str(key)}:\n'
        '            return f"new «e» {key}"\n'
        '        case {"type": "deleted", "«id»": str(key), **rest} if rest.get("hard"):\n'
        '            return f"«e» {key} purged"\n'
        "        case {\"type\": kind}:\n"
        '            return f"other event {kind}"\n'
        "        case _:\n"
        '            return "malformed event"\n'
    ),
    (
        "def long_names(rows: list[dict[str, Any]], limit: int) -> list[str]:\n"
        '    return [name for row in rows if (name := str(row.get("«id»", ""))) and len(name) > limit]\n'
    ),
    (
        "async def refresh_all(client: Any, keys: list[str]) -> list[Any]:\n"
        "    results = [await client.fetch(key) for key in keys]\n"
        "    async with client.session() as session:\n"
        "        results += [item async for item in session.stream(keys)]\n"
        "    return results\n"
    ),
    (
        "def merge_«es»(\n"
        "    left: list[dict[str, Any]],\n"
        "    right: list[dict[str, Any]],\n"
        "    /,\n"
        "    *,\n"
        "    prefer_right: bool = False,\n"
        ") -> list[dict[str, Any]]:\n"
        '    merged = {row["«id»"]: row for row in (right if prefer_right else left)}\n'
        '    merged |= {row["«id»"]: row for row in (left if prefer_right else right) if row["«id»"] not in merged}\n'
        "    return [*merged.values()]\n"
    ),
]


@template(4)
def syntax_python(d: D, rng: R, i: int) -> Sample:
    body = "«PAD»\n\n" + SYNTAX_BAD[i] + "\n\n«PAD»\n"
    return Sample("syntax-error", "python", one_module(d, rng, "merge", body, ["typing:Any"], (8, 22)))


@template(4)
def clean_syntax_python(d: D, rng: R, i: int) -> Sample:
    body = "«PAD»\n\n" + SYNTAX_GOOD[i] + "\n\n«PAD»\n"
    return Sample("clean", "python", one_module(d, rng, "merge", body, ["typing:Any"], (8, 22)), look_alike="syntax-error")


# --- partial-refactor -----------------------------------------------------------------------

RENAMES = [("calculate_totals", "compute_totals"), ("read_config", "load_settings"), ("format_receipt", "render_receipt")]

PRICING = '''"""Prices and totals of «es»."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

VAT = Decimal("0.19")


def «NEW»(lines: list[dict[str, Any]]) -> dict[str, Decimal]:
    """Net, tax and gross of a list of lines (quantity × unit price)."""
    net = sum((Decimal(str(line["unit_price"])) * int(line["quantity"]) for line in lines), Decimal(0))
    tax = (net * VAT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"net": net, "tax": tax, "gross": net + tax}
«ALIAS»'''


def checkout(import_line: str, call: str) -> str:
    return (
        '"""Checkout of «es»."""\n\n'
        "from __future__ import annotations\n\n"
        "import logging\n"
        "from typing import Any\n\n"
        f"{import_line}\n\n"
        "logger = logging.getLogger(__name__)\n\n\n"
        "def checkout(«id»: str, lines: list[dict[str, Any]]) -> dict[str, Any]:\n"
        '    """Freeze the prices of a «e» and return what the customer pays."""\n'
        "    if not lines:\n"
        '        raise ValueError("nothing to check out")\n'
        f"    totals = {call}\n"
        '    logger.info("«e» %s: %s", «id», totals["gross"])\n'
        '    return {"«id»": «id», **{key: str(value) for key, value in totals.items()}}\n'
    )


@template(3)
def refactor_stale_import(d: D, rng: R, i: int) -> Sample:
    old, new = RENAMES[i]
    pkg = d["pkg"]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/pricing.py": sub(PRICING.replace("«NEW»", new).replace("«ALIAS»", ""), d),
        f"{pkg}/checkout.py": sub(checkout(f"from .pricing import {old}  # @@P", f"{old}(lines)"), d),
    }
    return Sample("partial-refactor", "python", files, note=f"{old} was renamed to {new} in pricing.py")


@template(3)
def refactor_stale_attribute(d: D, rng: R, i: int) -> Sample:
    old, new = RENAMES[i]
    pkg = d["pkg"]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/pricing.py": sub(PRICING.replace("«NEW»", new).replace("«ALIAS»", ""), d),
        f"{pkg}/checkout.py": sub(checkout("from . import pricing", f"pricing.{old}(lines)  # @@P"), d),
    }
    return Sample("partial-refactor", "python", files, note=f"{old} was renamed to {new} in pricing.py")


GATEWAY = '''"""Client of the «svc» service."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


class «E»Gateway:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def submit_«e»(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST one «e»; returns the service's record of it."""
        request = urllib.request.Request(
            f"{self.base_url}/«es»",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return dict(json.loads(response.read()))
'''


@template(2)
def refactor_stale_method(d: D, rng: R, i: int) -> Sample:
    old = ["send_«e»", "post_«e»"][i]
    pkg = d["pkg"]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/gateway.py": sub(GATEWAY, d),
        f"{pkg}/jobs.py": sub(
            '"""Background jobs."""\n\nfrom __future__ import annotations\n\nfrom typing import Any\n\nfrom .gateway import «E»Gateway\n\n\n'
            "def push_pending(base_url: str, pending: list[dict[str, Any]]) -> int:\n"
            "    gateway = «E»Gateway(base_url)\n"
            "    pushed = 0\n"
            "    for payload in pending:\n"
            f"        gateway.{old}(payload)  # @@P\n"
            "        pushed += 1\n"
            "    return pushed\n",
            d,
        ),
    }
    return Sample("partial-refactor", "python", files, note="method renamed to submit_<entity> in gateway.py")


@template(3)
def clean_refactor_alias(d: D, rng: R, i: int) -> Sample:
    old, new = RENAMES[i]
    pkg = d["pkg"]
    alias = f"\n\n# Old name, still imported by plugins written against 1.x.\n{old} = {new}\n"
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/pricing.py": sub(PRICING.replace("«NEW»", new).replace("«ALIAS»", alias), d),
        f"{pkg}/checkout.py": sub(checkout(f"from .pricing import {old}", f"{old}(lines)"), d),
    }
    return Sample("clean", "python", files, look_alike="partial-refactor")


@template(3)
def clean_refactor_done(d: D, rng: R, i: int) -> Sample:
    _, new = RENAMES[i]
    pkg = d["pkg"]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/pricing.py": sub(PRICING.replace("«NEW»", new).replace("«ALIAS»", ""), d),
        f"{pkg}/checkout.py": sub(checkout("from . import pricing", f"pricing.{new}(lines)"), d),
    }
    return Sample("clean", "python", files, look_alike="partial-refactor")


@template(2)
def clean_refactor_method(d: D, rng: R, i: int) -> Sample:
    pkg = d["pkg"]
    files = {
        "pyproject.toml": pyproject(d, []),
        f"{pkg}/__init__.py": "",
        f"{pkg}/gateway.py": sub(GATEWAY, d),
        f"{pkg}/jobs.py": sub(
            '"""Background jobs."""\n\nfrom __future__ import annotations\n\nfrom typing import Any\n\nfrom .gateway import «E»Gateway\n\n\n'
            "def push_pending(base_url: str, pending: list[dict[str, Any]]) -> int:\n"
            "    gateway = «E»Gateway(base_url)\n"
            "    pushed = 0\n"
            "    for payload in pending:\n"
            "        gateway.submit_«e»(payload)\n"
            "        pushed += 1\n"
            "    return pushed\n",
            d,
        ),
    }
    return Sample("clean", "python", files, look_alike="partial-refactor")
