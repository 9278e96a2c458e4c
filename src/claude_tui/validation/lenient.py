"""Syntax errors that tree-sitter's tolerant grammars accept without an ERROR node.

Used where the language's own toolchain did not check the file (TypeScript always, since
``tsc`` is not run; JavaScript and Go when node or gofmt are absent):

- JavaScript/TypeScript: ``await`` inside a function that is not ``async`` (top-level
  ``await`` is valid in modules and is left alone);
- Go: a multi-line composite literal or argument list whose last element is not followed by
  a comma (Go inserts a semicolon at the line end, so the compiler rejects it).
"""

from __future__ import annotations

from typing import Any

from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, Finding, Severity

_JS = {Language.JAVASCRIPT, Language.TYPESCRIPT, Language.TSX}
_JS_FUNCTIONS = {
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function",
}
_GO_LISTS = {"literal_value": "}", "argument_list": ")"}
_WHERE = {"literal_value": "composite literal", "argument_list": "argument list"}
_COMMENTS = {"comment", "line_comment", "block_comment"}


def check_tree(path: str, tree: Any, source: bytes, language: Language) -> list[Finding]:
    """Findings for syntax errors the tolerant parse of ``language`` let through."""
    if language not in _JS and language is not Language.GO:
        return []
    lines = source.decode("utf-8", errors="replace").splitlines()
    findings: list[Finding] = []

    def add(row: int, col: int, rule: str, message: str) -> None:
        text = lines[row].strip() if row < len(lines) else ""
        findings.append(
            Finding(Check.SYNTAX, rule, Severity.HIGH, message, path, row + 1, col + 1, text)
        )

    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if language in _JS and node.type == "await_expression":
            owner = _enclosing_function(node)
            if owner is not None and not _is_async(owner):
                row, col = node.start_point
                add(
                    row,
                    col,
                    "syntax.await-outside-async",
                    f"{language.value} syntax error: `await` inside a function that is not async",
                )
        elif language is Language.GO and node.type in _GO_LISTS:
            missing = _missing_trailing_comma(node, _GO_LISTS[node.type])
            if missing is not None:
                row, col = missing
                add(
                    row,
                    col,
                    "syntax.missing-comma",
                    f"go syntax error: missing ',' before newline in {_WHERE[node.type]}",
                )
        stack.extend(reversed(node.named_children))
    return findings


def _enclosing_function(node: Any) -> Any:
    parent = node.parent
    while parent is not None:
        if parent.type in _JS_FUNCTIONS:
            return parent
        if parent.type == "class_static_block":
            return parent
        parent = parent.parent
    return None


def _is_async(function: Any) -> bool:
    return any(child.type == "async" for child in function.children)


def _missing_trailing_comma(node: Any, closer: str) -> tuple[int, int] | None:
    """Where the comma is missing: the end of the last element, when the closer is below it."""
    children = [c for c in node.children if c.type not in _COMMENTS]
    if len(children) < 3 or children[-1].type != closer:
        return None
    last = children[-2]
    if not last.is_named or last.type == "ERROR":
        return None  # a comma, the opener, or something tree-sitter already reports
    if children[-1].start_point[0] <= last.end_point[0]:
        return None
    return last.end_point[0], last.end_point[1]
