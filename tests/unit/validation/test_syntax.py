"""Syntax: Python through compile, six other languages through the bundled grammars."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from claude_tui.validation import Check, Language, validate_snippet

BROKEN = {
    "javascript": ("function f( {\n  return 1;\n}\n", 1),
    "typescript": ("const x: number = ;\n", 1),
    "tsx": ("const el = <div>{x</div>;\n", 1),
    "go": ('package main\n\nfunc main() {\n\tfmt.Println("hi"\n}\n', 4),
    "rust": ("fn main() {\n    let x = ;\n}\n", 2),
    "java": ("class A {\n  void f() { int x = ; }\n}\n", 2),
    "bash": ("if [ -f x ]; then\n  echo hi\n", 1),
}
CLEAN = {
    "javascript": "export function add(a, b) {\n  return a + b;\n}\n",
    "typescript": "export function add(a: number, b: number): number {\n  return a + b;\n}\n",
    "tsx": 'export const App = () => <div className="x">hi</div>;\n',
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n',
    "rust": 'fn main() {\n    println!("{}", 1 + 2);\n}\n',
    "java": "class A {\n  int f() { return 1; }\n}\n",
    "bash": "#!/bin/bash\nif [ -f x ]; then\n  echo hi\nfi\n",
}


def syntax_findings(code: str, language: str) -> list[tuple[str, int, int]]:
    report = validate_snippet(code, language, checks=[Check.SYNTAX])
    assert report.complete, report.failures
    return [(f.rule, f.line, f.column) for f in report.findings if f.check is Check.SYNTAX]


def test_python_syntax_error_has_line_and_column() -> None:
    found = syntax_findings("def f():\n    return (1,\n\nx = 2\n", "python")
    assert found
    assert found[0][0] == "syntax.error"
    assert found[0][1] == 2


def test_python_errors_found_only_by_the_compiler_are_reported() -> None:
    # The parser accepts this; the symbol table does not.
    found = syntax_findings("def f():\n    pass\nnonlocal x\n", "python")
    assert [rule for rule, _, _ in found] == ["syntax.error"]
    assert found[0][1] == 3


@pytest.mark.parametrize("language", sorted(BROKEN))
def test_broken_code_is_reported_with_its_position(language: str) -> None:
    code, line = BROKEN[language]
    found = syntax_findings(code, language)
    assert found, f"{language}: no syntax finding for broken code"
    assert all(rule in ("syntax.error", "syntax.missing") for rule, _, _ in found)
    assert min(f[1] for f in found) >= line - 1


@pytest.mark.parametrize("language", sorted(CLEAN))
def test_clean_code_has_no_syntax_finding(language: str) -> None:
    assert syntax_findings(CLEAN[language], language) == []


def _parse_many(count: int) -> int:
    from claude_tui.validation.treesitter import parse

    errors = 0
    for i in range(count):
        for language, code in CLEAN.items():
            tree = parse(Language(language), (code * (1 + i % 5)).encode())
            errors += tree.root_node.has_error
    return errors


def test_pinned_tree_sitter_survives_threads_and_processes() -> None:
    """The pin exists because another version corrupted the heap under load here."""
    with ThreadPoolExecutor(max_workers=8) as threads:
        assert sum(threads.map(_parse_many, [40] * 16)) == 0
    with ProcessPoolExecutor(max_workers=2) as processes:
        assert sum(processes.map(_parse_many, [40] * 4)) == 0
