"""Swallowed errors and syntax the tolerant parse accepts, in JavaScript, TypeScript and Go."""

from __future__ import annotations

import shutil
from pathlib import Path

from claude_tui.validation import Severity, validate_path

SERVICE_JS = """\
const fs = require('fs');

class OrderService {
  constructor(db, mailer) {
    this.db = db;
    this.mailer = mailer;
  }

  async place(order) {
    const saved = await this.db.insert('orders', order);
    this.mailer.send(order.email, 'Thanks for your order').catch(() => {});
    return saved;
  }

  loadConfig(path) {
    try {
      return JSON.parse(fs.readFileSync(path, 'utf8'));
    } catch (err) {
      // handle error
    }
  }

  async refund(id) {
    try {
      await this.db.update('orders', id, { refunded: true });
    } catch (e) {}
  }
}

module.exports = { OrderService };
"""

CLEAN_JS = """\
const fs = require('fs');

function readOptional(path) {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

function notify(mailer, to) {
  return mailer.send(to, 'hello').catch((err) => {
    console.error('mail failed', err);
  });
}

function cached(store, key) {
  return store.get(key).catch(() => null);
}

module.exports = { readOptional, notify, cached };
"""

IGNORED_JS = """\
function removeTemp(fs, path) {
  try {
    fs.unlinkSync(path);
  } catch (err) {
    // ignore: best effort cleanup, the file may already be gone
  }
}
module.exports = { removeTemp };
"""

SYNC_TS = """\
export interface User {
  id: string;
  name: string;
}

declare function fetchUser(id: string): Promise<User>;

export function loadAll(ids: string[]): User[] {
  const users: User[] = [];
  ids.forEach((id) => {
    const user = await fetchUser(id);
    users.push(user);
  });
  return users;
}

export async function loadOne(id: string): Promise<User> {
  return await fetchUser(id);
}

export function save(user: User): void {
  fetch('/users', { method: 'POST', body: JSON.stringify(user) }).catch(function () {
    /* nothing */
  });
}
"""

CLEAN_TS = """\
export async function withRetry<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await run();
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

export const handlers = {
  async load(): Promise<number> {
    const value = await withRetry(async () => 1);
    return value;
  },
};
"""

STORE_GO = """\
package store

import (
	"database/sql"
	"os"
)

type Store struct {
	db *sql.DB
}

var defaults = []string{
	"alpha",
	"beta"
}

func (s *Store) Close() {
	if err := s.db.Close(); err != nil {
	}
}

func (s *Store) Save(path string, data []byte) error {
	err := os.WriteFile(path, data, 0o600)
	if err != nil {
		// handle the error
	}
	return nil
}
"""

CLEAN_GO = """\
package store

import (
	"errors"
	"fmt"
	"os"
)

var names = []string{
	"alpha",
	"beta",
}

func Remove(path string) error {
	if err := os.Remove(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("remove %s: %w", path, err)
	}
	return nil
}

func Flush(f *os.File) {
	// The file is closed right after; a failed sync shows up there.
	_ = f.Sync()
	err := f.Close()
	_ = err
}

func Call(a, b int) int {
	return add(
		a,
		b,
	)
}

func add(a, b int) int { return a + b }
"""


def found(tmp_path: Path, name: str, code: str) -> list[tuple[str, int, Severity]]:
    (tmp_path / name).write_text(code)
    report = validate_path(tmp_path / name, workers=1)
    assert report.complete, report.failures
    return [(f.rule, f.line, f.severity) for f in report.findings]


def test_swallowed_javascript_errors_are_reported(tmp_path: Path) -> None:
    assert found(tmp_path, "orders.js", SERVICE_JS) == [
        ("placeholder.swallowed-error", 11, Severity.MEDIUM),
        ("placeholder.swallowed-error", 18, Severity.MEDIUM),
        ("placeholder.swallowed-error", 26, Severity.MEDIUM),
    ]


def test_catch_that_logs_rethrows_or_falls_back_is_quiet(tmp_path: Path) -> None:
    assert found(tmp_path, "files.js", CLEAN_JS) == []


def test_a_catch_whose_comment_says_why_is_low(tmp_path: Path) -> None:
    assert found(tmp_path, "cleanup.js", IGNORED_JS) == [
        ("placeholder.swallowed-error", 4, Severity.LOW)
    ]


def test_typescript_await_in_a_plain_callback_and_an_empty_handler(tmp_path: Path) -> None:
    assert found(tmp_path, "users.ts", SYNC_TS) == [
        ("syntax.await-outside-async", 11, Severity.HIGH),
        ("placeholder.swallowed-error", 22, Severity.MEDIUM),
    ]


def test_clean_typescript_is_quiet(tmp_path: Path) -> None:
    assert found(tmp_path, "retry.ts", CLEAN_TS) == []


def test_go_missing_comma_and_ignored_errors(tmp_path: Path) -> None:
    got = found(tmp_path, "store.go", STORE_GO)
    # gofmt reports the missing comma where Go is installed; tree-sitter's check elsewhere.
    comma_rule = "syntax.error" if shutil.which("gofmt") else "syntax.missing-comma"
    assert [(rule, line) for rule, line, _ in got] == [
        (comma_rule, 14),
        ("placeholder.swallowed-error", 18),
        ("placeholder.swallowed-error", 24),
    ]
    assert [severity for *_, severity in got] == [Severity.HIGH, Severity.MEDIUM, Severity.MEDIUM]


def test_clean_go_with_explicit_discards_is_quiet(tmp_path: Path) -> None:
    assert found(tmp_path, "clean.go", CLEAN_GO) == []


def test_swallowed_errors_in_tests_are_down_ranked(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "orders.js").write_text(SERVICE_JS)
    report = validate_path(tmp_path, workers=1)
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("placeholder.swallowed-error", Severity.LOW)
    ] * 3


# Shapes met in axios 1.7.9 and zod 3.24.1: the empty block is deliberate and says so to
# the linter, or it is a benchmark timing the failure path.
LINT_SILENCED_JS = """\
function nameAdapters(adapters) {
  for (const [value, fn] of Object.entries(adapters)) {
    try {
      Object.defineProperty(fn, 'name', { value });
    } catch (e) {
      // eslint-disable-next-line no-empty
    }
  }
}

async function setLength(headers, data) {
  try {
    headers.setContentLength(await data.getLength());
    /*eslint no-empty:0*/
  } catch (e) {
  }
}
module.exports = { nameAdapters, setLength };
"""

BENCHMARK_JS = """\
const suite = require('./suite');
suite.add('invalid input', () => {
  try {
    schema.parse(null);
  } catch (e) {}
});
"""


def test_an_empty_catch_whose_lint_rule_is_silenced_is_low(tmp_path: Path) -> None:
    assert found(tmp_path, "adapters.js", LINT_SILENCED_JS) == [
        ("placeholder.swallowed-error", 5, Severity.LOW),
        ("placeholder.swallowed-error", 15, Severity.LOW),
    ]


def test_an_empty_catch_in_a_benchmark_is_low(tmp_path: Path) -> None:
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "suite.js").write_text("module.exports = { add() {} };\n")
    (tmp_path / "benchmarks" / "parse.js").write_text(BENCHMARK_JS)
    report = validate_path(tmp_path, workers=1)
    assert [(f.path, f.rule, f.severity) for f in report.findings] == [
        ("benchmarks/parse.js", "placeholder.swallowed-error", Severity.LOW)
    ]


def test_go_testdata_and_minified_bundles_are_low(tmp_path: Path) -> None:
    (tmp_path / "testdata").mkdir()
    (tmp_path / "testdata" / "errors.go").write_text(
        "package p\n\nfunc _() {\n\tif err := foo(); err != nil {}\n}\n"
    )
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "vendor.min.js").write_text("try{a()}catch(e){}\n")
    report = validate_path(tmp_path, workers=1)
    assert [(f.path, f.rule, f.severity) for f in report.findings] == [
        ("static/vendor.min.js", "placeholder.swallowed-error", Severity.LOW),
        ("testdata/errors.go", "placeholder.swallowed-error", Severity.LOW),
    ]


# A reason in the comment does not make a swallow harmless when the shape says otherwise: the
# guarded work stores or sends and the function goes on as if it had worked, the comment
# defers ("for now"), it only repeats "ignore", or it excuses a missing file while the same
# block also parses what it read.
HIDDEN_FAILURES_JS = """\
const fs = require('fs/promises');

async function persistSettings(path, settings) {
  try {
    await fs.writeFile(path, JSON.stringify(settings));
  } catch (err) {
    // ignore
  }
}

async function pushMetrics(client, batch) {
  try {
    await client.post('/metrics', batch);
  } catch (err) {
    // metrics are optional
  }
  return { sent: batch.length };
}

async function readSettings(path) {
  let settings = {};
  try {
    settings = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch (err) {
    // the settings file is optional
  }
  return settings;
}

function watch(poll) {
  setInterval(() => {
    poll().catch(() => undefined);
  }, 1000);
}

function runOnce(job) {
  try {
    job.run();
  } catch (err) {
    // ignore for now
  }
}

module.exports = { persistSettings, pushMetrics, readSettings, watch, runOnce };
"""

DELIBERATE_JS = """\
const fs = require('fs/promises');

async function removeTemp(path) {
  try {
    await fs.unlink(path);
  } catch (err) {
    // ignore: best effort cleanup, the file may already be gone
  }
}

function parseMaybeJson(text) {
  let value = text;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // not JSON: plain messages are expected, keep the raw text
  }
  return value;
}

async function close(conn) {
  try {
    await conn.send('QUIT');
  } catch (err) {
    // the peer may already be gone on shutdown
  }
}

async function cachedUser(store, id) {
  const hit = await store.get(id).catch(() => undefined);
  return hit;
}

module.exports = { removeTemp, parseMaybeJson, close, cachedUser };
"""


def test_swallows_that_hide_a_failure_are_medium_whatever_the_comment(tmp_path: Path) -> None:
    assert found(tmp_path, "settings.js", HIDDEN_FAILURES_JS) == [
        ("placeholder.swallowed-error", 6, Severity.MEDIUM),
        ("placeholder.swallowed-error", 14, Severity.MEDIUM),
        ("placeholder.swallowed-error", 24, Severity.MEDIUM),
        ("placeholder.swallowed-error", 32, Severity.MEDIUM),
        ("placeholder.swallowed-error", 39, Severity.MEDIUM),
    ]
    # The same shapes in TypeScript.
    typed = HIDDEN_FAILURES_JS.replace("(path, settings)", "(path: string, settings: object)")
    assert [s for *_, s in found(tmp_path, "settings.ts", typed)] == [Severity.MEDIUM] * 5


def test_deliberate_ignores_and_fallbacks_stay_low_or_quiet(tmp_path: Path) -> None:
    assert found(tmp_path, "cleanup.js", DELIBERATE_JS) == [
        ("placeholder.swallowed-error", 6, Severity.LOW),
        ("placeholder.swallowed-error", 15, Severity.LOW),
        ("placeholder.swallowed-error", 24, Severity.LOW),
    ]


HIDDEN_FAILURES_GO = """\
package store

import (
	"encoding/json"
	"os"
)

type Store struct{ tmp, path string }

type Index struct{ Names []string }

func (s *Store) Commit() error {
	err := os.Rename(s.tmp, s.path)
	if err != nil {
		// not fatal
	}
	return nil
}

func LoadIndex(path string) (*Index, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		// best effort: an empty index is fine
	}
	idx := &Index{}
	if err := json.Unmarshal(data, idx); err != nil {
		return nil, err
	}
	return idx, nil
}

func Touch(path string) {
	if err := os.Chtimes(path, now(), now()); err != nil {
		// ignore for now
	}
}
"""

DELIBERATE_GO = """\
package store

import (
	"fmt"
	"os"
)

type Store struct {
	tmp string
	f   *os.File
}

func (s *Store) Close() error {
	err := os.Remove(s.tmp)
	if err != nil {
		// ignore: the temp file may not exist
	}
	return s.f.Close()
}

func Banner(w *os.File) {
	_, err := fmt.Fprintln(w, "ready")
	if err != nil {
		// best effort: the terminal may be closed already
	}
	w.Sync()
}

func Warm(path string) error {
	_, err := os.Stat(path)
	if err != nil {
		// optional cache, expected to be missing on first run
	}
	return nil
}
"""


def test_go_ignores_that_hide_a_failure_are_medium(tmp_path: Path) -> None:
    got = found(tmp_path, "store.go", HIDDEN_FAILURES_GO)
    assert got == [
        ("placeholder.swallowed-error", 14, Severity.MEDIUM),
        ("placeholder.swallowed-error", 22, Severity.MEDIUM),
        ("placeholder.swallowed-error", 33, Severity.MEDIUM),
    ]


def test_go_deliberate_ignores_stay_low(tmp_path: Path) -> None:
    got = found(tmp_path, "store.go", DELIBERATE_GO)
    assert got == [
        ("placeholder.swallowed-error", 15, Severity.LOW),
        ("placeholder.swallowed-error", 23, Severity.LOW),
        ("placeholder.swallowed-error", 31, Severity.LOW),
    ]


def test_a_bare_ignore_around_logging_stays_low(tmp_path: Path) -> None:
    # Shape met in axios 1.7.9: a deprecation warning that must never break the caller.
    code = (
        "export default function deprecated(method) {\n  try {\n"
        "    console.warn('DEPRECATED ' + method);\n  } catch (e) { /* Ignore */ }\n}\n"
    )
    assert found(tmp_path, "deprecated.js", code) == [
        ("placeholder.swallowed-error", 4, Severity.LOW)
    ]


SNAPSHOT_GO = """\
package store

import (
	"encoding/json"
	"os"
)

func Snapshot(dump map[string]string, path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(f).Encode(dump); err != nil {
		// snapshot is best effort
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func Publish(tmp, path string) error {
	if err := os.Chmod(tmp, 0o644); err != nil {
		// best effort: readers only need it to exist
	}
	return os.Rename(tmp, path)
}
"""


def test_go_a_lost_write_followed_by_a_returned_later_step_is_medium(tmp_path: Path) -> None:
    # The caller hears only whether the rename worked: a half-written file is put in place.
    got = found(tmp_path, "store.go", SNAPSHOT_GO)
    assert got == [
        ("placeholder.swallowed-error", 14, Severity.MEDIUM),
        ("placeholder.swallowed-error", 24, Severity.LOW),
    ]
