"""Swallowed errors in JavaScript, TypeScript and Go, read from tree-sitter trees.

Reported (rule ``placeholder.swallowed-error``):

- a ``catch`` block that is empty or holds only comments;
- ``.catch(handler)`` whose handler is a function with an empty or comment-only body;
- Go ``if err != nil {}`` (any name ending in ``err``/``Err``/``error``) that is empty or holds
  only comments.

An empty block is medium. A comment-only block is medium too, unless its comment gives a
reason for ignoring the error ("ignore", "best effort", "expected", "not fatal"...): that is
a decision a reviewer can see, so it stays low. A comment that promises handling later
("handle error", "log this") is not a reason and stays medium. Also low: a block whose
linter rule for empty blocks was silenced in or around the ``try`` (``eslint-disable``
``no-empty``, Go's ``nolint``), benchmark code, where an ignored failure is what is being
timed, and minified bundles (``*.min.js``), which nobody edits by hand. Tests, fixtures
(Go's ``testdata``) and examples are down-ranked by the caller like every placeholder.

Left alone on purpose: Go's ``_ = f()`` and ``_ = err`` (an explicit, visible discard),
``.catch(() => null)`` and other handlers that return a fallback value, and handlers that
do anything at all.
"""

from __future__ import annotations

import re
from typing import Any

from claude_tui.validation.languages import Language
from claude_tui.validation.model import Finding, Severity
from claude_tui.validation.treesitter import in_change, node_finding

RULE = "placeholder.swallowed-error"

_JS = {Language.JAVASCRIPT, Language.TYPESCRIPT, Language.TSX}
_COMMENTS = {"comment", "line_comment", "block_comment"}
_FUNCTIONS = {"arrow_function", "function_expression", "function"}
_ERROR_NAME = re.compile(r"(?:[A-Za-z_]\w*)?(?:err|Err|error|Error)")
_NIL_CHECK = re.compile(r"\s*([A-Za-z_]\w*)\s*!=\s*nil\s*")

#: Words of a comment that says why the error may be ignored.
REASON = re.compile(
    r"(?i)\b(ignor(e|ed|es|ing)|intentional(ly)?|deliberate(ly)?|on purpose|expected|"
    r"best[- ]effort|not fatal|non-?fatal|harmless|optional|safe to|no-?op|"
    r"fall(s)?[- ]?back|don'?t care|doesn'?t matter|does not matter|unsupported|"
    r"not supported|may not exist|might not exist|already (exists|closed|gone)|"
    r"swallow(ed)? on purpose|nothing to do|can be ignored|benign)\b"
)
#: A comment that silences the linter's own empty-block or unchecked-error rule.
LINT_SILENCED = re.compile(r"(?i)\beslint\b.*\bno-empty\b|\bnolint\b")
_BENCH_PARTS = {"bench", "benches", "benchmark", "benchmarks"}
#: Words of a comment that promises handling instead of giving a reason.
PROMISE = re.compile(r"(?i)\b(handle|handling|log|report|retry|implement|later|should)\b")


def check_tree(
    path: str,
    tree: Any,
    source: bytes,
    language: Language,
    changed_lines: frozenset[int] | None,
) -> list[Finding]:
    """Swallowed-error findings of one JavaScript, TypeScript or Go file."""
    if language not in _JS and language is not Language.GO:
        return []
    lines = source.decode("utf-8", errors="replace").splitlines()
    findings: list[Finding] = []
    parts = path.replace("\\", "/").lower().split("/")
    benchmark = bool(_BENCH_PARTS & set(parts[:-1]))
    minified = ".min." in parts[-1]
    # ``/* eslint-disable no-empty */`` and ``/* eslint no-empty: 0 */`` hold for the whole
    # file; the ``-line`` forms only for their line, which _silenced looks at.
    silenced_file = language in _JS and any(
        "eslint" in line and "no-empty" in line and "-line" not in line
        for line in lines
        if line.lstrip().startswith(("/*", "//"))
    )

    def add(node: Any, body: Any, what: str) -> None:
        if not in_change(node, body, changed_lines):
            return
        comments = [_text(c) for c in _statements(body) if c.type in _COMMENTS]
        if silenced_file or _silenced(node, lines):
            severity = Severity.LOW
            why = f"{what} ignores the error (the linter's rule is silenced for it)"
        elif benchmark or minified:
            severity = Severity.LOW
            kind = "benchmark code" if benchmark else "a minified bundle, not hand-written"
            why = f"{what} ignores the error ({kind})"
        elif not comments:
            severity, why = Severity.MEDIUM, f"{what} is empty: the error is swallowed"
        elif _gives_reason(comments):
            severity = Severity.LOW
            why = f"{what} holds only a comment: the error is ignored (the comment says why)"
        else:
            severity = Severity.MEDIUM
            why = f"{what} holds only a comment: the error is swallowed"
        findings.append(node_finding(path, lines, node, RULE, severity, why))

    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        kind = node.type
        if language in _JS:
            if kind == "catch_clause":
                body = node.child_by_field_name("body")
                if body is not None and _only_comments(body):
                    add(node, body, "the catch block")
            elif kind == "call_expression":
                body = _catch_handler_body(node)
                if body is not None and _only_comments(body):
                    add(node, body, "the .catch() handler")
        elif kind == "if_statement":
            condition = node.child_by_field_name("condition")
            body = node.child_by_field_name("consequence")
            match = _NIL_CHECK.fullmatch(_text(condition)) if condition is not None else None
            if (
                match is not None
                and _ERROR_NAME.fullmatch(match.group(1))
                and body is not None
                and node.child_by_field_name("alternative") is None
                and _only_comments(body)
            ):
                add(node, body, f"`if {match.group(1)} != nil` block")
        stack.extend(reversed(node.named_children))
    return findings


def _silenced(node: Any, lines: list[str]) -> bool:
    """A lint suppression in the statement around ``node`` or on the line above it."""
    around = node.parent if node.type == "catch_clause" and node.parent is not None else node
    first, last = around.start_point[0], node.end_point[0]
    window = lines[max(first - 1, 0) : last + 1]
    return any(LINT_SILENCED.search(line) for line in window)


def _catch_handler_body(call: Any) -> Any:
    """The block of ``x.catch(function-with-a-block)``, or None."""
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return None
    prop = callee.child_by_field_name("property")
    if prop is None or _text(prop) != "catch":
        return None
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return None
    handlers = [a for a in arguments.named_children if a.type not in _COMMENTS]
    if len(handlers) != 1 or handlers[0].type not in _FUNCTIONS:
        return None
    body = handlers[0].child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None  # an expression body returns a value: a fallback, not a swallow
    return body


def _statements(block: Any) -> list[Any]:
    out: list[Any] = []
    for child in block.named_children:
        # Go wraps the statements of a block in a statement_list node.
        out.extend(child.named_children if child.type == "statement_list" else [child])
    return out


def _only_comments(block: Any) -> bool:
    return all(child.type in _COMMENTS for child in _statements(block))


def _gives_reason(comments: list[str]) -> bool:
    text = " ".join(comments)
    return bool(REASON.search(text)) and not (PROMISE.search(text) and not _says_ignore(text))


def _says_ignore(text: str) -> bool:
    return bool(re.search(r"(?i)\bignor|\bintentional|\bbest[- ]effort|\bexpected", text))


def _text(node: Any) -> str:
    data: bytes = node.text or b""
    return data.decode("utf-8", errors="replace")
