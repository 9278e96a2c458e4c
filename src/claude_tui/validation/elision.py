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
from collections.abc import Iterable
from dataclasses import dataclass

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
    r"|repeat|continue\s+with|include|define|map|set\s+up|initiali[sz]e|populate|emit"
    r"|dispatch|return)\b"
)

#: Prose that gives a reason: an explanation, not a stand-in.
EXPLANATION = re.compile(
    r"(?i)\b(because|since|so\s+that|so\s+(a|an|the|we|it|they)|otherwise|in\s+order\s+to"
    r"|reasons?"
    r"|to\s+avoid|which|whose|unless|instead|would|could|must|never|always)\b|[;:]\s+\w"
)

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


def _blocks(tree: ast.AST) -> Iterable[list[ast.stmt]]:
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block
        if isinstance(node, ast.Try | ast.TryStar):
            for handler in node.handlers:
                yield handler.body
        elif isinstance(node, ast.Match):
            for case in node.cases:
                yield case.body


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


def comment_paragraphs(comments: list[tuple[int, int, str]], lines: list[str]) -> set[int]:
    """Lines of comments that belong to a paragraph of two or more whole-line comments."""
    whole = {
        line
        for line, column, _ in comments
        if 0 < line <= len(lines) and lines[line - 1][: column - 1].strip() == ""
    }
    for number, text in enumerate(lines, 1):
        if number not in whole and text.lstrip().startswith("#"):
            whole.add(number)
    return {line for line in whole if line - 1 in whole or line + 1 in whole}


def find_elisions(
    tree: ast.Module,
    lines: list[str],
    comments: list[tuple[int, int, str]],
    body_of: dict[int, str],
) -> list[Elision]:
    """Comments ``(line, column, raw)`` standing in for elided code; ``body_of``: line -> text."""
    if not comments:
        return []
    candidates = {
        line: (column, body_of[line])
        for line, column, _ in comments
        if line in body_of and lines[line - 1][: column - 1].strip() == ""
    }
    if not candidates:
        return []
    paragraphs = comment_paragraphs(comments, lines)
    positions: dict[int, str] = {}
    for block in _blocks(tree):
        _place_in_block(block, lines, candidates, positions)
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
            _place_in_collection(node, candidates, positions)
    found: list[Elision] = []
    for line, position in sorted(positions.items()):
        column, text = candidates[line]
        if (
            line in paragraphs
            or len(text.split()) > _MAX_WORDS
            or "?" in text
            or EXPLANATION.search(text)
        ):
            continue
        ordered = IMPERATIVE.search(text) is not None
        continuation = CONTINUATION.search(text) is not None or (
            ordered and MORE.search(text) is not None
        )
        if continuation or (position == BODY and ordered):
            found.append(Elision(line, column, text, position))
    return found


def _place_in_block(
    block: list[ast.stmt],
    lines: list[str],
    candidates: dict[int, tuple[int, str]],
    positions: dict[int, str],
) -> None:
    indent = block[0].col_offset + 1
    first, last = block[0], block[-1]
    end = last.end_lineno or last.lineno
    trivial = all(_is_trivial(stmt) for stmt in block)
    for line, (column, _) in candidates.items():
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


def _directly_after(end: int, line: int, lines: list[str]) -> bool:
    # A block's trailing comment follows its last statement, with at most blank lines or
    # other comments between; farther away it belongs to what comes next.
    if not 0 < line - end <= 3:
        return False
    between = (lines[n - 1].strip() for n in range(end + 1, line))
    return all(text == "" or text.startswith("#") for text in between)


def _place_in_collection(
    node: ast.List | ast.Tuple | ast.Set | ast.Dict,
    candidates: dict[int, tuple[int, str]],
    positions: dict[int, str],
) -> None:
    end = node.end_lineno or node.lineno
    if end == node.lineno:
        return
    elements: list[ast.expr] = list(node.values) if isinstance(node, ast.Dict) else node.elts
    after = max((e.end_lineno or e.lineno for e in elements), default=node.lineno)
    for line in candidates:
        if after < line < end:
            positions[line] = COLLECTION_END
