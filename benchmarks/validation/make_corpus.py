# ruff: noqa: E501 - sample programs are data; their lines stay as written
"""Generate the labelled corpus (``corpus.jsonl``) from complete base programs and mutations.

Each base program is complete, idiomatic code. Each mutation produces what models leave
behind (a stub of each kind, an elided-code comment, a swallowed error, an invented package,
an undefined or misspelled name, a syntax error) or an intentional hook that must not block.
Every sample carries the set of checks that must report it at ``medium`` or above.

Run: ``python benchmarks/validation/make_corpus.py`` (deterministic; rewrites corpus.jsonl).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
TD = "TO" + "DO"
NIE = "NotImplemented" + "Error"

# --- Python ---------------------------------------------------------------------------------
# (prelude, signature, body, epilogue); the body is indented by four spaces.
PY_BASES: list[tuple[str, str, str, str]] = [
    (
        "import json\nfrom pathlib import Path\n",
        "def load_config(path: Path) -> dict:",
        "    text = path.read_text(encoding='utf-8')\n    data = json.loads(text)\n"
        "    if not isinstance(data, dict):\n        raise ValueError('config must be an object')\n"
        "    return data\n",
        "",
    ),
    (
        "import hashlib\n",
        "def file_digest(data: bytes) -> str:",
        "    digest = hashlib.sha256()\n    digest.update(data)\n    return digest.hexdigest()\n",
        "",
    ),
    (
        "from collections import Counter\n",
        "def top_words(text: str, n: int = 3) -> list[str]:",
        "    words = [w.lower() for w in text.split() if w.isalpha()]\n"
        "    return [w for w, _ in Counter(words).most_common(n)]\n",
        "",
    ),
    (
        "import re\n",
        "def slugify(title: str) -> str:",
        "    lowered = title.strip().lower()\n    return re.sub(r'[^a-z0-9]+', '-', lowered).strip('-')\n",
        "",
    ),
    (
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Item:\n    name: str\n    price: float\n"
        "    quantity: int\n\n\n",
        "def order_total(items: list[Item]) -> float:",
        "    total = 0.0\n    for item in items:\n        total += item.price * item.quantity\n"
        "    return round(total, 2)\n",
        "",
    ),
    (
        "import statistics\n",
        "def summarize(values: list[float]) -> dict[str, float]:",
        "    if not values:\n        raise ValueError('no values')\n"
        "    return {'mean': statistics.fmean(values), 'median': statistics.median(values)}\n",
        "",
    ),
    (
        "import csv\nimport io\n",
        "def parse_csv(text: str) -> list[dict[str, str]]:",
        "    reader = csv.DictReader(io.StringIO(text))\n    return list(reader)\n",
        "",
    ),
    (
        "from datetime import datetime, timedelta\n",
        "def next_business_day(day: datetime) -> datetime:",
        "    candidate = day + timedelta(days=1)\n    while candidate.weekday() >= 5:\n"
        "        candidate += timedelta(days=1)\n    return candidate\n",
        "",
    ),
    (
        "import os\n",
        "def env_flag(name: str, default: bool = False) -> bool:",
        "    raw = os.environ.get(name)\n    if raw is None:\n        return default\n"
        "    return raw.strip().lower() in ('1', 'true', 'yes', 'on')\n",
        "",
    ),
    (
        "import requests\n",
        "def fetch_status(url: str) -> int:",
        "    response = requests.get(url, timeout=10)\n    return response.status_code\n",
        "",
    ),
    (
        "from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    name: str\n    age: int\n\n\n",
        "def adults(users: list[User]) -> list[str]:",
        "    return sorted(u.name for u in users if u.age >= 18)\n",
        "",
    ),
    (
        "import itertools\n",
        "def chunked(items: list[int], size: int) -> list[list[int]]:",
        "    iterator = iter(items)\n    chunks = []\n    while chunk := list(itertools.islice(iterator, size)):\n"
        "        chunks.append(chunk)\n    return chunks\n",
        "",
    ),
    (
        "import heapq\n",
        "def k_smallest(values: list[int], k: int) -> list[int]:",
        "    return heapq.nsmallest(k, values)\n",
        "",
    ),
    (
        "import base64\n",
        "def encode_token(user_id: int, secret: str) -> str:",
        "    raw = f'{user_id}:{secret}'.encode()\n    return base64.urlsafe_b64encode(raw).decode()\n",
        "",
    ),
    (
        "from functools import lru_cache\n",
        "def fibonacci(n: int) -> int:",
        "    @lru_cache(maxsize=None)\n    def fib(k: int) -> int:\n        return k if k < 2 else fib(k - 1) + fib(k - 2)\n"
        "    return fib(n)\n",
        "",
    ),
    (
        "import shutil\nfrom pathlib import Path\n",
        "def backup(src: Path, dest_dir: Path) -> Path:",
        "    dest_dir.mkdir(parents=True, exist_ok=True)\n    target = dest_dir / src.name\n"
        "    shutil.copy2(src, target)\n    return target\n",
        "",
    ),
    (
        "import logging\n\nlog = logging.getLogger(__name__)\n\n\n",
        "def retry(action, attempts: int = 3):",
        "    for attempt in range(1, attempts + 1):\n        try:\n            return action()\n"
        "        except OSError as exc:\n            log.warning('attempt %d failed: %s', attempt, exc)\n"
        "    raise RuntimeError('all attempts failed')\n",
        "",
    ),
    (
        "import yaml\n",
        "def read_manifest(text: str) -> dict:",
        "    data = yaml.safe_load(text) or {}\n    data.setdefault('version', 1)\n    return data\n",
        "",
    ),
    (
        "from typing import Iterable\n",
        "def flatten(rows: Iterable[Iterable[int]]) -> list[int]:",
        "    out: list[int] = []\n    for row in rows:\n        out.extend(row)\n    return out\n",
        "",
    ),
    (
        "import uuid\n",
        "def new_request_id(prefix: str = 'req') -> str:",
        "    return f'{prefix}-{uuid.uuid4().hex[:12]}'\n",
        "",
    ),
    (
        "import math\n",
        "def distance(a: tuple[float, float], b: tuple[float, float]) -> float:",
        "    return math.hypot(a[0] - b[0], a[1] - b[1])\n",
        "",
    ),
    (
        "import textwrap\n",
        "def wrap_paragraph(text: str, width: int = 72) -> str:",
        "    return '\\n'.join(textwrap.wrap(text, width=width))\n",
        "",
    ),
]

PY_STUBS = [
    ("pass", "    pass\n"),
    ("ellipsis", "    ...\n"),
    ("not-implemented", f"    raise {NIE}\n"),
    ("not-implemented-msg", f"    raise {NIE}('implement later')\n"),
    ("docstring-only", '    """Compute the result."""\n'),
    ("constant-return-marker", f"    # {TD}: implement\n    return None\n"),
    ("constant-return-hint", "    # implementation goes here later\n    return []\n"),
]
PY_ELIDED = [
    "# ... rest of the code ...",
    "# ... existing code ...",
    "# rest of the implementation remains the same",
    "# code omitted for brevity",
    "# your code here",
    "# existing logic unchanged",
    "# implementation goes here",
]
PY_INVENTED = [
    "import fastjsonparse",
    "import requests_extra_retry",
    "from pandas_ai_helpers import smart_merge",
    "import torchlite_utils",
    "from django_auto_api import router",
    "import quickhttp",
    "from flask_magic_auth import login_required",
    "import numpyx",
    "import aiofiles_turbo",
    "from sklearn_pipeline_tools import auto_fit",
    "import jsonschema_fastvalidate",
    "from openai_helpers_pro import complete",
]
PY_UNDEFINED = [
    ("call", "    result = compute_checksum(len(__name__))\n"),
    ("attr", "    result = json.loads_fast('{}')\n"),
    ("from", None),
]
PY_MISSING_NAMES = [
    ("os.path", "joinpath", "compute_checksum"),
    ("collections", "OrderedDefaultDict", "load_settings"),
    ("itertools", "flatten", "normalize_text"),
    ("json", "load_file", "validate_schema"),
    ("pathlib", "SafePath", "retry_request"),
    ("functools", "memoize", "parse_headers"),
    ("typing", "Jsonable", "get_logger"),
]
PY_SYNTAX = [
    lambda body: body.replace(")", "", 1) if ")" in body else body + "    return (\n",
    lambda body: body.replace(":", "", 1) if ":" in body else body + "    if x\n",
    lambda body: "    x = = 1\n" + body,
    lambda body: body + "    return [1, 2\n",
    lambda body: body + "      extra = 1\n",
]


def py_samples() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, (prelude, sig, body, epi) in enumerate(PY_BASES):
        name = f"py_{i:02d}"
        out.append(
            sample(name + "_complete", "python", prelude + sig + "\n" + body + epi, [], "complete")
        )
        kind, stub = PY_STUBS[i % len(PY_STUBS)]
        out.append(
            sample(
                name + "_stub",
                "python",
                prelude + sig + "\n" + stub + epi,
                ["placeholders"],
                f"stub:{kind}",
            )
        )
        kind2, stub2 = PY_STUBS[(i + 3) % len(PY_STUBS)]
        out.append(
            sample(
                name + "_stub2",
                "python",
                prelude + sig + "\n" + stub2 + epi,
                ["placeholders"],
                f"stub:{kind2}",
            )
        )
        lines = body.splitlines(keepends=True)
        comment = PY_ELIDED[i % len(PY_ELIDED)]
        elided = "".join(lines[:-1]) + f"    {comment}\n" + lines[-1]
        out.append(
            sample(
                name + "_elided",
                "python",
                prelude + sig + "\n" + elided + epi,
                ["placeholders"],
                "elided",
            )
        )
        swallowed = (
            "    try:\n"
            + "".join("    " + ln for ln in lines)
            + "    except Exception:\n        pass\n"
        )
        out.append(
            sample(
                name + "_swallow",
                "python",
                prelude + sig + "\n" + swallowed + epi,
                ["placeholders"],
                "swallowed-error",
            )
        )
        invented = PY_INVENTED[i % len(PY_INVENTED)]
        out.append(
            sample(
                name + "_invented",
                "python",
                invented + "\n" + prelude + sig + "\n" + body + epi,
                ["imports"],
                "invented-import",
            )
        )
        for n, offset in ((1, 0), (2, 1)):
            kind3, line = PY_UNDEFINED[(i + offset) % len(PY_UNDEFINED)]
            missing = PY_MISSING_NAMES[(i + offset) % len(PY_MISSING_NAMES)]
            if kind3 == "attr":
                code = "import json\n" + prelude + sig + "\n" + line + body + epi
            elif kind3 == "from":
                code = (
                    f"from {missing[0]} import {missing[1]}\n"
                    + prelude
                    + sig
                    + "\n"
                    + f"    {missing[1]}\n"
                    + body
                    + epi
                )
            else:
                code = (
                    prelude + sig + "\n" + line.replace("compute_checksum", missing[2]) + body + epi
                )
            suffix = "_undefined" if n == 1 else "_undefined2"
            out.append(sample(name + suffix, "python", code, ["names"], f"undefined:{kind3}"))
        broken = PY_SYNTAX[i % len(PY_SYNTAX)](body)
        out.append(
            sample(
                name + "_syntax",
                "python",
                prelude + sig + "\n" + broken + epi,
                ["syntax"],
                "syntax",
            )
        )
    return out


PY_HOOKS = [
    "from abc import ABC, abstractmethod\n\n\nclass Storage(ABC):\n    @abstractmethod\n    def save(self, key: str, value: bytes) -> None:\n        ...\n\n    @abstractmethod\n    def load(self, key: str) -> bytes:\n        raise {NIE}\n",
    "from typing import Protocol\n\n\nclass Renderer(Protocol):\n    def render(self, template: str) -> str:\n        ...\n\n    def flush(self) -> None:\n        ...\n",
    "from typing import overload\n\n\n@overload\ndef parse(value: int) -> int: ...\n@overload\ndef parse(value: str) -> str: ...\ndef parse(value):\n    return value\n",
    "class ConfigError(Exception):\n    pass\n\n\nclass MissingKeyError(ConfigError):\n    pass\n",
    "class Plugin:\n    def on_start(self) -> None:\n        pass\n\n    def on_stop(self) -> None:\n        pass\n\n\nclass LoggingPlugin(Plugin):\n    def on_start(self) -> None:\n        print('start')\n\n    def on_stop(self) -> None:\n        print('stop')\n",
    "class Exporter:\n    def export(self, rows):\n        raise {NIE}\n\n\nclass CsvExporter(Exporter):\n    def export(self, rows):\n        return '\\n'.join(','.join(map(str, r)) for r in rows)\n",
    "",
    'from abc import ABC, abstractmethod\n\n\nclass Shape(ABC):\n    @property\n    @abstractmethod\n    def area(self) -> float:\n        """The area."""\n',
    "try:\n    import tomllib\nexcept ImportError:\n    tomllib = None\n\n\ndef has_toml() -> bool:\n    return tomllib is not None\n",
    'class HttpError(Exception):\n    """A request failed."""\n\n\nclass Timeout(HttpError):\n    """No answer in time."""\n',
    "import threading\n\n\nclass Worker(threading.Thread):\n    def run(self) -> None:\n        print('working')\n",
    "from typing import Protocol\n\n\nclass Clock(Protocol):\n    def now(self) -> float: ...\n\n\nclass SystemClock:\n    def now(self) -> float:\n        import time\n\n        return time.time()\n",
    "try:\n    run_task = __import__('json').dumps\nexcept FileNotFoundError:\n    pass\n",
    "class Visitor:\n    def visit_node(self, node):\n        pass\n\n    def visit_leaf(self, leaf):\n        pass\n\n\nclass Printer(Visitor):\n    def visit_node(self, node):\n        print(node)\n\n    def visit_leaf(self, leaf):\n        print(leaf)\n",
]

# --- JavaScript / TypeScript -----------------------------------------------------------------
JS_BASES: list[tuple[str, str, str, str]] = [
    (
        "import express from 'express';\n\n",
        "export function healthRouter() {",
        "  const router = express.Router();\n  router.get('/health', (req, res) => res.json({ ok: true }));\n  return router;\n",
        "}\n",
    ),
    (
        "import fs from 'node:fs';\n\n",
        "export function readJson(path) {",
        "  const text = fs.readFileSync(path, 'utf8');\n  return JSON.parse(text);\n",
        "}\n",
    ),
    (
        "",
        "export function sum(values) {",
        "  let total = 0;\n  for (const v of values) {\n    total += v;\n  }\n  return total;\n",
        "}\n",
    ),
    (
        "import path from 'path';\n\n",
        "export function extensionOf(file) {",
        "  const ext = path.extname(file);\n  return ext ? ext.slice(1).toLowerCase() : '';\n",
        "}\n",
    ),
    (
        "import axios from 'axios';\n\n",
        "export async function fetchUser(id) {",
        "  const response = await axios.get(`/api/users/${id}`);\n  return response.data;\n",
        "}\n",
    ),
    (
        "",
        "export function debounce(fn, wait) {",
        "  let timer = null;\n  return (...args) => {\n    clearTimeout(timer);\n    timer = setTimeout(() => fn(...args), wait);\n  };\n",
        "}\n",
    ),
    (
        "import { z } from 'zod';\n\n",
        "export function parseUser(input) {",
        "  const schema = z.object({ name: z.string(), age: z.number() });\n  return schema.parse(input);\n",
        "}\n",
    ),
    (
        "",
        "export function groupBy(items, key) {",
        "  const groups = {};\n  for (const item of items) {\n    (groups[item[key]] ||= []).push(item);\n  }\n  return groups;\n",
        "}\n",
    ),
    (
        "import crypto from 'crypto';\n\n",
        "export function digest(text) {",
        "  return crypto.createHash('sha256').update(text).digest('hex');\n",
        "}\n",
    ),
    (
        "",
        "export function capitalize(word) {",
        "  if (!word) {\n    return word;\n  }\n  return word[0].toUpperCase() + word.slice(1);\n",
        "}\n",
    ),
    (
        "import lodash from 'lodash';\n\n",
        "export function uniqueNames(users) {",
        "  return lodash.uniq(users.map((u) => u.name)).sort();\n",
        "}\n",
    ),
    (
        "",
        "export function retry(fn, attempts = 3) {",
        "  for (let i = 0; i < attempts; i += 1) {\n    try {\n      return fn();\n    } catch (err) {\n      if (i === attempts - 1) {\n        throw err;\n      }\n    }\n  }\n  return undefined;\n",
        "}\n",
    ),
]
TS_BASES: list[tuple[str, str, str, str]] = [
    (
        "interface Item {\n  price: number;\n  qty: number;\n}\n\n",
        "export function total(items: Item[]): number {",
        "  return items.reduce((acc, i) => acc + i.price * i.qty, 0);\n",
        "}\n",
    ),
    (
        "import express from 'express';\n\n",
        "export function ping(): express.Router {",
        "  const r = express.Router();\n  r.get('/ping', (_req, res) => res.send('pong'));\n  return r;\n",
        "}\n",
    ),
    (
        "",
        "export function clamp(value: number, min: number, max: number): number {",
        "  if (min > max) {\n    throw new RangeError('min > max');\n  }\n  return Math.min(Math.max(value, min), max);\n",
        "}\n",
    ),
    (
        "import { readFile } from 'node:fs/promises';\n\n",
        "export async function lines(path: string): Promise<string[]> {",
        "  const text = await readFile(path, 'utf8');\n  return text.split('\\n').filter((l) => l.length > 0);\n",
        "}\n",
    ),
    (
        "type User = { id: number; email: string };\n\n",
        "export function emails(users: User[]): string[] {",
        "  return users.map((u) => u.email.toLowerCase());\n",
        "}\n",
    ),
    (
        "",
        "export function parsePort(raw: string): number {",
        "  const port = Number.parseInt(raw, 10);\n  if (Number.isNaN(port) || port < 0 || port > 65535) {\n    throw new Error(`bad port ${raw}`);\n  }\n  return port;\n",
        "}\n",
    ),
]
JS_ELIDED = [
    "// ... rest of the code ...",
    "// ... existing code ...",
    "// implementation goes here",
    "/* code omitted for brevity */",
    "// your code here",
    "// rest of the function remains the same",
]
JS_INVENTED = [
    "import magicRouter from 'express-magic-router';",
    "import { smartFetch } from 'fetch-ai-retry';",
    "const helpers = require('lodash-ultra-helpers');",
    "import { validate } from 'zod-auto-validate';",
    "import ai from '@openai/helpers-pro';",
    "import { cache } from 'node-turbo-cache';",
    "import './missing-local-module.js';",
]
JS_STUB_THROWS = [
    'throw new Error("not implemented");',
    "throw new Error('Not implemented yet');",
    "throw new Error(`TODO: implement`);".replace("TODO", TD),
    'throw new Error("implement me");',
]


def js_like(
    bases: list[tuple[str, str, str, str]], language: str, prefix: str
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, (prelude, sig, body, epi) in enumerate(bases):
        name = f"{prefix}_{i:02d}"
        out.append(
            sample(name + "_complete", language, prelude + sig + "\n" + body + epi, [], "complete")
        )
        throw = JS_STUB_THROWS[i % len(JS_STUB_THROWS)]
        out.append(
            sample(
                name + "_stub",
                language,
                prelude + sig + "\n  " + throw + "\n" + epi,
                ["placeholders"],
                "stub:throw",
            )
        )
        stub2 = (
            f"  // {TD}: implement\n  return null;\n"
            if i % 2
            else "  // implement this later\n  return 0;\n"
        )
        out.append(
            sample(
                name + "_stub2",
                language,
                prelude + sig + "\n" + stub2 + epi,
                ["placeholders"],
                "stub:constant-return",
            )
        )
        lines = body.splitlines(keepends=True)
        elided = "".join(lines[:-1]) + "  " + JS_ELIDED[i % len(JS_ELIDED)] + "\n" + lines[-1]
        out.append(
            sample(
                name + "_elided",
                language,
                prelude + sig + "\n" + elided + epi,
                ["placeholders"],
                "elided",
            )
        )
        swallowed = "  try {\n" + "".join("  " + ln for ln in lines) + "  } catch (e) {}\n"
        out.append(
            sample(
                name + "_swallow",
                language,
                prelude + sig + "\n" + swallowed + epi,
                ["placeholders"],
                "swallowed-error",
            )
        )
        invented = JS_INVENTED[i % len(JS_INVENTED)]
        out.append(
            sample(
                name + "_invented",
                language,
                invented + "\n" + prelude + sig + "\n" + body + epi,
                ["imports"],
                "invented-import",
            )
        )
        broken = body.replace("(", "", 1) if i % 2 else body + "  if (x {\n"
        out.append(
            sample(
                name + "_syntax",
                language,
                prelude + sig + "\n" + broken + epi,
                ["syntax"],
                "syntax",
            )
        )
    return out


TS_HOOKS = [
    "export abstract class Repo<T> {\n  abstract find(id: number): T | undefined;\n  abstract save(item: T): void;\n}\n",
    "export interface Handler {\n  handle(event: string): void;\n}\n",
    "export const noop = (): void => {};\n\nexport function onEvent(cb: () => void = noop): void {\n  cb();\n}\n",
    "export class Base {\n  protected beforeSave(): void {}\n  save(): void {\n    this.beforeSave();\n  }\n}\n",
    "declare module 'untyped-lib' {\n  export function run(): void;\n}\n",
    "export function safeParse(text: string): unknown {\n  try {\n    return JSON.parse(text);\n  } catch (e) {\n    return undefined;\n  }\n}\n",
]

# --- Go --------------------------------------------------------------------------------------
GO_BASES: list[tuple[str, str, str, str]] = [
    (
        'import (\n\t"strings"\n)\n\n',
        "func Slug(title string) string {",
        '\tlower := strings.ToLower(strings.TrimSpace(title))\n\treturn strings.ReplaceAll(lower, " ", "-")\n',
        "}\n",
    ),
    (
        'import (\n\t"encoding/json"\n\t"os"\n)\n\n',
        "func LoadConfig(path string) (map[string]any, error) {",
        "\tdata, err := os.ReadFile(path)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tvar cfg map[string]any\n\terr = json.Unmarshal(data, &cfg)\n\treturn cfg, err\n",
        "}\n",
    ),
    (
        "",
        "func Sum(values []int) int {",
        "\ttotal := 0\n\tfor _, v := range values {\n\t\ttotal += v\n\t}\n\treturn total\n",
        "}\n",
    ),
    (
        'import (\n\t"net/http"\n)\n\n',
        "func Health(w http.ResponseWriter, r *http.Request) {",
        '\tw.WriteHeader(http.StatusOK)\n\t_, _ = w.Write([]byte("ok"))\n',
        "}\n",
    ),
    (
        'import (\n\t"crypto/sha256"\n\t"encoding/hex"\n)\n\n',
        "func Digest(data []byte) string {",
        "\tsum := sha256.Sum256(data)\n\treturn hex.EncodeToString(sum[:])\n",
        "}\n",
    ),
    (
        'import (\n\t"github.com/spf13/cobra"\n)\n\n',
        "func NewRoot() *cobra.Command {",
        '\tcmd := &cobra.Command{Use: "app"}\n\tcmd.Flags().Bool("verbose", false, "log more")\n\treturn cmd\n',
        "}\n",
    ),
    (
        'import (\n\t"errors"\n)\n\n',
        "func Divide(a, b float64) (float64, error) {",
        '\tif b == 0 {\n\t\treturn 0, errors.New("division by zero")\n\t}\n\treturn a / b, nil\n',
        "}\n",
    ),
    (
        'import (\n\t"sort"\n)\n\n',
        "func TopN(values []int, n int) []int {",
        "\tcopied := append([]int(nil), values...)\n\tsort.Sort(sort.Reverse(sort.IntSlice(copied)))\n\tif n > len(copied) {\n\t\tn = len(copied)\n\t}\n\treturn copied[:n]\n",
        "}\n",
    ),
    (
        'import (\n\t"example.com/app/internal/store"\n)\n\n',
        "func CountUsers(s *store.Store) int {",
        "\tusers := s.Users()\n\treturn len(users)\n",
        "}\n",
    ),
    (
        'import (\n\t"time"\n)\n\n',
        "func NextHour(t time.Time) time.Time {",
        "\treturn t.Truncate(time.Hour).Add(time.Hour)\n",
        "}\n",
    ),
]
GO_INVENTED = [
    '"github.com/acme/fastrouter"',
    '"github.com/golang-utils/retryx"',
    '"golang.org/x/superjson"',
    '"github.com/ai-helpers/gofetch"',
    '"example.com/app/v2/internal/ghost"',
]
GO_ELIDED = [
    "// ... rest of the code ...",
    "// ... existing code ...",
    "// implementation goes here",
    "// code omitted for brevity",
    "// rest of the function remains the same",
]


def go_samples() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, (imports, sig, body, epi) in enumerate(GO_BASES):
        head = "package app\n\n" + imports
        name = f"go_{i:02d}"
        out.append(sample(name + "_complete", "go", head + sig + "\n" + body + epi, [], "complete"))
        stub = '\tpanic("not implemented")\n'
        # A stub drops the imports its body no longer uses, as a compiler would require.
        out.append(
            sample(
                name + "_stub",
                "go",
                "package app\n\n" + sig + "\n" + stub + epi,
                ["placeholders"],
                "stub:panic",
            )
        )
        zero = {"string": '""', "int": "0", "error": "nil"}
        ret = sig.rsplit(")", 1)[-1].strip(" {")
        value = (
            zero.get(ret, "nil")
            if ret and "(" not in ret
            else ("nil, nil" if "error" in ret and "(" in ret else "0, nil")
        )
        stub2 = f"\t// {TD}: implement\n" + (f"\treturn {value}\n" if ret else "")
        if ret:
            out.append(
                sample(
                    name + "_stub2",
                    "go",
                    "package app\n\n" + sig + "\n" + stub2 + epi,
                    ["placeholders"],
                    "stub:constant-return",
                )
            )
        lines = body.splitlines(keepends=True)
        elided = "".join(lines[:-1]) + "\t" + GO_ELIDED[i % len(GO_ELIDED)] + "\n" + lines[-1]
        out.append(
            sample(
                name + "_elided", "go", head + sig + "\n" + elided + epi, ["placeholders"], "elided"
            )
        )
        swallowed = "\tif err := check(); err != nil {\n\t}\n" + body
        out.append(
            sample(
                name + "_swallow",
                "go",
                head + "func check() error { return nil }\n\n" + sig + "\n" + swallowed + epi,
                ["placeholders"],
                "swallowed-error",
            )
        )
        inv = GO_INVENTED[i % len(GO_INVENTED)]
        invented_imports = f"import {inv}\n\n" + imports
        out.append(
            sample(
                name + "_invented",
                "go",
                "package app\n\n" + invented_imports + sig + "\n" + body + epi,
                ["imports"],
                "invented-import",
            )
        )
        broken = body.replace("{", "", 1) if "{" in body else body + "\tif x {\n"
        out.append(
            sample(name + "_syntax", "go", head + sig + "\n" + broken + epi, ["syntax"], "syntax")
        )
    return out


GO_HOOKS = [
    "package app\n\ntype Store interface {\n\tGet(key string) (string, error)\n\tPut(key, value string) error\n}\n",
    "package app\n\ntype NopLogger struct{}\n\nfunc (NopLogger) Log(msg string) {}\n",
    'package app\n\nimport "errors"\n\nvar ErrNotFound = errors.New("not found")\n',
    "package app\n\nfunc init() {}\n",
    "package app\n\ntype Hooks struct {\n\tBefore func()\n\tAfter  func()\n}\n\nfunc (h Hooks) Run(fn func()) {\n\tif h.Before != nil {\n\t\th.Before()\n\t}\n\tfn()\n}\n",
]


def sample(name: str, language: str, code: str, labels: list[str], kind: str) -> dict[str, object]:
    return {"id": name, "language": language, "kind": kind, "labels": sorted(labels), "code": code}


def build() -> list[dict[str, object]]:
    samples = py_samples()
    samples += [
        sample(f"py_hook_{i:02d}", "python", c.replace("{NIE}", NIE), [], "intentional-hook")
        for i, c in enumerate(PY_HOOKS)
    ]
    samples += js_like(JS_BASES, "javascript", "js")
    samples += js_like(TS_BASES, "typescript", "ts")
    samples += [
        sample(f"ts_hook_{i:02d}", "typescript", c, [], "intentional-hook")
        for i, c in enumerate(TS_HOOKS)
    ]
    samples += go_samples()
    samples += [
        sample(f"go_hook_{i:02d}", "go", c, [], "intentional-hook") for i, c in enumerate(GO_HOOKS)
    ]
    return samples


def main() -> None:
    samples = build()
    with (HERE / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for item in samples:
            out.write(json.dumps(item, sort_keys=True) + "\n")
    counts: dict[str, int] = {}
    for item in samples:
        counts[str(item["language"])] = counts.get(str(item["language"]), 0) + 1
    print(f"{len(samples)} samples: {counts}")


if __name__ == "__main__":
    main()
