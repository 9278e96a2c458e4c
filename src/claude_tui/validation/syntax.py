"""Syntax check: Python through ``ast``/``compile``; other languages through tree-sitter."""

from __future__ import annotations

import ast
import warnings
from typing import Any

from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, Finding, Severity

#: A file with hundreds of broken nodes says the same thing many times; the first few are enough.
MAX_SYNTAX_FINDINGS = 10


def check_python(path: str, source: str) -> tuple[ast.Module | None, list[Finding]]:
    """Parse and compile ``source``; the tree (None when it does not parse) and the findings."""
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences and similar are warnings, not syntax errors.
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path, type_comments=False)
            # compile() also runs the symbol table, which rejects what the parser accepts
            # (``return`` outside a function, ``nonlocal`` at module level, ...).
            compile(tree, path, "exec", dont_inherit=True, optimize=0)
    except SyntaxError as exc:
        line = exc.lineno or 1
        return None, [
            Finding(
                check=Check.SYNTAX,
                rule="syntax.error",
                severity=Severity.HIGH,
                message=f"syntax error: {exc.msg}",
                path=path,
                line=line,
                column=exc.offset or 1,
                line_text=_line(source.splitlines(), line),
            )
        ]
    except ValueError as exc:  # null bytes in the source
        return None, [
            Finding(Check.SYNTAX, "syntax.error", Severity.HIGH, f"cannot parse: {exc}", path)
        ]
    return tree, []


def check_tree(path: str, tree: Any, source: bytes, language: Language) -> list[Finding]:
    """ERROR and MISSING nodes of a tree-sitter tree as findings, with line and column."""
    root = tree.root_node
    if not root.has_error:
        return []
    lines = source.decode("utf-8", errors="replace").splitlines()
    findings: list[Finding] = []
    stack = [root]
    while stack and len(findings) < MAX_SYNTAX_FINDINGS:
        node = stack.pop()
        if node.is_missing:
            row, col = node.start_point
            findings.append(
                Finding(
                    Check.SYNTAX,
                    "syntax.missing",
                    Severity.HIGH,
                    f"{language.value} syntax error: missing {node.type!r}",
                    path,
                    row + 1,
                    col + 1,
                    _line(lines, row + 1),
                )
            )
            continue
        if node.type == "ERROR":
            row, col = node.start_point
            snippet = node.text.decode("utf-8", errors="replace")[:40].splitlines()
            near = snippet[0] if snippet else ""
            findings.append(
                Finding(
                    Check.SYNTAX,
                    "syntax.error",
                    Severity.HIGH,
                    f"{language.value} syntax error near {near!r}",
                    path,
                    row + 1,
                    col + 1,
                    _line(lines, row + 1),
                )
            )
            continue
        # Children pushed in reverse so findings come out in source order.
        stack.extend(child for child in reversed(node.children) if child.has_error)
    return findings


def _line(lines: list[str], number: int) -> str:
    if 1 <= number <= len(lines):
        return lines[number - 1].strip()
    return ""
