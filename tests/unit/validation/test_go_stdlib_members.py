"""Invented members of Go standard-library packages, read from the installed GOROOT."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.validation import validate_path
from claude_tui.validation.gostd import go_root

pytestmark = pytest.mark.skipif(
    go_root() is None, reason="needs a Go toolchain: apt-get install golang-go"
)

RULE = "names.missing-attribute"

STORE_GO = """\
package store

import (
	"bytes"
	"sort"
	"strings"
	str "strconv"
)

type Store struct {
	data map[string]string
}

// Keys returns the keys, sorted, each reversed for the suffix index.
func (s *Store) Keys() []string {
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		keys = append(keys, strings.Reverse(k))
	}
	sort.Strings(keys)
	return keys
}

func (s *Store) Dump() string {
	var out bytes.Buffers
	for _, k := range s.Keys() {
		out.WriteString(k + "=" + str.QuoteString(s.data[k]) + "\\n")
	}
	return out.String()
}
"""

CLEAN_GO = """\
package store

import (
	"bytes"
	"net/url"
	"strings"
	"unicode/utf8"
)

type endpoint struct{ Host string }

func join(parts []string) string {
	var b bytes.Buffer
	b.WriteString(strings.Join(parts, ","))
	return b.String() + string(rune(utf8.RuneLen('x')))
}

// A parameter named like a package shadows it.
func host(url *endpoint) string {
	return url.Host
}

func parse(raw string) (*url.URL, error) {
	return url.Parse(strings.TrimSpace(raw))
}
"""


def write(root: Path, go_version: str, files: dict[str, str]) -> Path:
    (root / "go.mod").write_text(f"module example.com/kv\n\ngo {go_version}\n")
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return root


def installed() -> str:
    found = go_root()
    assert found is not None
    return f"{found[1][0]}.{found[1][1]}"


def members(root: Path) -> list[tuple[str, int, str]]:
    report = validate_path(root, workers=1)
    return [(f.path, f.line, f.severity.value) for f in report.findings if f.rule == RULE]


def test_functions_and_types_a_stdlib_package_does_not_export_are_found(tmp_path: Path) -> None:
    root = write(tmp_path, installed(), {"store/store.go": STORE_GO})
    assert members(root) == [
        ("store/store.go", 18, "high"),
        ("store/store.go", 25, "high"),
        ("store/store.go", 27, "high"),
    ]
    messages = [f.message for f in validate_path(root, workers=1).findings if f.rule == RULE]
    assert any("package strings" in m and "`Reverse`" in m for m in messages)


def test_real_members_aliases_and_shadowing_parameters_are_quiet(tmp_path: Path) -> None:
    root = write(tmp_path, installed(), {"store/clean.go": CLEAN_GO})
    assert members(root) == []


def test_a_project_asking_for_a_newer_go_than_installed_is_not_judged(tmp_path: Path) -> None:
    # Names added in later releases are unknown to the installed sources.
    root = write(tmp_path, "9.99", {"store/store.go": STORE_GO})
    assert members(root) == []


def test_files_built_only_by_another_toolchain_are_not_judged(tmp_path: Path) -> None:
    gccgo = "//go:build gccgo\n\n" + STORE_GO
    root = write(tmp_path, installed(), {"store/store_gccgo.go": gccgo})
    assert members(root) == []
