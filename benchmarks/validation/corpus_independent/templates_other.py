"""JavaScript, TypeScript and Go templates of the independent corpus."""

from __future__ import annotations

import json
import random

from generate import TSCONFIG, Sample, go_mod, package_json, sub, template

D = dict[str, str]
R = random.Random

# --- ordinary helper code used to make files long -------------------------------------------

JS_BLOCKS = [
    '''export function formatDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${value}`);
  }
  return date.toISOString().slice(0, 10);
}
''',
    '''export function chunk(items, size) {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('size must be a positive integer');
  }
  const out = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
''',
    '''export function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'untitled';
}
''',
    '''export function requireFields(payload, fields) {
  const missing = fields.filter((name) => !(name in payload));
  if (missing.length > 0) {
    const error = new Error(`missing field(s): ${missing.join(', ')}`);
    error.status = 400;
    throw error;
  }
  return payload;
}
''',
    '''export function sumBy(rows, key) {
  let total = 0;
  for (const row of rows) {
    const value = Number(row[key] ?? 0);
    if (!Number.isFinite(value)) {
      throw new TypeError(`${key} is not a number in ${JSON.stringify(row)}`);
    }
    total += value;
  }
  return total;
}
''',
    '''export function paginate(items, page = 1, perPage = 20) {
  if (page < 1 || perPage < 1) {
    throw new RangeError('page and perPage start at 1');
  }
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    total: items.length,
    pages: Math.ceil(items.length / perPage),
  };
}
''',
    '''export function groupBy(rows, key) {
  const groups = new Map();
  for (const row of rows) {
    const value = row[key];
    if (!groups.has(value)) {
      groups.set(value, []);
    }
    groups.get(value).push(row);
  }
  return groups;
}
''',
    '''export function parseDuration(text) {
  const match = /^(\\d+)(ms|s|m|h)$/.exec(String(text).trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2]];
  return Number(match[1]) * factor;
}
''',
]

TS_BLOCKS = [
    '''export function formatDate(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${String(value)}`);
  }
  return date.toISOString().slice(0, 10);
}
''',
    '''export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('size must be a positive integer');
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
''',
    '''export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  total: number;
  pages: number;
}

export function paginate<T>(items: readonly T[], page = 1, perPage = 20): Page<T> {
  if (page < 1 || perPage < 1) {
    throw new RangeError('page and perPage start at 1');
  }
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    total: items.length,
    pages: Math.ceil(items.length / perPage),
  };
}
''',
    '''export function sumBy<T>(rows: readonly T[], pick: (row: T) => number): number {
  let total = 0;
  for (const row of rows) {
    const value = pick(row);
    if (!Number.isFinite(value)) {
      throw new TypeError(`not a number in ${JSON.stringify(row)}`);
    }
    total += value;
  }
  return total;
}
''',
    '''export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const bucket = groups.get(k);
    if (bucket) {
      bucket.push(row);
    } else {
      groups.set(k, [row]);
    }
  }
  return groups;
}
''',
    '''export function parseDuration(text: string): number {
  const match = /^(\\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factors: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(match[1]) * factors[match[2]];
}
''',
    '''export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
''',
]

GO_BLOCKS: list[tuple[list[str], str]] = [
    (["strings"], '''// normalizeKey lower-cases a key and trims the separators users type around it.
func normalizeKey(key string) string {
	return strings.Trim(strings.ToLower(strings.TrimSpace(key)), "-_/")
}
'''),
    (["fmt", "strconv"], '''// parseCents reads "12.50" as 1250.
func parseCents(text string) (int64, error) {
	whole, frac, found := cut(text, ".")
	units, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse %q: %w", text, err)
	}
	cents := int64(0)
	if found {
		if len(frac) > 2 {
			return 0, fmt.Errorf("parse %q: more than two decimals", text)
		}
		for len(frac) < 2 {
			frac += "0"
		}
		cents, err = strconv.ParseInt(frac, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse %q: %w", text, err)
		}
	}
	return units*100 + cents, nil
}

func cut(s, sep string) (string, string, bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}
'''),
    (["time"], '''// backoff returns the wait before retry number attempt (1-based), capped at max.
func backoff(attempt int, base, max time.Duration) time.Duration {
	wait := base
	for i := 1; i < attempt; i++ {
		wait *= 2
		if wait >= max {
			return max
		}
	}
	return wait
}
'''),
    (["sort"], '''// topN returns the n largest values, largest first.
func topN(values []int, n int) []int {
	sorted := append([]int(nil), values...)
	sort.Sort(sort.Reverse(sort.IntSlice(sorted)))
	if n < len(sorted) {
		sorted = sorted[:n]
	}
	return sorted
}
'''),
    (["sync"], '''// counter is a goroutine-safe tally of named events.
type counter struct {
	mu     sync.Mutex
	counts map[string]int
}

func newCounter() *counter {
	return &counter{counts: make(map[string]int)}
}

func (c *counter) add(name string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[name] += n
}

func (c *counter) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[name]
}
'''),
    (["unicode"], '''// isValidCode accepts upper-case letters and digits, 4 to 12 of them.
func isValidCode(code string) bool {
	if len(code) < 4 || len(code) > 12 {
		return false
	}
	for _, r := range code {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
'''),
]


def js_module(rng: R, body: str, d: D, ts: bool = False, pad: int = 0) -> str:
    pool = TS_BLOCKS if ts else JS_BLOCKS
    blocks = rng.sample(pool, k=min(pad, len(pool)))
    parts = sub(body, d).split("«PAD»")
    if len(parts) == 1:
        return parts[0]
    slots = len(parts) - 1
    per = len(blocks) // slots
    out = parts[0]
    for slot, rest in enumerate(parts[1:]):
        mine = blocks[slot * per : (slot + 1) * per] if slot < slots - 1 else blocks[slot * per :]
        out += "\n".join(mine) + rest
    return out


def go_file(rng: R, body: str, d: D, package: str, imports: list[str], pad: int = 0) -> str:
    blocks = rng.sample(GO_BLOCKS, k=min(pad, len(GO_BLOCKS)))
    names = set(imports)
    for block_imports, _ in blocks:
        names.update(block_imports)
    body = sub(body, d)
    code = "\n".join(code for _, code in blocks)
    body = body.replace("«PAD»", code)
    header = f"package {package}\n\n"
    if names:
        header += "import (\n" + "".join(f'\t"{n}"\n' for n in sorted(names)) + ")\n\n"
    return header + body


def js_project(d: D, files: dict[str, str], deps: dict[str, str] | None = None, ts: bool = False) -> dict[str, str]:
    out = {"package.json": package_json(d, deps if deps is not None else {"express": "^4.21.2"}, ts=ts)}
    if ts:
        out["tsconfig.json"] = TSCONFIG
    out.update(files)
    return out


# --- swallowed-error: JavaScript ------------------------------------------------------------

JS_LOADER = '''import { readFile, writeFile } from 'node:fs/promises';

«PAD»

export async function loadProfile(api, userId) {
  const response = await api.get(`/users/${userId}/profile`);
  return response.data;
}

export function refreshSidebar(api, userId, render) {
«REFRESH»
}

export async function saveDraft(path, draft) {
«SAVE»
}

export async function importLines(path) {
  const text = await readFile(path, 'utf8');
  const «es» = [];
  for (const line of text.split('\\n')) {
    if (!line.trim()) continue;
«PARSE»
  }
  return «es»;
}

«PAD»
'''

JS_REFRESH_OK = "  return loadProfile(api, userId).then(render).catch((err) => {\n    console.error('sidebar refresh failed', err);\n    render(null);\n  });"
JS_SAVE_OK = "  try {\n    await writeFile(path, JSON.stringify(draft));\n  } catch (err) {\n    if (err.code !== 'ENOSPC') throw err;\n    throw new Error(`disk full while saving ${path}`);\n  }"
JS_PARSE_OK = "    try {\n      «es».push(JSON.parse(line));\n    } catch (err) {\n      throw new SyntaxError(`bad line in ${path}: ${err.message}`);\n    }"

JS_SWALLOW = [
    ("REFRESH", "  return loadProfile(api, userId).then(render).catch(() => {}); // @@P"),
    ("SAVE", "  try {\n    await writeFile(path, JSON.stringify(draft));\n  } catch (e) { // @@P\n    // ignore // @@P\n  } // @@P"),
    ("PARSE", "    try {\n      «es».push(JSON.parse(line));\n    } catch (err) {} // @@P"),
]


def js_loader(which: str, replacement: str) -> str:
    text = JS_LOADER
    for key, ok in (("REFRESH", JS_REFRESH_OK), ("SAVE", JS_SAVE_OK), ("PARSE", JS_PARSE_OK)):
        text = text.replace("«" + key + "»", replacement if key == which else ok)
    return text


@template(3)
def js_swallowed(d: D, rng: R, i: int) -> Sample:
    which, bad = JS_SWALLOW[i]
    files = js_project(d, {"src/loader.js": js_module(rng, js_loader(which, bad), d, pad=rng.randint(4, 8))})
    return Sample("swallowed-error", "javascript", files)


@template(3)
def js_clean_errors(d: D, rng: R, i: int) -> Sample:
    files = js_project(d, {"src/loader.js": js_module(rng, js_loader("", ""), d, pad=rng.randint(4, 8))})
    return Sample("clean", "javascript", files, look_alike="swallowed-error")


# --- swallowed-error: TypeScript ------------------------------------------------------------

TS_CONFIG_LOADER = '''import { readFile } from 'node:fs/promises';

export interface «E»Config {
  endpoint: string;
  batchSize: number;
  retries: number;
}

const DEFAULTS: «E»Config = { endpoint: 'http://127.0.0.1:8080', batchSize: 100, retries: 3 };

export class ConfigError extends Error {}

«PAD»

export async function loadConfig(path: string): Promise<«E»Config> {
  let raw: unknown = {};
«LOAD»
  return { ...DEFAULTS, ...(raw as Partial<«E»Config>) };
}

export function startPolling(fetchOnce: () => Promise<void>, everyMs: number): NodeJS.Timeout {
  return setInterval(() => {
«POLL»
  }, everyMs);
}

«PAD»
'''

TS_LOAD_OK = "  try {\n    raw = JSON.parse(await readFile(path, 'utf8'));\n  } catch (e: unknown) {\n    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`);\n  }"
TS_POLL_OK = "    fetchOnce().catch((err: unknown) => {\n      console.error('poll failed', err);\n      process.exitCode = 1;\n    });"

TS_SWALLOW = [
    ("LOAD", "  try {\n    raw = JSON.parse(await readFile(path, 'utf8'));\n  } catch { // @@P\n  } // @@P"),
    ("LOAD", "  try {\n    raw = JSON.parse(await readFile(path, 'utf8'));\n  } catch (e) { // @@P\n    // config is optional, fall back to defaults // @@P\n  } // @@P"),
    ("POLL", "    fetchOnce().catch(() => undefined); // @@P"),
]


def ts_config(which: str, replacement: str) -> str:
    text = TS_CONFIG_LOADER
    for key, ok in (("LOAD", TS_LOAD_OK), ("POLL", TS_POLL_OK)):
        text = text.replace("«" + key + "»", replacement if key == which else ok)
    return text


@template(3)
def ts_swallowed(d: D, rng: R, i: int) -> Sample:
    which, bad = TS_SWALLOW[i]
    files = js_project(d, {"src/config.ts": js_module(rng, ts_config(which, bad), d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={})
    return Sample("swallowed-error", "typescript", files)


@template(3)
def ts_clean_errors(d: D, rng: R, i: int) -> Sample:
    files = js_project(d, {"src/config.ts": js_module(rng, ts_config("", ""), d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={})
    return Sample("clean", "typescript", files, look_alike="swallowed-error")


# --- swallowed-error and syntax-error: Go ---------------------------------------------------

GO_STORE = '''// «E»Store keeps «es» in a JSON file.
type «E»Store struct {
	path  string
	items map[string]«E»
}

// «E» is one record of the store.
type «E» struct {
	ID     string `json:"id"`
	Amount int64  `json:"amount"`
	Status string `json:"status"`
}

«PAD»

// Load reads the file; a missing file is an empty store.
func Load(path string) (*«E»Store, error) {
	store := &«E»Store{path: path, items: map[string]«E»{}}
	data, err := os.ReadFile(path)
«READ»
	if err := json.Unmarshal(data, &store.items); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return store, nil
}

// Save writes the store back through a temporary file.
func (s *«E»Store) Save() error {
	data, err := json.MarshalIndent(s.items, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	err = os.Rename(tmp, s.path)
«RENAME»
	return nil
}
'''

GO_READ_OK = "\tif errors.Is(err, os.ErrNotExist) {\n\t\treturn store, nil\n\t}\n\tif err != nil {\n\t\treturn nil, fmt.Errorf(\"read %s: %w\", path, err)\n\t}"
GO_RENAME_OK = "\tif err != nil {\n\t\treturn fmt.Errorf(\"replace %s: %w\", s.path, err)\n\t}"

GO_SWALLOW = [
    ("RENAME", "\tif err != nil { // @@P\n\t\t// ignore for now // @@P\n\t} // @@P"),
    ("RENAME", "\tif err != nil { // @@P\n\t} // @@P"),
    ("READ", "\tif errors.Is(err, os.ErrNotExist) {\n\t\treturn store, nil\n\t}\n\tif err != nil { // @@P\n\t\t// best effort: start empty // @@P\n\t} // @@P"),
]


def go_store(which: str, replacement: str) -> str:
    text = GO_STORE
    for key, ok in (("READ", GO_READ_OK), ("RENAME", GO_RENAME_OK)):
        text = text.replace("«" + key + "»", replacement if key == which else ok)
    return text


@template(3)
def go_swallowed(d: D, rng: R, i: int) -> Sample:
    which, bad = GO_SWALLOW[i]
    files = {"go.mod": go_mod(d), "store/store.go": go_file(rng, go_store(which, bad), d, "store", ["encoding/json", "errors", "fmt", "os"], pad=rng.randint(2, 5))}
    return Sample("swallowed-error", "go", files)


@template(3)
def go_clean_errors(d: D, rng: R, i: int) -> Sample:
    files = {"go.mod": go_mod(d), "store/store.go": go_file(rng, go_store("", ""), d, "store", ["encoding/json", "errors", "fmt", "os"], pad=rng.randint(2, 5))}
    return Sample("clean", "go", files, look_alike="swallowed-error")


GO_ROUTES = '''type route struct {
	method  string
	pattern string
	name    string
}

var routes = []route{
	{method: "GET", pattern: "/«es»", name: "list"},
	{method: "POST", pattern: "/«es»", name: "create"},
«ROUTE»
	{method: "DELETE", pattern: "/«es»/{id}", name: "delete"},
}

var statusText = map[int]string{
	200: "ok",
«STATUS»
	404: "not found",
}

«PAD»

// describe prints the routing table for the startup log.
func describe() string {
	out := ""
	for _, r := range routes {
		out += fmt.Sprintf("%-6s %-20s %s\\n", r.method, r.pattern, r.name)
	}
«ELSE»
	return out
}
'''

GO_ROUTE_OK = '\t{method: "GET", pattern: "/«es»/{id}", name: "show"},'
GO_STATUS_OK = '\t201: "created",'
GO_ELSE_OK = '\tif len(out) == 0 {\n\t\tout = "no routes\\n"\n\t} else {\n\t\tout += fmt.Sprintf("%d routes, %d status texts\\n", len(routes), len(statusText))\n\t}'

GO_SYNTAX = [
    ("ROUTE", '\t{method: "GET", pattern: "/«es»/{id}", name: "show"} // @@P'),
    ("STATUS", '\t201: "created" // @@P'),
    ("ELSE", '\tif len(out) == 0 {\n\t\tout = "no routes\\n"\n\t} // @@P\n\telse { // @@P\n\t\tout += fmt.Sprintf("%d routes, %d status texts\\n", len(routes), len(statusText))\n\t}'),
]


def go_routes(which: str, replacement: str) -> str:
    text = GO_ROUTES
    for key, ok in (("ROUTE", GO_ROUTE_OK), ("STATUS", GO_STATUS_OK), ("ELSE", GO_ELSE_OK)):
        text = text.replace("«" + key + "»", replacement if key == which else ok)
    return text


@template(3)
def go_syntax(d: D, rng: R, i: int) -> Sample:
    which, bad = GO_SYNTAX[i]
    files = {"go.mod": go_mod(d), "api/routes.go": go_file(rng, go_routes(which, bad), d, "api", ["fmt"], pad=rng.randint(2, 5))}
    return Sample("syntax-error", "go", files)


@template(3)
def go_clean_syntax(d: D, rng: R, i: int) -> Sample:
    files = {"go.mod": go_mod(d), "api/routes.go": go_file(rng, go_routes("", ""), d, "api", ["fmt"], pad=rng.randint(2, 5))}
    return Sample("clean", "go", files, look_alike="syntax-error")


# --- syntax-error: JavaScript and TypeScript ------------------------------------------------

JS_SYNC = '''import { writeFile } from 'node:fs/promises';

«PAD»

const DEFAULTS = {
  retries: 3,
«OBJ»
  timeoutMs: 5000,
};

export async function syncAll(client, «es») {
«LOOP»
  return «es».length;
}

export function settings(overrides = {}) {
  return { ...DEFAULTS, ...overrides };
}

export async function dump(path, «es») {
  await writeFile(path, JSON.stringify(«es», null, 2));
}

«PAD»
'''

JS_OBJ_OK = "  batchSize: 50,"
JS_LOOP_OK = "  for (const item of «es») {\n    await client.save(item);\n  }"

JS_SYNTAX = [
    ("LOOP", "  «es».forEach((item) => {\n    await client.save(item); // @@P\n  });"),
    ("OBJ", "  batchSize: 50 // @@P"),
]


def js_sync(which: str, replacement: str, ts: bool = False) -> str:
    text = JS_SYNC
    if ts:
        text = (
            text.replace("export async function syncAll(client, «es») {", "export async function syncAll(client: { save(item: unknown): Promise<void> }, «es»: unknown[]): Promise<number> {")
            .replace("export function settings(overrides = {}) {", "export function settings(overrides: Partial<typeof DEFAULTS> = {}): typeof DEFAULTS {")
            .replace("export async function dump(path, «es») {", "export async function dump(path: string, «es»: unknown[]): Promise<void> {")
        )
    for key, ok in (("OBJ", JS_OBJ_OK), ("LOOP", JS_LOOP_OK)):
        text = text.replace("«" + key + "»", replacement if key == which else ok)
    return text


@template(2)
def js_syntax(d: D, rng: R, i: int) -> Sample:
    which, bad = JS_SYNTAX[i]
    files = js_project(d, {"src/sync.js": js_module(rng, js_sync(which, bad), d, pad=rng.randint(4, 8))}, deps={})
    return Sample("syntax-error", "javascript", files)


@template(2)
def js_clean_syntax(d: D, rng: R, i: int) -> Sample:
    files = js_project(d, {"src/sync.js": js_module(rng, js_sync("", ""), d, pad=rng.randint(4, 8))}, deps={})
    return Sample("clean", "javascript", files, look_alike="syntax-error")


TS_SYNTAX = [
    ("LOOP", "  const saved = «es».map((item) => await client.save(item)); // @@P\n  await Promise.all(saved);"),
    ("LOOP", "  for (const item of «es») {\n    if (item !== null {  // @@P\n      await client.save(item);\n    }\n  }"),
]


@template(2)
def ts_syntax(d: D, rng: R, i: int) -> Sample:
    which, bad = TS_SYNTAX[i]
    files = js_project(d, {"src/sync.ts": js_module(rng, js_sync(which, bad, ts=True), d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={})
    return Sample("syntax-error", "typescript", files)


@template(2)
def ts_clean_syntax(d: D, rng: R, i: int) -> Sample:
    loop = ["  await Promise.all(«es».map(async (item) => client.save(item)));", ""][i]
    files = js_project(d, {"src/sync.ts": js_module(rng, js_sync("LOOP" if loop else "", loop, ts=True), d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={})
    return Sample("clean", "typescript", files, look_alike="syntax-error")


# --- fake-implementation: JavaScript and TypeScript -----------------------------------------

JS_RATES_FAKE = [
    '''export async function getExchangeRates(base = 'EUR') {
  // Simulated response for now // @@P
  return { base, rates: { USD: 1.08, GBP: 0.86, CHF: 0.95 } }; // @@P
}
''',
    '''export async function sendReceipt(to, «e») {
  console.log(`Sending receipt for ${«e».id} to ${to}`); // @@P
  return { success: true }; // @@P
}
''',
]

JS_RATES_REAL = [
    '''export async function getExchangeRates(base = 'EUR') {
  const response = await fetch(`${process.env.RATES_URL}/latest?base=${encodeURIComponent(base)}`);
  if (!response.ok) {
    throw new Error(`rates service answered ${response.status}`);
  }
  return response.json();
}
''',
    '''export async function sendReceipt(to, «e») {
  const response = await fetch(`${process.env.MAILER_URL}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to, template: 'receipt', data: { id: «e».id } }),
  });
  if (!response.ok) {
    throw new Error(`mailer answered ${response.status}`);
  }
  return response.json();
}
''',
]


@template(2)
def js_fake(d: D, rng: R, i: int) -> Sample:
    body = "«PAD»\n\n" + JS_RATES_FAKE[i] + "\n«PAD»\n"
    return Sample("fake-implementation", "javascript", js_project(d, {"src/services.js": js_module(rng, body, d, pad=rng.randint(4, 8))}, deps={}))


@template(1)
def js_clean_real_service(d: D, rng: R, i: int) -> Sample:
    body = "«PAD»\n\n" + JS_RATES_REAL[1] + "\n«PAD»\n"
    return Sample("clean", "javascript", js_project(d, {"src/services.js": js_module(rng, body, d, pad=rng.randint(4, 8))}, deps={}), look_alike="fake-implementation")


@template(1)
def js_clean_test_mock(d: D, rng: R, i: int) -> Sample:
    files = js_project(
        d,
        {
            "src/services.js": js_module(rng, "«PAD»\n\n" + JS_RATES_REAL[0] + "\n«PAD»\n", d, pad=4),
            "test/services.test.js": '''import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { getExchangeRates } from '../src/services.js';

test('getExchangeRates returns the parsed body', async () => {
  process.env.RATES_URL = 'http://127.0.0.1:9';
  const fake = mock.method(globalThis, 'fetch', async () => ({
    ok: true,
    status: 200,
    json: async () => ({ base: 'EUR', rates: { USD: 1.08 } }),
  }));
  const body = await getExchangeRates('EUR');
  assert.equal(body.rates.USD, 1.08);
  assert.equal(fake.mock.calls.length, 1);
  fake.mock.restore();
});
''',
        },
        deps={},
    )
    return Sample("clean", "javascript", files, look_alike="fake-implementation")


TS_FAKE = [
    '''export interface Charge {
  id: string;
  status: 'succeeded' | 'failed';
  amount: number;
}

export class PaymentService {
  constructor(private readonly apiKey: string) {}

  async createCharge(«e»Id: string, amount: number): Promise<Charge> {
    if (amount <= 0) {
      throw new RangeError('amount must be positive');
    }
    // In a real implementation this would call the payment provider // @@P
    return { id: `ch_${«e»Id}`, status: 'succeeded', amount }; // @@P
  }
}
''',
    '''export function verifyToken(token: string): boolean {
  if (!token) {
    return false;
  }
  return true; // accept any non-empty token until auth is wired up // @@P
}
''',
    '''export interface «E»Summary {
  id: string;
  total: number;
}

export async function fetchSummaries(): Promise<«E»Summary[]> {
  // mock data // @@P
  return [ // @@P
    { id: 'A-100', total: 1200 }, // @@P
    { id: 'A-101', total: 450 }, // @@P
  ]; // @@P
}
''',
]

TS_REAL = [
    '''export interface Charge {
  id: string;
  status: 'succeeded' | 'failed';
  amount: number;
}

export class PaymentService {
  constructor(
    private readonly apiKey: string,
    private readonly baseUrl: string,
  ) {}

  async createCharge(«e»Id: string, amount: number): Promise<Charge> {
    if (amount <= 0) {
      throw new RangeError('amount must be positive');
    }
    const response = await fetch(`${this.baseUrl}/charges`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reference: «e»Id, amount }),
    });
    if (!response.ok) {
      throw new Error(`payment provider answered ${response.status}`);
    }
    return (await response.json()) as Charge;
  }
}
''',
    '''import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyToken(token: string, secret: string): boolean {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) {
    return false;
  }
  const expected = createHmac('sha256', secret).update(payload).digest('base64url');
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
''',
]


@template(3)
def ts_fake(d: D, rng: R, i: int) -> Sample:
    body = "«PAD»\n\n" + TS_FAKE[i] + "\n«PAD»\n"
    return Sample("fake-implementation", "typescript", js_project(d, {"src/services.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={}))


@template(2)
def ts_clean_real(d: D, rng: R, i: int) -> Sample:
    body = "«PAD»\n\n" + TS_REAL[i] + "\n«PAD»\n"
    return Sample("clean", "typescript", js_project(d, {"src/services.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={}), look_alike="fake-implementation")


@template(1)
def ts_clean_fixture(d: D, rng: R, i: int) -> Sample:
    files = js_project(
        d,
        {
            "src/summary.ts": sub("export interface «E»Summary {\n  id: string;\n  total: number;\n}\n\nexport function grandTotal(rows: readonly «E»Summary[]): number {\n  return rows.reduce((sum, row) => sum + row.total, 0);\n}\n", d),
            "test/fixtures/summaries.ts": sub("import type { «E»Summary } from '../../src/summary.js';\n\n// Two rows whose totals are easy to add up by hand.\nexport const summaries: «E»Summary[] = [\n  { id: 'A-100', total: 1200 },\n  { id: 'A-101', total: 450 },\n];\n", d),
            "test/summary.test.ts": "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\nimport { grandTotal } from '../src/summary.js';\nimport { summaries } from './fixtures/summaries.js';\n\ntest('grand total', () => {\n  assert.equal(grandTotal(summaries), 1650);\n});\n",
        },
        ts=True,
        deps={},
    )
    return Sample("clean", "typescript", files, look_alike="fake-implementation")


# --- elided-code ----------------------------------------------------------------------------

JS_ROUTER = '''import express from 'express';

export const router = express.Router();

«PAD»

router.get('/«es»', async (req, res) => {
  const page = Number(req.query.page ?? 1);
  res.json(await req.app.locals.store.list(page));
});

router.get('/«es»/:id', async (req, res) => {
  const item = await req.app.locals.store.get(req.params.id);
  if (!item) {
    return res.status(404).json({ title: 'not found' });
  }
  return res.json(item);
});

router.delete('/«es»/:id', async (req, res) => {
  await req.app.locals.store.remove(req.params.id);
  res.status(204).end();
});
«TAIL»
'''

JS_ELIDED = [
    "\n// ... other routes // @@P\n",
    "\nexport function statusLabel(status) {\n  switch (status) {\n    case 'new':\n      return 'New';\n    case 'paid':\n      return 'Paid';\n    // similar for the other statuses // @@P\n  }\n}\n",
]

JS_ELIDED_OK = [
    "\n// Health check for the load balancer; it must stay cheap, so it touches no store.\nrouter.get('/healthz', (req, res) => res.json({ ok: true }));\n",
    "\nexport function statusLabel(status) {\n  switch (status) {\n    case 'new':\n      return 'New';\n    case 'paid':\n      return 'Paid';\n    default:\n      throw new RangeError(`unknown status ${status}`);\n  }\n}\n",
]


@template(2)
def js_elided(d: D, rng: R, i: int) -> Sample:
    body = JS_ROUTER.replace("«TAIL»", JS_ELIDED[i])
    return Sample("elided-code", "javascript", js_project(d, {"src/routes.js": js_module(rng, body, d, pad=rng.randint(4, 8))}))


@template(2)
def js_clean_elided(d: D, rng: R, i: int) -> Sample:
    body = JS_ROUTER.replace("«TAIL»", JS_ELIDED_OK[i])
    return Sample("clean", "javascript", js_project(d, {"src/routes.js": js_module(rng, body, d, pad=rng.randint(4, 8))}), look_alike="elided-code")


TS_LABELS = '''export type Status = 'draft' | 'open' | 'paid' | 'void' | 'refunded';

«PAD»

export const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  open: 'Open',
«REST»
};

export function label(status: Status): string {
  return STATUS_LABELS[status] ?? status;
}
'''


@template(1)
def ts_elided(d: D, rng: R, i: int) -> Sample:
    body = TS_LABELS.replace("«REST»", "  // add the rest of the statuses here // @@P")
    return Sample("elided-code", "typescript", js_project(d, {"src/labels.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={}))


@template(1)
def ts_clean_elided(d: D, rng: R, i: int) -> Sample:
    body = TS_LABELS.replace("«REST»", "  paid: 'Paid',\n  void: 'Void',\n  // Refunds are shown with the amount, see refundLabel().\n  refunded: 'Refunded',")
    return Sample("clean", "typescript", js_project(d, {"src/labels.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={}), look_alike="elided-code")


GO_CMD = '''// run executes one command of the admin CLI.
func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: «pkg»-admin <command> [args]")
	}
	switch args[0] {
	case "list":
		fmt.Println("listing «es»")
		return nil
	case "show":
		if len(args) < 2 {
			return errors.New("usage: show <id>")
		}
		fmt.Println("«e»", args[1])
		return nil
«CASES»
}

var defaults = map[string]string{
	"listen": "127.0.0.1:8080",
	"store":  "/var/lib/«pkg»/data.json",
«MAP»
}

«PAD»

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_ = defaults
}
'''

GO_CASES_OK = '\tdefault:\n\t\treturn fmt.Errorf("unknown command %q", args[0])\n\t}'
GO_MAP_OK = '\t"log":    "info",'
GO_ELIDED = [
    ("CASES", '\t// ... handle the other commands the same way // @@P\n\t}\n\treturn nil'),
    ("MAP", "\t// more defaults as needed // @@P"),
]


def go_cmd(which: str, replacement: str) -> str:
    text = GO_CMD
    for key, ok in (("CASES", GO_CASES_OK), ("MAP", GO_MAP_OK)):
        text = text.replace("«" + key + "»", replacement if key == which else ok)
    return text


@template(2)
def go_elided(d: D, rng: R, i: int) -> Sample:
    which, bad = GO_ELIDED[i]
    files = {"go.mod": go_mod(d), "cmd/admin/main.go": go_file(rng, go_cmd(which, bad), d, "main", ["errors", "fmt", "os"], pad=rng.randint(2, 5))}
    return Sample("elided-code", "go", files)


@template(2)
def go_clean_elided(d: D, rng: R, i: int) -> Sample:
    files = {"go.mod": go_mod(d), "cmd/admin/main.go": go_file(rng, go_cmd("", ""), d, "main", ["errors", "fmt", "os"], pad=rng.randint(2, 5))}
    return Sample("clean", "go", files, look_alike="elided-code")


# --- invented-import, invented-internal, partial-refactor: JS/TS/Go -------------------------

JS_APP = '''import express from 'express';
«IMPORT»

«PAD»

export function createApp(store) {
  const app = express();
  app.use(express.json());
  app.locals.store = store;
«USE»
  app.get('/«es»', async (req, res) => res.json(await store.list()));
  return app;
}
'''


@template(2)
def js_invented_import(d: D, rng: R, i: int) -> Sample:
    imp, use = [
        ("import { validateBody } from 'express-schema-guard'; // @@P", "  app.use(validateBody({ strict: true }));"),
        ("import rateLimit from 'express-smart-ratelimit'; // @@P", "  app.use(rateLimit({ perMinute: 120 }));"),
    ][i]
    body = JS_APP.replace("«IMPORT»", imp).replace("«USE»", use)
    return Sample("invented-import", "javascript", js_project(d, {"src/app.js": js_module(rng, body, d, pad=rng.randint(4, 8))}))


@template(1)
def js_clean_declared(d: D, rng: R, i: int) -> Sample:
    body = JS_APP.replace("«IMPORT»", "import helmet from 'helmet';").replace("«USE»", "  app.use(helmet());")
    return Sample("clean", "javascript", js_project(d, {"src/app.js": js_module(rng, body, d, pad=rng.randint(4, 8))}, deps={"express": "^4.21.2", "helmet": "^8.0.0"}), look_alike="invented-import")


@template(1)
def js_clean_workspace(d: D, rng: R, i: int) -> Sample:
    body = JS_APP.replace("«IMPORT»", "import compression from 'compression';").replace("«USE»", "  app.use(compression());")
    root = {"name": d["pkg"] + "-monorepo", "private": True, "workspaces": ["packages/*"]}
    files = {
        "package.json": json.dumps(root, indent=2) + "\n",
        "packages/api/package.json": package_json(d, {"express": "^4.21.2", "compression": "^1.7.5"}),
        "packages/api/src/app.js": js_module(rng, body, d, pad=rng.randint(4, 8)),
    }
    return Sample("clean", "javascript", files, look_alike="invented-import")


@template(1)
def ts_invented_import(d: D, rng: R, i: int) -> Sample:
    body = (
        "import { parseEnv } from 'zod-env-parse'; // @@P\n\n«PAD»\n\n"
        "export const settings = parseEnv({\n  PORT: 'number',\n  DATABASE_URL: 'string',\n});\n\n"
        "export function listenAddress(): string {\n  return `0.0.0.0:${settings.PORT}`;\n}\n"
    )
    return Sample("invented-import", "typescript", js_project(d, {"src/settings.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={"zod": "^3.24.1"}))


@template(1)
def ts_clean_builtin(d: D, rng: R, i: int) -> Sample:
    body = (
        "import { z } from 'zod';\nimport { env } from 'node:process';\n\n«PAD»\n\n"
        "export const settings = z\n  .object({ PORT: z.coerce.number().int().positive(), DATABASE_URL: z.string().url() })\n  .parse(env);\n\n"
        "export function listenAddress(): string {\n  return `0.0.0.0:${settings.PORT}`;\n}\n"
    )
    return Sample("clean", "typescript", js_project(d, {"src/settings.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={"zod": "^3.24.1"}), look_alike="invented-import")


TS_CLIENT = '''«IMPORT»

export interface «E» {
  id: string;
  amount: number;
}

«PAD»

export async function load«E»(baseUrl: string, id: string): Promise<«E»> {
  return withRetry(async () => {
    const response = await fetch(`${baseUrl}/«es»/${encodeURIComponent(id)}`);
    if (!response.ok) {
      throw new Error(`«e» ${id}: HTTP ${response.status}`);
    }
    return (await response.json()) as «E»;
  }, 3);
}
'''

TS_RETRY = '''export async function withRetry<T>(fn: () => Promise<T>, attempts: number): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i += 1) {
    try {
      return await fn();
    } catch (err: unknown) {
      last = err;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** i));
    }
  }
  throw last;
}
'''


@template(1)
def ts_invented_internal(d: D, rng: R, i: int) -> Sample:
    body = TS_CLIENT.replace("«IMPORT»", "import { withRetry } from './utils/retry.js'; // @@P")
    files = js_project(d, {"src/client.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7)), "src/utils/format.ts": TS_BLOCKS[0]}, ts=True, deps={})
    return Sample("invented-internal", "typescript", files)


@template(1)
def ts_clean_internal(d: D, rng: R, i: int) -> Sample:
    body = TS_CLIENT.replace("«IMPORT»", "import { withRetry } from './utils/retry.js';")
    files = js_project(d, {"src/client.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7)), "src/utils/retry.ts": TS_RETRY}, ts=True, deps={})
    return Sample("clean", "typescript", files, look_alike="invented-internal")


GO_MAIN = '''// Command «pkg»d serves the «es» API.
package main

import (
	"fmt"
	"net/http"
	"os"

	"example.com/«pkg»/internal/«INTERNAL»" // @@P
)

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	handler := «INTERNAL».Wrap(mux)
	if err := http.ListenAndServe(addr, handler); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
'''

GO_LOGGING = '''// Package «INTERNAL» wraps handlers with access logging.
package «INTERNAL»

import (
	"log"
	"net/http"
	"time"
)

// Wrap logs method, path and duration of every request.
func Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		log.Printf("%s %s %s", r.Method, r.URL.Path, time.Since(start))
	})
}
'''


@template(1)
def go_invented_internal(d: D, rng: R, i: int) -> Sample:
    files = {
        "go.mod": go_mod(d),
        f"cmd/{d['pkg']}d/main.go": sub(GO_MAIN.replace("«INTERNAL»", "middleware"), d),
        "internal/accesslog/accesslog.go": GO_LOGGING.replace("«INTERNAL»", "accesslog"),
    }
    return Sample("invented-internal", "go", files)


@template(1)
def go_clean_internal(d: D, rng: R, i: int) -> Sample:
    files = {
        "go.mod": go_mod(d),
        f"cmd/{d['pkg']}d/main.go": sub(GO_MAIN.replace("«INTERNAL»", "accesslog").replace(" // @@P", ""), d),
        "internal/accesslog/accesslog.go": GO_LOGGING.replace("«INTERNAL»", "accesslog"),
    }
    return Sample("clean", "go", files, look_alike="invented-internal")


TS_MONEY = '''export function formatPrice(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}

export function addVat(cents: number, rate = 0.19): number {
  return Math.round(cents * (1 + rate));
}
'''

TS_ORDERS = '''«IMPORT»

export interface Line {
  sku: string;
  quantity: number;
  unitCents: number;
}

«PAD»

export function receipt(lines: readonly Line[]): string {
  const net = lines.reduce((sum, line) => sum + line.quantity * line.unitCents, 0);
  const rows = lines.map((line) => `${line.quantity} × ${line.sku}`);
  return [...rows, `total ${«FORMAT»(addVat(net))}`].join('\\n');
}
'''


@template(1)
def ts_partial_refactor(d: D, rng: R, i: int) -> Sample:
    body = TS_ORDERS.replace("«IMPORT»", "import { addVat, formatCurrency } from './money.js'; // @@P").replace("«FORMAT»", "formatCurrency")
    files = js_project(d, {"src/money.ts": TS_MONEY, "src/receipt.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={})
    return Sample("partial-refactor", "typescript", files, note="formatCurrency was renamed to formatPrice in money.ts")


@template(1)
def ts_clean_refactor(d: D, rng: R, i: int) -> Sample:
    body = TS_ORDERS.replace("«IMPORT»", "import { addVat, formatPrice } from './money.js';").replace("«FORMAT»", "formatPrice")
    files = js_project(d, {"src/money.ts": TS_MONEY, "src/receipt.ts": js_module(rng, body, d, ts=True, pad=rng.randint(3, 7))}, ts=True, deps={})
    return Sample("clean", "typescript", files, look_alike="partial-refactor")


JS_MONEY = '''export function formatPrice(cents, currency = 'EUR') {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}

export function addVat(cents, rate = 0.19) {
  return Math.round(cents * (1 + rate));
}
'''


@template(1)
def js_partial_refactor(d: D, rng: R, i: int) -> Sample:
    body = (
        "import * as money from './money.js';\n\n«PAD»\n\n"
        "export function receipt(lines) {\n"
        "  const net = lines.reduce((sum, line) => sum + line.quantity * line.unitCents, 0);\n"
        "  return `total ${money.formatCurrency(money.addVat(net))}`; // @@P\n"
        "}\n"
    )
    files = js_project(d, {"src/money.js": JS_MONEY, "src/receipt.js": js_module(rng, body, d, pad=rng.randint(4, 8))}, deps={})
    return Sample("partial-refactor", "javascript", files, note="formatCurrency was renamed to formatPrice in money.js")


@template(1)
def js_clean_refactor(d: D, rng: R, i: int) -> Sample:
    body = (
        "import * as money from './money.js';\n\n«PAD»\n\n"
        "export function receipt(lines) {\n"
        "  const net = lines.reduce((sum, line) => sum + line.quantity * line.unitCents, 0);\n"
        "  return `total ${money.formatPrice(money.addVat(net))}`;\n"
        "}\n"
    )
    files = js_project(d, {"src/money.js": JS_MONEY, "src/receipt.js": js_module(rng, body, d, pad=rng.randint(4, 8))}, deps={})
    return Sample("clean", "javascript", files, look_alike="partial-refactor")
