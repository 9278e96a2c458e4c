"""Writes the independent corpus: samples/<id>/ and labels.json (run once; the output is committed).

The samples are templates filled with one of several business domains, padded with ordinary,
correct helper code so that positives are long files where the problem is one spot. A line that
ends with the marker comment `@@P` is a problem line: the marker is removed and the 1-based range
of marked lines becomes the label.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"[ \t]*(?:#|//)[ \t]*@@P[ \t]*$")

DOMAINS: list[dict[str, str]] = [
    {"E": "Order", "e": "order", "es": "orders", "pkg": "shopfront", "id": "order_id", "amt": "total_cents", "svc": "payments"},
    {"E": "Invoice", "e": "invoice", "es": "invoices", "pkg": "billing", "id": "invoice_id", "amt": "amount_cents", "svc": "tax"},
    {"E": "Reading", "e": "reading", "es": "readings", "pkg": "telemetry", "id": "sensor_id", "amt": "value_milli", "svc": "ingest"},
    {"E": "Ticket", "e": "ticket", "es": "tickets", "pkg": "helpdesk", "id": "ticket_id", "amt": "priority", "svc": "mailer"},
    {"E": "Shipment", "e": "shipment", "es": "shipments", "pkg": "logistics", "id": "tracking_no", "amt": "weight_grams", "svc": "carrier"},
    {"E": "Appointment", "e": "appointment", "es": "appointments", "pkg": "clinic", "id": "appointment_id", "amt": "duration_min", "svc": "calendar"},
    {"E": "Loan", "e": "loan", "es": "loans", "pkg": "librarian", "id": "loan_id", "amt": "days", "svc": "catalogue"},
    {"E": "Transfer", "e": "transfer", "es": "transfers", "pkg": "ledger", "id": "transfer_id", "amt": "amount_cents", "svc": "bank"},
    {"E": "Article", "e": "article", "es": "articles", "pkg": "newsroom", "id": "slug", "amt": "word_count", "svc": "search"},
    {"E": "Reservation", "e": "reservation", "es": "reservations", "pkg": "booking", "id": "reservation_id", "amt": "nights", "svc": "pms"},
    {"E": "Track", "e": "track", "es": "tracks", "pkg": "jukebox", "id": "track_id", "amt": "duration_ms", "svc": "lyrics"},
    {"E": "Vehicle", "e": "vehicle", "es": "vehicles", "pkg": "fleetops", "id": "vin", "amt": "mileage_km", "svc": "telematics"},
    {"E": "Employee", "e": "employee", "es": "employees", "pkg": "staffing", "id": "employee_id", "amt": "salary_cents", "svc": "payroll"},
    {"E": "Registration", "e": "registration", "es": "registrations", "pkg": "eventhub", "id": "registration_id", "amt": "seats", "svc": "badges"},
]


def sub(text: str, d: dict[str, str]) -> str:
    for key, value in d.items():
        text = text.replace("«" + key + "»", value)
    left = re.search(r"«(?!PAD»)", text)
    if left:
        raise ValueError("unfilled placeholder: " + text[left.start() : left.start() + 20])
    return text


# --- ordinary, correct helper code used to make files long --------------------------------------
# Each block: (imports, code). Imports are "module" or "module:name".

PY_BLOCKS: list[tuple[list[str], str]] = [
    (
        ["dataclasses:dataclass", "dataclasses:field", "datetime:datetime", "datetime:timezone", "typing:Any"],
        '''@dataclass
class «E»Row:
    """A «e» as stored in the «pkg» database."""

    «id»: str
    «amt»: int
    status: str = "new"
    tags: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def to_dict(self) -> dict[str, Any]:
        return {
            "«id»": self.«id»,
            "«amt»": self.«amt»,
            "status": self.status,
            "tags": list(self.tags),
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> «E»Row:
        created = raw.get("created_at")
        return cls(
            «id»=str(raw["«id»"]),
            «amt»=int(raw.get("«amt»", 0)),
            status=str(raw.get("status", "new")),
            tags=[str(tag) for tag in raw.get("tags", [])],
            created_at=datetime.fromisoformat(created) if created else datetime.now(timezone.utc),
        )
''',
    ),
    (
        ["re", "datetime:timedelta"],
        '''_WINDOW_RE = re.compile(r"(\\d+)([mhd])")


def parse_window(spec: str) -> timedelta:
    """Parse '15m', '2h' or '7d' into a timedelta."""
    match = _WINDOW_RE.fullmatch(spec.strip())
    if match is None:
        raise ValueError(f"bad window {spec!r}: expected a number followed by m, h or d")
    amount = int(match.group(1))
    unit = match.group(2)
    if unit == "m":
        return timedelta(minutes=amount)
    if unit == "h":
        return timedelta(hours=amount)
    return timedelta(days=amount)
''',
    ),
    (
        ["typing:TypeVar", "collections.abc:Iterator", "collections.abc:Sequence"],
        '''_T = TypeVar("_T")


def in_batches(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    """Yield consecutive slices of at most `size` items (the bulk API takes 100 at a time)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
''',
    ),
    (
        ["collections.abc:Mapping", "typing:Any"],
        '''_REQUIRED_FIELDS = ("«id»", "«amt»")


def check_required(payload: Mapping[str, Any]) -> None:
    """Reject a «e» payload before it reaches the database."""
    missing = [name for name in _REQUIRED_FIELDS if name not in payload]
    if missing:
        raise ValueError("missing field(s): " + ", ".join(missing))
    value = payload["«amt»"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("«amt» must be a non-negative integer")
''',
    ),
    (
        [],
        '''def format_amount(value: int, unit: str = "") -> str:
    """Group thousands with thin spaces, as the reports print them."""
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,}".replace(",", " ")
    return f"{sign}{digits} {unit}".rstrip()
''',
    ),
    (
        ["collections:OrderedDict", "typing:Generic", "typing:TypeVar"],
        '''_K = TypeVar("_K")
_V = TypeVar("_V")


class BoundedCache(Generic[_K, _V]):
    """Least-recently-used mapping with a fixed number of entries."""

    def __init__(self, capacity: int = 256) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._data: OrderedDict[_K, _V] = OrderedDict()

    def get(self, key: _K) -> _V | None:
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: _K, value: _V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self._capacity:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)
''',
    ),
    (
        ["re", "unicodedata"],
        '''_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 60) -> str:
    """ASCII slug for URLs and file names."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_title.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"
''',
    ),
    (
        ["time", "typing:TypeVar", "collections.abc:Callable", "logging"],
        '''_R = TypeVar("_R")
_retry_log = logging.getLogger(__name__ + ".retry")


def call_with_retries(func: Callable[[], _R], attempts: int = 3, delay: float = 0.2) -> _R:
    """Retry transient network failures with a linear back-off."""
    last_error: Exception | None = None
    for attempt in range(1, attempts + 1):
        try:
            return func()
        except (ConnectionError, TimeoutError) as exc:
            last_error = exc
            _retry_log.warning("attempt %d/%d failed: %s", attempt, attempts, exc)
            time.sleep(delay * attempt)
    raise RuntimeError(f"gave up after {attempts} attempts") from last_error
''',
    ),
    (
        ["csv", "io", "collections.abc:Iterable", "collections.abc:Mapping", "typing:Any"],
        '''def rows_to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> str:
    """CSV text of the given columns, header first; missing values are empty cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue()
''',
    ),
    (
        ["statistics", "collections.abc:Sequence"],
        '''def summarize(values: Sequence[float]) -> dict[str, float]:
    """Count, mean, median and spread for the dashboard tiles."""
    if not values:
        return {"count": 0.0, "mean": 0.0, "median": 0.0, "stdev": 0.0}
    return {
        "count": float(len(values)),
        "mean": statistics.fmean(values),
        "median": float(statistics.median(values)),
        "stdev": statistics.pstdev(values) if len(values) > 1 else 0.0,
    }
''',
    ),
    (
        ["enum"],
        '''class Status(enum.Enum):
    NEW = "new"
    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"

    def can_become(self, other: Status) -> bool:
        allowed = {
            Status.NEW: {Status.ACTIVE, Status.CANCELLED},
            Status.ACTIVE: {Status.DONE, Status.CANCELLED},
            Status.DONE: set(),
            Status.CANCELLED: set(),
        }
        return other in allowed[self]
''',
    ),
    (
        ["json", "os", "tempfile", "pathlib:Path", "typing:Any"],
        '''def write_json_atomic(path: Path, data: Any) -> None:
    """Write through a temporary file so readers never see half a document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\\n")
        os.replace(tmp_name, path)
    except BaseException:
        os.unlink(tmp_name)
        raise
''',
    ),
    (
        ["typing:Any"],
        '''def paginate(items: list[Any], page: int, per_page: int = 20) -> dict[str, Any]:
    """One page of results plus the numbers a client needs to ask for the next."""
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page start at 1")
    total = len(items)
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": (total + per_page - 1) // per_page,
    }
''',
    ),
    (
        ["hashlib", "json", "typing:Any"],
        '''def etag_for(document: Any) -> str:
    """Stable ETag of a JSON-serialisable document (key order does not matter)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'
''',
    ),
    (
        ["os"],
        '''def env_int(name: str, default: int, minimum: int = 0) -> int:
    """Integer setting from the environment, with a readable error when malformed."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value
''',
    ),
    (
        ["datetime:date", "datetime:timedelta"],
        '''def business_days_between(start: date, end: date) -> int:
    """Weekdays from start (inclusive) to end (exclusive); holidays are not known here."""
    if end < start:
        return -business_days_between(end, start)
    days = 0
    current = start
    while current < end:
        if current.weekday() < 5:
            days += 1
        current += timedelta(days=1)
    return days
''',
    ),
    (
        ["time", "collections:deque"],
        """class RateLimiter:
    \"\"\"Sliding-window limit of calls per period, for the outgoing «svc» requests.\"\"\"

    def __init__(self, max_calls: int, period: float) -> None:
        if max_calls < 1 or period <= 0:
            raise ValueError("max_calls must be >= 1 and period > 0")
        self.max_calls = max_calls
        self.period = period
        self._calls: deque[float] = deque()

    def try_acquire(self) -> bool:
        now = time.monotonic()
        while self._calls and now - self._calls[0] >= self.period:
            self._calls.popleft()
        if len(self._calls) >= self.max_calls:
            return False
        self._calls.append(now)
        return True

    def wait_time(self) -> float:
        if len(self._calls) < self.max_calls:
            return 0.0
        return max(0.0, self.period - (time.monotonic() - self._calls[0]))
""",
    ),
    (
        ["collections:defaultdict", "collections.abc:Callable", "typing:Any", "logging"],
        """_bus_log = logging.getLogger(__name__ + ".bus")


class EventBus:
    \"\"\"In-process publish/subscribe for «e» events; handlers run in subscription order.\"\"\"

    def __init__(self) -> None:
        self._handlers: defaultdict[str, list[Callable[[dict[str, Any]], None]]] = defaultdict(list)

    def subscribe(self, topic: str, handler: Callable[[dict[str, Any]], None]) -> None:
        self._handlers[topic].append(handler)

    def publish(self, topic: str, payload: dict[str, Any]) -> int:
        delivered = 0
        for handler in list(self._handlers.get(topic, [])):
            handler(payload)
            delivered += 1
        _bus_log.debug("%s delivered to %d handler(s)", topic, delivered)
        return delivered

    def topics(self) -> list[str]:
        return sorted(self._handlers)
""",
    ),
    (
        ["tomllib", "dataclasses:dataclass", "pathlib:Path"],
        """@dataclass(frozen=True)
class FileSettings:
    \"\"\"The [«pkg»] table of the deployment's settings file.\"\"\"

    database_url: str
    workers: int = 4
    debug: bool = False


def read_settings(path: Path) -> FileSettings:
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    table = document.get("«pkg»")
    if not isinstance(table, dict):
        raise ValueError(f"{path}: missing [«pkg»] table")
    if "database_url" not in table:
        raise ValueError(f"{path}: [«pkg»] needs database_url")
    return FileSettings(
        database_url=str(table["database_url"]),
        workers=int(table.get("workers", 4)),
        debug=bool(table.get("debug", False)),
    )
""",
    ),
    (
        ["sqlite3", "json", "typing:Any"],
        """class KeyValueStore:
    \"\"\"Small persistent map on SQLite, for the «e» sync cursor and similar state.\"\"\"

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.commit()

    def get(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        self._db.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()
""",
    ),
    (
        [],
        """def render_table(headers: list[str], rows: list[list[str]]) -> str:
    \"\"\"Plain-text table with columns padded to their widest cell.\"\"\"
    widths = [len(h) for h in headers]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, expected {len(headers)}")
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return "\\n".join(lines)
""",
    ),
    (
        ["decimal:Decimal", "decimal:ROUND_DOWN"],
        """def allocate(total: Decimal, weights: list[int]) -> list[Decimal]:
    \"\"\"Split an amount by weights; the cents lost to rounding go to the first shares.\"\"\"
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    cent = Decimal("0.01")
    shares = [(total * w / sum(weights)).quantize(cent, rounding=ROUND_DOWN) for w in weights]
    remainder = total - sum(shares)
    index = 0
    while remainder > 0:
        shares[index % len(shares)] += cent
        remainder -= cent
        index += 1
    return shares
""",
    ),
]


def render_imports(names: set[str]) -> str:
    plain = sorted(n for n in names if ":" not in n)
    froms: dict[str, set[str]] = {}
    for n in names:
        if ":" in n:
            mod, name = n.split(":")
            froms.setdefault(mod, set()).add(name)
    lines = [f"import {m}" for m in plain]
    lines += [f"from {m} import {', '.join(sorted(v))}" for m, v in sorted(froms.items())]
    return "\n".join(lines)


def py_module(
    d: dict[str, str],
    rng: random.Random,
    body: str,
    imports: list[str],
    pad: int = 0,
    doc: str = "",
) -> str:
    """A Python module: docstring, imports, padding blocks around «PAD» markers in body."""
    blocks = rng.sample(PY_BLOCKS, k=min(pad, len(PY_BLOCKS)))
    names = set(imports)
    for block_imports, _ in blocks:
        names.update(block_imports)
    body = sub(body, d)
    parts = body.split("«PAD»")
    per_slot = len(blocks) // max(1, len(parts) - 1) if len(parts) > 1 else 0
    out = parts[0]
    index = 0
    for slot, rest in enumerate(parts[1:]):
        take = per_slot if slot < len(parts) - 2 else len(blocks) - index
        chunk = "\n\n".join(sub(code, d) for _, code in blocks[index : index + take])
        index += take
        out += ("\n" + chunk + "\n\n" if chunk else "") + rest
    header = '"""' + sub(doc or "«E» handling for «pkg».", d) + '"""\n\nfrom __future__ import annotations\n\n'
    if names:
        header += render_imports(names) + "\n"
    text = header + out
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.rstrip() + "\n"


def pyproject(d: dict[str, str], deps: list[str], src_layout: bool = False) -> str:
    dep_lines = "".join(f'    "{x}",\n' for x in deps)
    text = (
        "[project]\n"
        f'name = "{d["pkg"]}"\n'
        'version = "0.3.0"\n'
        'requires-python = ">=3.11"\n'
        f"dependencies = [\n{dep_lines}]\n"
    )
    if src_layout:
        text += '\n[tool.setuptools.packages.find]\nwhere = ["src"]\n'
    return text


def package_json(d: dict[str, str], deps: dict[str, str], ts: bool = False, module: bool = True) -> str:
    data: dict[str, object] = {
        "name": d["pkg"],
        "version": "1.4.0",
        "private": True,
        "main": "dist/index.js" if ts else "src/index.js",
        "scripts": {"build": "tsc -p ."} if ts else {"start": "node src/index.js"},
        "dependencies": deps,
    }
    if module:
        data["type"] = "module"
    if ts:
        data["devDependencies"] = {"typescript": "^5.6.3", "@types/node": "^22.10.0"}
    return json.dumps(data, indent=2) + "\n"


TSCONFIG = json.dumps(
    {
        "compilerOptions": {
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": True,
            "outDir": "dist",
            "rootDir": "src",
        },
        "include": ["src"],
    },
    indent=2,
) + "\n"


def go_mod(d: dict[str, str]) -> str:
    return f"module example.com/{d['pkg']}\n\ngo 1.21\n"


@dataclass
class Sample:
    kind: str
    language: str
    files: dict[str, str]
    look_alike: str = ""
    note: str = ""
    sid: str = ""
    problem: tuple[str, int, int] | None = None
    extra: dict[str, object] = field(default_factory=dict)


Template = Callable[[dict[str, str], random.Random, int], Sample]
TEMPLATES: list[tuple[str, Template, int]] = []


def template(count: int) -> Callable[[Template], Template]:
    def register(func: Template) -> Template:
        TEMPLATES.append((func.__name__, func, count))
        return func

    return register


def finish(sample: Sample) -> Sample:
    """Strip the markers and record the labelled range."""
    found: list[tuple[str, int]] = []
    for path, text in list(sample.files.items()):
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if "@@P" in line:
                found.append((path, number))
                lines[number - 1] = MARK.sub("", line)
                if "@@P" in lines[number - 1]:
                    raise ValueError(f"marker not at line end in {path}:{number}")
        sample.files[path] = "\n".join(lines)
    if sample.kind == "clean":
        if found:
            raise ValueError("clean sample with a marker")
        return sample
    files = {p for p, _ in found}
    if len(files) != 1:
        raise ValueError(f"positive needs markers in exactly one file, got {files}")
    numbers = [n for _, n in found]
    sample.problem = (found[0][0], min(numbers), max(numbers))
    return sample


def main() -> int:
    out = HERE / "samples"
    if out.exists() and "--force" not in sys.argv:
        print("samples/ exists; the corpus is written once (use --force to rewrite)", file=sys.stderr)
        return 1
    import templates_other  # noqa: F401  (registers templates)
    import templates_py  # noqa: F401
    import templates_py2  # noqa: F401

    shutil.rmtree(out, ignore_errors=True)
    labels = []
    counters: dict[str, int] = {}
    domain_cycle = 0
    for name, func, count in TEMPLATES:
        for i in range(count):
            d = DOMAINS[(domain_cycle * 5) % len(DOMAINS)]
            domain_cycle += 1
            rng = random.Random(f"{name}-{i}")
            sample = finish(func(d, rng, i))
            prefix = {"python": "py", "javascript": "js", "typescript": "ts", "go": "go"}[sample.language]
            key = f"{prefix}-{sample.kind}"
            counters[key] = counters.get(key, 0) + 1
            sample.sid = f"{key}-{counters[key]:02d}"
            for path, text in sample.files.items():
                target = out / sample.sid / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            label: dict[str, object] = {"id": sample.sid, "kind": sample.kind, "language": sample.language}
            if sample.problem is not None:
                label["file"], start, end = sample.problem
                label["lines"] = [start, end]
            else:
                label["looks_like"] = sample.look_alike
            if sample.note:
                label["note"] = sample.note
            labels.append(label)
    (HERE / "labels.json").write_text(json.dumps(labels, indent=1) + "\n", encoding="utf-8")
    positives = sum(1 for x in labels if x["kind"] != "clean")
    print(f"{len(labels)} samples, {positives} positives, {len(labels) - positives} clean")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.modules.setdefault("generate", sys.modules[__name__])
    raise SystemExit(main())
