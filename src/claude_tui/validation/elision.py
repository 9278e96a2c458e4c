"""Comments that stand in for elided code, recognised by where they sit and how they read.

A model that leaves work out writes a comment where the code would be: after the last
element of a collection, after the last statement of a block (or just before its final
``return``), or as the whole body of a branch or function. Its words point at more of the
same ("add more as needed", "similar for the other cases", "... remaining handlers here") or
give an order ("handle joystick buttons"). A comment in the same place that explains a
decision (several lines of prose, "because", "so that", a statement of fact) is left alone.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from claude_tui.validation.pyindex import child_nodes

#: Words that point at code like the code before it, or at code still to come.
CONTINUATION = re.compile(
    r"(?i)^\s*(\.\.\.|…)"
    r"|\betc\b|\band\s+so\s+(on|forth)\b|\b(similar|similarly|likewise)\b"
    r"|\bsame\s+(way|pattern|approach|logic|steps?|thing|as|for|here)\b"
    r"|\bthe\s+same\s+\w+(\s+\w+)?\s+(as|for)\b"
    r"|\bas\s+(needed|required|necessary|appropriate)\b"
    r"|\b(goes|go|belong|belongs)\s+(here|below)\b|\b\w+s\s+(here|below)\b"
)
#: Words that point at more code, but also name what the next line handles ("remaining
#: lines"); they count with an order ("add the remaining countries").
MORE = re.compile(
    r"(?i)\b(more|remaining|rest\s+of|additional|further|others)\b"
    r"|\bother\s+(\w+\s+)?\w+s\b"
)

#: An order to the reader, the way a comment that replaces a body is worded.
IMPERATIVE = re.compile(
    r"(?i)^\s*(\.\.\.\s*)?(add|implement|handle|process|do|call|insert|put|write|fill|compute"
    r"|calculate|validate|apply|send|fetch|load|save|update|create|check|parse|register|build"
    r"|convert|transform|perform|execute|run|store|delete|remove|show|display|render|notify"
    r"|repeat|continue\s+with|include|define|set\s+up|initiali[sz]e|populate|emit"
    r"|dispatch|return)\b"
)

#: Prose that gives a reason: an explanation, not a stand-in.
EXPLANATION = re.compile(
    r"(?i)\b(because|since|so\s+that|so\s+(a|an|the|we|it|they)|otherwise|in\s+order\s+to"
    r"|reasons?|nothing|no-?op|ignored?|intentionally|deliberately|on\s+purpose|do\s+not|don't"
    r"|to\s+avoid|which|whose|unless|instead|would|could|must|never|always)\b|[;:]\s+\w"
)

#: A cheap first look: a comment without any of these words cannot be a stand-in.
_WORDS = (
    "...", "…", "etc", "so on", "so forth", "similar", "likewise", "same", "as needed",
    "as required", "as necessary", "as appropriate", "here", "below", "more", "remaining",
    "rest of", "additional", "further", "other",
)  # fmt: skip
_VERBS = frozenset(
    {
        "add", "implement", "handle", "process", "do", "call", "insert", "put", "write", "fill",
        "compute", "calculate", "validate", "apply", "send", "fetch", "load", "save", "update",
        "create", "check", "parse", "register", "build", "convert", "transform", "perform",
        "execute", "run", "store", "delete", "remove", "show", "display", "render", "notify",
        "repeat", "continue", "include", "define", "set", "initialise", "initialize", "populate",
        "emit", "dispatch", "return",
    }
)  # fmt: skip

#: Code quoted in a comment ("d.iterkeys() -> d.keys()") is an example, not a stand-in.
_CODE = re.compile(r"->|\(\)|\s==?\s|\w\.\w+\(")

#: Positions where a comment can stand in for code.
COLLECTION_END = "the end of a collection"
BLOCK_END = "the end of a block"
BEFORE_FINAL = "the end of a block, before its final statement"
BODY = "the place of a body"

_MAX_WORDS = 14


@dataclass(frozen=True, slots=True)
class Elision:
    line: int
    column: int
    text: str
    position: str


def _blocks_of(node: ast.AST) -> Iterator[list[ast.stmt]]:
    column = getattr(node, "col_offset", -1)
    for name in ("body", "orelse", "finalbody"):
        block = getattr(node, name, None)
        # An ``elif`` is the ``orelse`` of its ``if`` at the same indent, not a block of its
        # own: a comment after the chain leads the code that follows it.
        if (
            isinstance(block, list)
            and block
            and isinstance(block[0], ast.stmt)
            and block[0].col_offset > column
        ):
            yield block
    if isinstance(node, ast.Try | ast.TryStar):
        for handler in node.handlers:
            yield handler.body
    elif isinstance(node, ast.Match):
        for case in node.cases:
            yield case.body


def _near(tree: ast.Module, lines: list[int]) -> Iterator[ast.AST]:
    """The nodes whose lines (with a margin) hold one of ``lines``, sorted; others are skipped."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in child_nodes(node):
            first = getattr(child, "lineno", None)
            if first is not None:
                last = getattr(child, "end_lineno", None) or first
                index = bisect_left(lines, first - 1)
                if index == len(lines) or lines[index] > last + 3:
                    continue
            stack.append(child)


def _is_trivial(stmt: ast.stmt) -> bool:
    """A statement that does no work: ``pass``, ``...``, a docstring, ``continue``."""
    if isinstance(stmt, ast.Pass | ast.Continue):
        return True
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


def _is_final(stmt: ast.stmt) -> bool:
    """A statement that closes a block: a return, raise, break, or a counter bump."""
    if isinstance(stmt, ast.Return | ast.Raise | ast.Break | ast.Continue):
        return True
    return isinstance(stmt, ast.AugAssign) and isinstance(stmt.value, ast.Constant)


def _first_word(text: str) -> str:
    words = text.lstrip(".… ").split(None, 1)
    return words[0].lower().rstrip(":,") if words else ""


def _comment_line(lines: list[str], number: int) -> bool:
    return 0 < number <= len(lines) and lines[number - 1].lstrip().startswith("#")


def in_paragraph(lines: list[str], line: int) -> bool:
    """Whether a whole-line comment has another whole-line comment right above or below."""
    return _comment_line(lines, line - 1) or _comment_line(lines, line + 1)


def continues_paragraph(lines: list[str], line: int) -> bool:
    """Whether a whole-line comment continues the one above it."""
    return _comment_line(lines, line - 1)


def find_elisions(
    tree: ast.Module,
    lines: list[str],
    comments: list[tuple[int, int, str]],
    body_of: dict[int, str],
) -> list[Elision]:
    """Comments ``(line, column, raw)`` standing in for elided code; ``body_of``: line -> text."""
    # The wording is checked first: few comments read like a stand-in, and only those
    # need their place in the tree.
    candidates: dict[int, tuple[int, str, bool]] = {}
    for line, column, _ in comments:
        text = body_of.get(line, "")
        if not text or lines[line - 1][: column - 1].strip():
            continue
        words = text.split()
        if len(words) > _MAX_WORDS or "?" in text:
            continue
        ordered = _first_word(text) in _VERBS
        lowered = text.lower()
        worded = any(word in lowered for word in _WORDS)
        if not ordered and not worded:
            continue
        if _CODE.search(text) or EXPLANATION.search(text):
            continue
        ordered = ordered and IMPERATIVE.search(text) is not None
        continuation = worded and (
            CONTINUATION.search(text) is not None or (ordered and MORE.search(text) is not None)
        )
        if (continuation or ordered) and not in_paragraph(lines, line):
            candidates[line] = (column, text, continuation)
    if not candidates:
        return []
    columns = {line: column for line, (column, _, _) in candidates.items()}
    positions: dict[int, str] = {}
    for node in _near(tree, sorted(columns)):
        for block in _blocks_of(node):
            _place_in_block(block, lines, columns, positions)
        if isinstance(node, ast.If):
            _place_after_open_chain(node, lines, candidates, positions)
        if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
            _place_in_collection(node, columns, positions)
    found: list[Elision] = []
    for line, position in sorted(positions.items()):
        column, text, continuation = candidates[line]
        if continuation or position == BODY:
            found.append(Elision(line, column, text, position))
    return found


def _place_in_block(
    block: list[ast.stmt], lines: list[str], columns: dict[int, int], positions: dict[int, str]
) -> None:
    indent = block[0].col_offset + 1
    first, last = block[0], block[-1]
    end = last.end_lineno or last.lineno
    trivial = all(_is_trivial(stmt) for stmt in block)
    for line, column in columns.items():
        if column != indent:
            continue
        if trivial and first.lineno - 1 <= line <= end + 1:
            positions[line] = BODY
        elif line > end and _directly_after(end, line, lines):
            positions.setdefault(line, BLOCK_END)
        elif (
            len(block) >= 2
            and _is_final(last)
            and (block[-2].end_lineno or block[-2].lineno) < line < last.lineno
        ):
            # Before a lone counter bump the comment stands where the counted work would be.
            positions.setdefault(line, BODY if isinstance(last, ast.AugAssign) else BEFORE_FINAL)


def _place_after_open_chain(
    node: ast.If,
    lines: list[str],
    candidates: dict[int, tuple[int, str, bool]],
    positions: dict[int, str],
) -> None:
    """``if``/``elif`` with no ``else``, then "similar for the other events": cases left out."""
    link = node
    while len(link.orelse) == 1 and isinstance(link.orelse[0], ast.If):
        if link.orelse[0].col_offset != node.col_offset:
            return
        link = link.orelse[0]
    if link is node or link.orelse:
        return  # a lone ``if`` or a chain closed by ``else`` covers its cases
    end = link.end_lineno or link.lineno
    for line, (column, _, continuation) in candidates.items():
        if continuation and column == node.col_offset + 1 and _directly_after(end, line, lines):
            positions.setdefault(line, BLOCK_END)


def _directly_after(end: int, line: int, lines: list[str]) -> bool:
    # A block's trailing comment follows its last statement, with at most blank lines or
    # other comments between; farther away it belongs to what comes next.
    if not 0 < line - end <= 3:
        return False
    between = (lines[n - 1].strip() for n in range(end + 1, line))
    return all(text == "" or text.startswith("#") for text in between)


def _place_in_collection(
    node: ast.List | ast.Tuple | ast.Set | ast.Dict,
    columns: dict[int, int],
    positions: dict[int, str],
) -> None:
    end = node.end_lineno or node.lineno
    if end == node.lineno:
        return
    elements: list[ast.expr] = list(node.values) if isinstance(node, ast.Dict) else node.elts
    after = max((e.end_lineno or e.lineno for e in elements), default=node.lineno)
    for line in columns:
        if after < line < end:
            positions[line] = COLLECTION_END
